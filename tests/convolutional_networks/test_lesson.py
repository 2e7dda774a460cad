"""Chapter 3's lesson as data: the walkthrough and the quiz."""

import dataclasses

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
