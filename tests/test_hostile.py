"""No student can take the class down: no traceback on screen, link notices that are
text, shared caches nobody can write to, and every hostile input refused or handled."""

import numpy as np
import pytest

from course_lib import settings
from course_lib.formula import FormulaError, evaluate_formula
from course_lib.fundamentals import charts as fundamentals_charts
from course_lib.recurrent_networks import corpus
from course_lib.recurrent_networks import model as rnn_model
from course_lib.reinforcement_learning import policy
from tests.conftest import app_page
from tests.test_uploads import hostile


# -- no traceback reaches a student -------------------------------------------------------
def test_an_unexpected_error_in_a_page_shows_a_plain_message_and_the_app_keeps_working(
    monkeypatch,
):
    def broken(*args, **kwargs):
        raise RuntimeError("internal detail a student must not see")

    monkeypatch.setattr(fundamentals_charts, "plot_grid", broken)  # called by the Fundamentals page
    at = app_page("app_pages/fundamentals.py")
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("Something went wrong on this page (RuntimeError)" in e for e in errors), errors
    shown = " ".join(m.value for m in [*at.markdown, *at.error, *at.warning])
    assert "internal detail" not in shown and "Traceback" not in shown
    assert at.title[0].value  # the page got as far as it could

    monkeypatch.undo()  # the bug is fixed: the same session goes on
    at.run()
    assert not at.exception and not at.error
    at.switch_page("app_pages/home.py").run()
    assert not at.exception and at.title


def test_streamlit_control_flow_passes_through_the_guard():
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    from course_lib.ui.guard import guard

    with pytest.raises(StopException), guard():
        raise StopException()


def test_deployment_config_hides_error_details():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


def test_one_over_zero_says_division_by_zero():
    with pytest.raises(FormulaError, match="Division by zero: the formula divides by 0"):
        evaluate_formula("1/0", np.linspace(-1, 1, 5))
    with pytest.raises(FormulaError, match="Division by zero at x = 0"):
        evaluate_formula("1/x", np.linspace(-1, 1, 5))


# -- link notices are text, and few ---------------------------------------------------------
def test_a_markdown_link_in_a_url_is_shown_as_typed_not_as_a_link():
    _, notices = settings.parse_query_params(
        {rnn_model.TextSettings: "rnn_"}, {"rnn_[log in again](https://example.com/login)": "1"}
    )
    assert len(notices) == 1
    assert "](" not in notices[0] and "https://" not in notices[0]
    assert "\\[log in again\\]\\(https\u200b\\:" in notices[0]


def test_escape_markdown_leaves_words_and_names_readable():
    assert settings.escape_markdown("hidden_units") == "hidden_units"
    assert settings.escape_markdown("_x_ *b* `c` $d$") == r"\_x\_ \*b\* \`c\` \$d\$"
    assert settings.escape_markdown("www.a.org a@b") == "www\u200b\\.a\u200b\\.org a\u200b\\@b"


def test_a_thousand_bad_fields_give_one_summary_notice():
    params = {f"rnn_field{i}": "x" for i in range(1000)} | {"rnn_batch_size": "32"}
    values, notices = settings.parse_query_params({rnn_model.TextSettings: "rnn_"}, params)
    assert values == {"rnn_batch_size": 32}
    assert len(notices) == settings.MAX_LINK_NOTICES + 1
    assert notices[-1].startswith("…and 995 more fields of the link ignored")


# -- shared caches are read-only ------------------------------------------------------------
def test_cached_text_data_cannot_be_written_through():
    data = corpus.prepare_data(
        "the cat sat on the mat. " * 40, rnn_model.TextSettings(sequence_length=16)
    )
    with pytest.raises(TypeError):
        data.baselines["unigram"] = 0.0
    with pytest.raises(TypeError):
        data.vocabulary._index["the"] = 0
    with pytest.raises(ValueError):
        data.x_train[0, 0] = 1
    with pytest.raises(AttributeError):
        data.baselines.clear()


def test_a_policy_cannot_be_written_through():
    shared = policy.NumpyPolicy([np.ones((4, 8)), np.zeros(8), np.ones((8, 2)), np.zeros(2)])
    with pytest.raises(ValueError):
        shared.weights[0][0, 0] = 5.0
    with pytest.raises(TypeError):
        shared.weights[0] = np.zeros((4, 8))
    assert shared(np.zeros((3, 4))).shape == (3, 2)


def test_the_shipped_policy_loads_read_only():
    shipped = policy.load_policy()
    assert all(not w.flags.writeable for w in shipped.weights)


# -- the hostile corpus: refused or handled, never a crash -----------------------------------
@pytest.mark.parametrize(
    "name", [n for n, (kind, _, _) in hostile.CORPUS.items() if kind == "hostile"]
)
def test_every_hostile_input_is_refused_or_handled_with_a_sentence(name):
    _, build, action = hostile.CORPUS[name]
    try:
        outcome = action(build())
    except ValueError as refusal:  # UploadError, CsvProblem, CorpusError, FormulaError, budget
        outcome = str(refusal)
    assert isinstance(outcome, str) and outcome
    assert "Traceback" not in outcome and "Error" not in outcome.split(":")[0]
