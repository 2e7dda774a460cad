"""The Fundamentals page in AppTest: sliders move, training runs, bad input gets a message."""

import pytest

from tests.conftest import app_page, run_training

PAGE = "app_pages/fundamentals.py"


@pytest.fixture
def at():
    page = app_page(PAGE)
    assert not page.exception
    return page


def plot_data(at) -> dict:
    """What the server sends the by-hand plot (the browser draws and edits from it)."""
    import json

    plots = [
        e for e in at.main.get("bidi_component") if e.proto.component_name == "course_hand_plot"
    ]
    assert len(plots) == 1
    return json.loads(plots[0].proto.json)


def edit_unit(at, **values):
    """Release the by-hand plot's sliders at ``values``, as the browser sends them.

    AppTest runs no JavaScript: the edit is set as the plot's state, as the browser does.
    """
    state = at.session_state
    unit, network = state["hand_unit"] - 1, state["hand_network"]
    last = state["hand_edit"]["seq"] if "hand_edit" in state else 0
    edit = {
        "seq": last + 1,
        "unit": unit,
        "units": network.hidden_units,
        "position": network.positions[unit],
        "steepness": network.steepness[unit],
        "weight": network.weights[unit],
        "bias": network.bias,
    }
    at.session_state["hand_plot"] = {"unit": {**edit, **values}}
    return at.run()


def metric(at, label: str) -> float:
    return float(next(m.value for m in at.metric if m.label == label))


def open_tab(at, label: str):
    at.session_state["fundamentals_section"] = label
    return at.run()


def test_the_page_opens_on_the_by_hand_section(at):
    assert at.title[0].value.startswith("Fundamentals")
    assert at.slider(key="hand_hidden_units").value == 6
    assert at.selectbox(key="fit_target").value == "sin"


def test_sliders_move_and_automatic_bumps_lower_the_error(at):
    blank = metric(at, "mean squared error")
    edit_unit(at, weight=0.5)
    assert not at.exception
    assert metric(at, "mean squared error") != blank
    at.button[0].click().run()  # "Place the 6 units automatically"
    six = metric(at, "mean squared error")
    assert six < blank
    at.slider(key="hand_hidden_units").set_value(30).run()
    assert not at.exception
    # placed automatically: raising N places the 30 units at once, no second press needed
    assert metric(at, "mean squared error") < six / 10
    at.button[0].click().run()
    assert metric(at, "mean squared error") < six / 10
    # the plot's sliders are the picked unit's
    at.slider(key="hand_unit").set_value(30).run()
    assert plot_data(at)["unit"] == 29
    assert plot_data(at)["positions"] == list(at.session_state["hand_network"].positions)


def test_units_moved_by_hand_stay_when_n_grows(at):
    at.button[0].click().run()
    edit_unit(at, weight=0.5)  # placed by hand from now on
    moved = at.session_state["hand_network"]
    at.slider(key="hand_hidden_units").set_value(8).run()
    assert not at.exception
    grown = at.session_state["hand_network"]
    assert grown.hidden_units == 8
    assert grown.weights[0] == pytest.approx(moved.weights[0])


def test_relu_units_and_another_target(at):
    at.selectbox(key="fit_target").set_value("wiggly").run()
    at.segmented_control(key="hand_activation").set_value("relu").run()
    at.button[0].click().run()
    assert not at.exception
    assert metric(at, "mean squared error") < 0.05


@pytest.mark.parametrize(
    ("formula", "message"),
    [("x.__class__", "Attribute access"), ("sin(x", "not a formula"), ("bogus(x)", "Only")],
)
def test_a_bad_formula_shows_a_message_and_no_exception(at, formula, message):
    at.selectbox(key="fit_target").set_value("your formula").run()
    at.text_input(key="fit_formula").input(formula).run()
    assert not at.exception
    assert any(message in error.value for error in at.error)
    at.text_input(key="fit_formula").input("abs(x)").run()
    assert not at.exception and not at.error


def test_a_bad_csv_upload_asks_for_a_file(at):
    at.selectbox(key="fit_target").set_value("uploaded CSV").run()
    assert not at.exception
    assert any("Upload a CSV" in error.value for error in at.error)


def test_training_runs_from_start_to_finish(at):
    at.session_state["fit_epochs"] = 40
    open_tab(at, "By training")
    assert not at.exception
    at = run_training(at, "fit")
    assert not at.exception
    trainer = at.session_state["fit_trainer"][1]
    assert trainer.status == "finished" and trainer.epochs_done == 40
    assert any("Finished: 40 epochs" in s.value for s in at.success)
    at.toggle(key="fit_show_units").set_value(True).run()
    assert not at.exception


