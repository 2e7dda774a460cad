"""The chapter's lesson as data: the walkthrough's presets and the quiz."""

import dataclasses

from course_lib.reinforcement_learning import agents, lesson
from course_lib.settings import bounds, validate


def test_walkthrough_presets_are_valid_settings():
    assert 4 <= len(lesson.WALKTHROUGH) <= 8
    fields = {f.name for f in dataclasses.fields(agents.AgentSettings)}
    for step in lesson.WALKTHROUGH:
        assert set(step.preset) <= fields
        validate(dataclasses.replace(agents.AgentSettings(), **step.preset))
        if "learning_rate" in step.preset:  # the page offers only these
            assert (
                step.preset["learning_rate"] in bounds(agents.AgentSettings, "learning_rate").stops
            )
        assert step.text.count(".") >= 2


def test_quiz_questions_are_well_formed():
    assert 3 <= len(lesson.QUIZ) <= 5
    for question in lesson.QUIZ:
        assert len(question.options) >= 3
        assert question.check(question.answer)
