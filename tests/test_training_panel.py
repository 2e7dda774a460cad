"""The shared training widget, on a tiny page (tests/apps/tiny_training.py), in AppTest."""

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, run_training

APP = str(ROOT / "tests" / "apps" / "tiny_training.py")


def tiny_app(**query):
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = str(value)
    return at.run()


def trainer_of(at):
    return at.session_state["tiny"][1]


def test_start_trains_to_the_end_and_says_so():
    at = run_training(tiny_app(epochs=5), "tiny")
    assert not at.exception
    assert trainer_of(at).epochs_done == 5
    assert any("Finished: 5 epochs" in s.value for s in at.success)
    assert at.button(key="tiny_start").label == "Train more"


def test_step_one_epoch_then_reset():
    at = tiny_app(epochs=5)
    at.button(key="tiny_step").click().run()
    assert trainer_of(at).epochs_done == 1
    assert any("Paused" in i.value for i in at.info)
    at.button(key="tiny_reset").click().run()
    assert trainer_of(at).epochs_done == 0
    assert at.button(key="tiny_start").label == "Start"


def test_a_diverging_run_is_stopped_with_an_explanation():
    at = run_training(tiny_app(epochs=40, learning_rate=1e4), "tiny")
    assert not at.exception
    assert trainer_of(at).status == "diverged"
    assert any("learning rate" in e.value for e in at.error)


def test_sessions_do_not_share_a_trainer():
    first, second = tiny_app(epochs=3), tiny_app(epochs=3)
    run_training(first, "tiny")
    assert trainer_of(first).epochs_done == 3
    assert trainer_of(second).epochs_done == 0
    assert trainer_of(first) is not trainer_of(second)


def test_changed_settings_keep_the_run_before_as_a_ghost_curve():
    at = run_training(tiny_app(epochs=3), "tiny")
    first_history = [row["loss"] for row in trainer_of(at).history]
    at.query_params["epochs"] = "4"  # another experiment: a new trainer
    at.run()
    trainer = trainer_of(at)
    assert trainer.epochs_done == 0
    assert [row["loss"] for row in trainer.previous_history] == first_history
    at = run_training(at, "tiny")
    specs = [chart.proto.spec for chart in at.get("vega_lite_chart")]
    assert any("previous run" in spec for spec in specs)  # drawn beside the new curve
    assert not at.exception