def test_width_sweep_and_depth_comparison_train_on_a_click(at):
    at.session_state["sweep_widths"] = "1, 8"
    at.session_state["sweep_epochs"] = 20
    open_tab(at, "Width sweep")
    at = run_training(at, "sweep")  # live, one network at a time (issue 13)
    assert not at.exception
    assert list(at.session_state["sweep_trainer"][1].table()["hidden_units"]) == [1, 8]
    assert notebook_buttons(at) == ["sweep_notebook"]  # the sweep, for the lab
    at.text_input(key="sweep_widths").input("0, 2000").run()
    assert any("between 1 and 512" in error.value for error in at.error)
    assert notebook_buttons(at) == []  # no notebook for widths that do not parse

    at.session_state["depth_budget"] = 40
    at.session_state["depth_epochs"] = 20
    open_tab(at, "Shallow to deep")
    at = run_training(at, "depth")
    assert not at.exception
    summary = at.session_state["depth_trainer"][1].table()
    assert list(summary["hidden_layers"]) == [1, 2, 3]
    assert notebook_buttons(at) == ["depth_notebook"]


def notebook_buttons(at) -> list[str]:
    """Keys of the notebook downloads on the page."""
    return [
        b.proto.id.rsplit("-", 1)[-1]
        for b in at.get("download_button")
        if ".ipynb" in b.proto.label
    ]


def test_backprop_step_lowers_the_error_and_matches_the_tape(at):
    open_tab(at, "Backpropagation")
    assert not at.exception
    before = metric(at, "Error E before")
    at.button[0].click().run()  # "Take the step"
    assert not at.exception
    assert metric(at, "Error E before") < before
    assert any("GradientTape computes the same" in s.value for s in at.success)
    at.number_input(key="bp_hidden_layers").set_value(2).run()
    assert not at.exception


def test_sections_keep_their_settings_when_the_student_comes_back(at):
    at.slider(key="hand_hidden_units").set_value(9).run()
    at.button[0].click().run()
    placed = metric(at, "mean squared error")
    open_tab(at, "Backpropagation")
    at.number_input(key="bp_seed").set_value(7).run()
    open_tab(at, "By hand")
    assert not at.exception
    assert at.slider(key="hand_hidden_units").value == 9
    assert metric(at, "mean squared error") == placed  # the placed units are still there
    open_tab(at, "Backpropagation")
    assert at.number_input(key="bp_seed").value == 7


def test_a_diverging_learning_rate_is_stopped_with_a_reason(at):
    at.session_state["fit_optimizer"] = "sgd"
    at.session_state["fit_learning_rate"] = 10.0
    at.session_state["fit_epochs"] = 40
    at = run_training(open_tab(at, "By training"), "fit")
    assert not at.exception
    assert at.session_state["fit_trainer"][1].status == "diverged"
    assert any("learning rate" in error.value for error in at.error)


def test_the_by_hand_plot_gets_the_network_and_the_grid_it_is_compared_on(at):
    from course_lib.fundamentals import charts as fundamentals_charts
    from course_lib.fundamentals import targets as tg

    at.button[0].click().run()  # place the 6 units
    data = plot_data(at)
    points = tg.target_points(tg.TargetSettings())
    network = at.session_state["hand_network"]
    assert data["title"] == "6 units by hand (unit 1 in orange)"
    assert data["x"] == fundamentals_charts.plot_grid(points).tolist()
    assert (data["positions"], data["weights"], data["bias"]) == (
        list(network.positions),
        list(network.weights),
        network.bias,
    )
    at.slider(key="hand_unit").set_value(3).run()
    assert plot_data(at)["title"] == "6 units by hand (unit 3 in orange)"
    assert plot_data(at)["unit"] == 2


def test_an_edit_from_the_plot_is_stored_once_and_clipped(at):
    at.button[0].click().run()
    edit_unit(at, weight=0.25, position=0.5)
    network = at.session_state["hand_network"]
    assert network.weights[0] == 0.25 and network.positions[0] == 0.5
    assert at.session_state["hand_placed"] is False
    assert plot_data(at)["applied"] == at.session_state["hand_edit"]["seq"]
    at.button[0].click().run()  # placed again: the old edit, still the plot's state, stays out
    assert at.session_state["hand_network"].weights[0] != 0.25
    edit_unit(at, weight=1e9, steepness=-5)  # beyond the sliders: clipped to their ends
    assert not at.exception
    network = at.session_state["hand_network"]
    assert network.weights[0] == plot_data(at)["ranges"]["weight"][1] and network.steepness[0] == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"weight": "0.5"},
        {"weight": float("nan")},
        {"weight": True},
        {"unit": 4},  # not the unit being edited
        {"unit": -1},
        {"units": 7},  # made for another N
        {"unit": "0"},
        {"position": None},
    ],
    ids=repr,
)
def test_a_malformed_or_stale_edit_is_ignored(at, bad):
    at.button[0].click().run()
    placed = at.session_state["hand_network"]
    edit_unit(at, **bad)
    assert not at.exception
    assert at.session_state["hand_network"] == placed
    assert plot_data(at)["applied"] == at.session_state["hand_edit"]["seq"]  # answered


@pytest.mark.parametrize("state", [None, "text", {"unit": "text"}, {"unit": [1, 2]}, {}])
def test_a_plot_state_that_is_not_an_edit_is_ignored(at, state):
    at.button[0].click().run()
    placed = at.session_state["hand_network"]
    at.session_state["hand_plot"] = state
    at.run()
    assert not at.exception
    assert at.session_state["hand_network"] == placed
