"""course_lib.recurrent_networks.lesson: the walkthroughs and the quiz, as data."""

import dataclasses

import pytest

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


#: Steps whose preset trains in under 20 s on 2 cores (16 units, 16-character windows;
#: its claim also trains the step before, the ghost). The 128-unit steps and words are
#: left to ``benchmarks/walkthroughs.py --chapter recurrent_networks``.
QUICK_TITLES = ("Memory size",)


def test_every_training_step_claims_something():
    for step in lesson.WALKTHROUGH:
        assert step.claim is not None and step.claim.says, step.title


@pytest.mark.parametrize("title", QUICK_TITLES)
def test_quick_steps_show_what_they_claim(title):
    step = next(s for s in lesson.WALKTHROUGH if s.title == title)
    result = lesson.step_result(step)
    assert len(result["val_bits"]) == lesson.STEP_EPOCHS
    assert step.claim.check(result), (step.claim.says, result)


@pytest.mark.parametrize("index", [1, 2])  # T = 1.5 and T = 0
def test_generation_steps_show_what_they_claim(index):
    step = lesson.GENERATION_WALKTHROUGH[index]
    result = lesson.step_result(step)
    assert step.claim.check(result), (step.claim.says, result["texts"])
