"""Classroom pieces: the data types, the notebook builder, and the widgets on a demo page."""

import pytest
from streamlit.testing.v1 import AppTest

from course_lib.classroom import Question, code, markdown, notebook
from tests.conftest import ROOT, link_notices

APP = str(ROOT / "tests" / "apps" / "classroom_demo.py")


def demo(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def test_question_checks_the_answer():
    q = Question("2 + 2?", ("3", "4"), 1, "Arithmetic.")
    assert q.check(1) and not q.check(0)
    with pytest.raises(ValueError):
        Question("?", ("a",), 3, "")


def test_notebook_is_valid_and_executes():
    import nbformat
    from nbclient import NotebookClient

    data = notebook([markdown("Some *text*"), code("x = 6 * 7\nprint(x)")], title="Demo")
    book = nbformat.reads(data.decode(), as_version=4)
    assert [c.cell_type for c in book.cells] == ["markdown", "markdown", "code"]
    NotebookClient(book, timeout=120, kernel_name="python3").execute()
    assert book.cells[-1].outputs[0]["text"].strip() == "42"


def test_walkthrough_steps_set_the_controls_and_clamp_out_of_range_presets():
    at = demo()
    at.toggle(key="demo_walk_on").set_value(True).run()
    at.button(key="demo_walk_begin").click().run()
    assert at.slider(key="demo_hidden_units").value == 2
    assert any("Step 1 of 3" in m.value for m in at.markdown)
    at.button(key="demo_walk_next").click().run()
    assert at.slider(key="demo_hidden_units").value == 64
    assert at.selectbox(key="demo_activation").value == "relu"
    at.slider(key="demo_hidden_units").set_value(10).run()  # the controls stay live
    assert at.slider(key="demo_hidden_units").value == 10
    at.button(key="demo_walk_next").click().run()
    assert at.slider(key="demo_hidden_units").value == 64
    assert any("lowered from 1000 to its maximum 64" in i.value for i in at.info)
    at.button(key="demo_walk_back").click().run()
    assert any("Step 2 of 3" in m.value for m in at.markdown)
    assert not at.exception


def test_a_shared_link_sets_the_controls():
    at = demo(demo_hidden_units="5", demo_activation="relu")
    assert at.slider(key="demo_hidden_units").value == 5
    assert at.selectbox(key="demo_activation").value == "relu"
    assert at.query_params["demo_hidden_units"] == "5"


@pytest.mark.parametrize("value", ["1e99", "abc", "<script>alert(1)</script>", "-3"])
def test_a_hand_edited_link_is_ignored_with_a_notice(value):
    at = demo(demo_hidden_units=value)
    assert not at.exception
    assert at.slider(key="demo_hidden_units").value == 8
    assert any("Ignored hidden_units=" in notice for notice in link_notices(at))


def test_changed_settings_are_written_to_the_url():
    at = demo()
    at.slider(key="demo_hidden_units").set_value(12).run()
    assert at.query_params["demo_hidden_units"] == "12"
    at.slider(key="demo_hidden_units").set_value(8).run()  # back to the default: left out
    assert "demo_hidden_units" not in at.query_params


def test_quiz_gives_instant_feedback():
    at = demo()
    at.radio(key="demo_quiz_q0").set_value(1).run()
    assert any(s.value.startswith("Right.") for s in at.success)
    at.radio(key="demo_quiz_q1").set_value(1).run()
    assert any(e.value.startswith("Not quite.") for e in at.error)
    assert any("1 of 2 right" in c.value for c in at.caption)


def test_a_preset_is_a_complete_experiment_so_back_restores_the_step_before():
    at = demo()
    at.toggle(key="demo_walk_on").set_value(True).run()
    at.button(key="demo_walk_begin").click().run()
    at.selectbox(key="demo_activation").set_value("relu").run()  # the student's own change
    at.button(key="demo_walk_next").click().run()
    at.button(key="demo_walk_next").click().run()  # "Too many" names only hidden_units
    assert at.selectbox(key="demo_activation").value == "tanh"  # the rest back to defaults
    at.button(key="demo_walk_back").click().run()
    assert at.slider(key="demo_hidden_units").value == 64
    assert at.selectbox(key="demo_activation").value == "relu"  # step 2's experiment, exactly
    assert not at.exception


def test_a_link_value_between_two_stops_moves_to_the_nearest_with_one_notice():
    at = demo(demo_learning_rate="0.02")
    assert at.select_slider(key="demo_learning_rate").value == 0.03  # nearest on a log scale
    (notice,) = link_notices(at)
    assert "learning_rate = 0.02" in notice and "nearest, 0.03" in notice
    assert not at.exception


def test_link_text_is_shown_as_typed_never_as_markdown_and_summarised():
    link = "[log in](https://example.com/x)"
    query = {f"demo_{link}": "1"} | {f"demo_no_such_{i}": str(i) for i in range(40)}
    at = demo(**query)
    assert len(at.warning) == 1  # one summary notice, however many bad fields
    (warning,) = at.warning
    assert link not in warning.value and "\\[log in\\]\\(" in warning.value  # escaped
    notices = link_notices(at)
    assert link in notices[0]  # …and the student reads what was typed
    assert len(notices) == 6 and notices[-1].startswith("…and 36 more fields")
    assert not at.exception


def test_counts_are_singular_for_one():
    from course_lib.classroom import count

    assert count(1, "epoch") == "1 epoch" and count(0, "epoch") == "0 epochs"
    assert count(2, "update") == "2 updates" and count(1_000, "step") == "1,000 steps"
    assert count(3, "child", "children") == "3 children"
