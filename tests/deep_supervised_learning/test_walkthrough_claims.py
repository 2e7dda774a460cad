"""Every walkthrough step shows what it says: its preset, trained as the page trains it.

Each step's preset trains in well under 20 s on 2 cores (``benchmarks/walkthroughs.py
--chapter deep_supervised_learning`` times them), so every step with a claim is run here.
"""

import pytest

from course_lib.deep_supervised_learning.lesson import (
    LEARNING_RATE_DIVISOR,
    LEARNING_RATE_STEP,
    WALKTHROUGH,
    step_result,
)
from course_lib.training import divergence_message

CLAIMED = [step for step in WALKTHROUGH if step.claim is not None]


def test_every_step_that_claims_something_has_a_claim():
    assert len(CLAIMED) == len(WALKTHROUGH)


@pytest.mark.parametrize("step", CLAIMED, ids=[step.title for step in CLAIMED])
def test_step_claim_holds(step):
    result = step_result(step)
    assert step.claim.check(result), (step.claim.says, result)


def test_the_learning_rate_step_and_the_alert_name_one_divisor():
    step = next(step for step in WALKTHROUGH if step.title == LEARNING_RATE_STEP)
    assert f"by {LEARNING_RATE_DIVISOR}" in step.text
    assert f"about {LEARNING_RATE_DIVISOR}× smaller" in divergence_message(1, float("nan"), 0)
    retry = step.preset["learning_rate"] / LEARNING_RATE_DIVISOR
    assert f"{retry:g}" in step.text
