"""Every walkthrough step that claims something shows it: its preset run headless, checked.

Steps whose preset trains within about 20 s run here (seeds fixed: deterministic);
*Shallow to deep* trains three networks and is checked by
``benchmarks/walkthroughs.py --chapter fundamentals``.
"""

import pytest

from course_lib.fundamentals import lesson

SLOW_SECTIONS = {"Shallow to deep"}
CLAIMING = [step for step in lesson.WALKTHROUGH if step.claim is not None]


def test_every_step_that_shows_a_result_claims_it():
    assert len(CLAIMING) == len(lesson.WALKTHROUGH)


@pytest.mark.parametrize(
    "step",
    [step for step in CLAIMING if step.section not in SLOW_SECTIONS],
    ids=lambda step: step.title,
)
def test_the_step_shows_what_it_says(step):
    result = lesson.step_result(step)
    assert step.claim.check(result), (step.claim.says, dict(result))
