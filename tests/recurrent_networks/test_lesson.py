"""course_lib.recurrent_networks.lesson: the walkthroughs and the quiz, as data."""

import dataclasses

from course_lib.recurrent_networks import lesson
from course_lib.recurrent_networks.model import TextSettings
from course_lib.settings import validate


def test_walkthrough_presets_are_valid_settings():
    assert 4 <= len(lesson.WALKTHROUGH) <= 8 and 3 <= len(lesson.QUIZ) <= 5
    for step in lesson.WALKTHROUGH:  # a complete experiment: the defaults and the preset
        validate(dataclasses.replace(TextSettings(), **step.preset))
        assert step.text.count(".") >= 2


def test_the_quiz_answers_exist():
    for question in lesson.QUIZ:
        assert 0 <= question.answer < len(question.options)
        assert question.check(question.answer)
