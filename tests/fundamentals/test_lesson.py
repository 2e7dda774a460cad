"""The lesson: every walkthrough step is a complete, valid experiment; the quiz checks out."""

import dataclasses

from app_pages.fundamentals_sections import EXPERIMENTS, SECTIONS
from course_lib.classroom import preset_field
from course_lib.fundamentals import lesson
from course_lib.fundamentals import network as nw
from course_lib.fundamentals import targets as tg


def experiment(step) -> dict[type, object]:
    """The settings objects a step's preset makes: defaults, then the preset's values."""
    parts: dict[type, dict] = {settings_class: {} for settings_class in EXPERIMENTS}
    for name, value in step.preset.items():
        settings_class, _, field = preset_field(EXPERIMENTS, name)
        parts[settings_class][field] = value
    return {settings_class: settings_class(**values) for settings_class, values in parts.items()}


def test_the_large_step_of_the_walkthrough_really_diverges():
    step = next(step for step in lesson.WALKTHROUGH if step.title == "Too large a step")
    settings = experiment(step)
    fit = dataclasses.replace(settings[nw.FitSettings], epochs=40)
    points = tg.target_points(settings[tg.TargetSettings])
    trainer = nw.train_to_end(nw.fit_trainer(fit, points))
    assert trainer.status == "diverged"


def test_every_step_names_its_target_and_opens_a_section():
    for step in lesson.WALKTHROUGH:
        assert step.section in SECTIONS
        assert "target" in step.preset or step.section == "Backpropagation", step.title
        experiment(step)  # every name is a field of the page


def test_quiz_questions_have_their_answer_among_the_options():
    assert 3 <= len(lesson.QUIZ) <= 5
    for question in lesson.QUIZ:
        assert question.check(question.answer)
        assert len(set(question.options)) == len(question.options)
