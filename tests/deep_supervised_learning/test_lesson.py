"""course_lib.deep_supervised_learning.lesson: presets, walkthrough and quiz are valid data."""

import dataclasses

from course_lib.deep_supervised_learning.experiment import (
    PlaygroundSettings,
)
from course_lib.deep_supervised_learning.lesson import PRESETS, QUIZ, WALKTHROUGH, preset_settings
from course_lib.deep_supervised_learning.model import (
    parameter_count,
)
from course_lib.settings import validate


def settings(**changes) -> PlaygroundSettings:
    return dataclasses.replace(PlaygroundSettings(), **changes)


def test_presets_are_valid_settings():
    for item in PRESETS:
        validate(preset_settings(item.name))
    deep = preset_settings("deep enough")
    assert deep.dataset == "two spirals" and deep.hidden_layers >= 3


def test_walkthrough_steps_are_valid_settings():
    assert 4 <= len(WALKTHROUGH) <= 8
    for step in WALKTHROUGH:
        assert step.title and step.text.count(".") >= 2
        validate(dataclasses.replace(PlaygroundSettings(), **step.preset))
    regularised = WALKTHROUGH[-2].preset
    assert regularised["dropout"] > 0 and regularised["l2"] > 0


def test_quiz_questions_have_valid_answers():
    assert 3 <= len(QUIZ) <= 5
    for question in QUIZ:
        assert 0 <= question.answer < len(question.options)
        assert question.explanation
    # the parameter-count question agrees with the page's count
    counting = next(q for q in QUIZ if "How many parameters" in q.prompt)
    expected = parameter_count(settings(hidden_layers=1, hidden_units_1=8), 2)["total"]
    assert counting.options[counting.answer] == str(expected)
