"""The chapter's lesson as data: the walkthrough's presets, their checked claims, the quiz."""

import dataclasses

import numpy as np
import pytest

from course_lib.reinforcement_learning import agents, cartpole, lesson, seeds
from course_lib.settings import bounds, validate

SWEEP_FIELDS = {f.name for f in dataclasses.fields(seeds.SweepSettings)}
#: Steps whose preset trains in well under 20 s on 2 cores (the others: benchmarks/walkthroughs.py).
QUICK_STEPS = (1, 4)  # the pretrained agent; too large a learning rate (stops at update 4)


def test_walkthrough_presets_are_valid_settings():
    assert 4 <= len(lesson.WALKTHROUGH) <= 8
    fields = {f.name for f in dataclasses.fields(agents.AgentSettings)}
    for step in lesson.WALKTHROUGH:
        assert set(step.preset) <= fields | SWEEP_FIELDS
        agent = {k: v for k, v in step.preset.items() if k in fields}
        validate(dataclasses.replace(agents.AgentSettings(), **agent))
        sweep = {k: v for k, v in step.preset.items() if k in SWEEP_FIELDS}
        validate(dataclasses.replace(seeds.SweepSettings(), **sweep))
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


def test_every_step_makes_a_checked_claim():
    assert all(step.claim is not None for step in lesson.WALKTHROUGH)
    assert all(step.claim.says for step in lesson.WALKTHROUGH)


@pytest.mark.parametrize("number", QUICK_STEPS)
def test_a_quick_step_shows_what_it_says(number):
    step = lesson.WALKTHROUGH[number - 1]
    result = lesson.step_result(step)
    assert step.claim.check(result), (step.title, step.claim.says, result)


def test_the_claims_reject_what_the_old_texts_got_wrong():
    reinforce, too_large = lesson.WALKTHROUGH[2].claim, lesson.WALKTHROUGH[3].claim
    # REINFORCE that reaches 475 and stays there would not show the noise the step claims
    assert not reinforce.check({"returns": [30.0, 200.0, 480.0, 500.0, 500.0]})
    assert reinforce.check({"returns": [30.0, 480.0, 150.0, 400.0]})
    # a run stopped at update 20 is not "stopped at update 4"
    stopped_late = {
        "returns": [20.0, 10.0],
        "entropies": [0.69, 0.0],
        "status": "diverged",
        "message": "Training stopped at update 20: ... rolled back ...",
    }
    assert not too_large.check(stopped_late)
    luck = lesson.WALKTHROUGH[5].claim
    assert not luck.check({"spread": 40.0}) and luck.check({"spread": 350.0})


def test_the_heatmap_spread_says_which_variable_the_policy_goes_by():
    def by_velocity(states):
        p = (states[:, 3] > 0).astype(float)
        return np.stack([1 - p, p], axis=1)

    spread = cartpole.heatmap_spread(cartpole.policy_grid(by_velocity))
    assert spread["angular velocity"] == pytest.approx(1.0)
    assert spread["angle"] == pytest.approx(0.0)
