"""Chapter 3's lesson as data: the walkthrough and the quiz."""

import dataclasses

import pytest

from course_lib import settings
from course_lib.convolutional_networks import lesson
from course_lib.convolutional_networks.model import CNNSettings


def test_walkthrough_presets_are_valid_settings():
    from course_lib import classroom

    assert 4 <= len(lesson.WALKTHROUGH) <= 8 and 3 <= len(lesson.QUIZ) <= 5
    current = CNNSettings()
    for step in lesson.WALKTHROUGH:
        assert isinstance(step, classroom.Step) and step.text
        current = dataclasses.replace(current, **step.preset)  # presets build on each other
        settings.validate(current)
    for question in lesson.QUIZ:
        assert question.check(question.answer) and question.explanation


#: Steps whose preset trains in well under 20 s on 2 cores (measured with
#: benchmarks/walkthroughs.py): every step of this chapter.
QUICK_STEPS = tuple(range(len(lesson.WALKTHROUGH)))


def test_every_step_that_claims_something_has_a_claim():
    assert all(step.claim is not None for step in lesson.WALKTHROUGH)


@pytest.mark.parametrize("number", QUICK_STEPS, ids=lambda n: f"step{n + 1}")
def test_each_step_shows_what_it_says(number):
    """The step's preset, trained by the page's own trainer, makes its claim true."""
    step = lesson.WALKTHROUGH[number]
    result = lesson.step_result(step)
    assert step.claim.check(result), (step.claim.says, result)


def test_the_overfitting_step_overfits_more_than_the_default():
    """Step 6 is honest: its test accuracy is below the default network's."""
    assert lesson.WALKTHROUGH[5].preset == lesson.OVERFITTING
    assert lesson.WALKTHROUGH[5].preset["dropout"] == 0.0
