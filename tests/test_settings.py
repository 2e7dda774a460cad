from dataclasses import dataclass

import pytest

from course_lib.settings import bounds, from_query_params, setting, to_query_params, validate


@dataclass(frozen=True)
class Example:
    hidden_units: int = setting(64, minimum=1, maximum=512, help="neurons")
    learning_rate: float = setting(0.01, minimum=1e-5, maximum=10.0)
    activation: str = setting("tanh", choices=("sigmoid", "tanh", "relu"))
    dropout: bool = setting(False)


def test_round_trip_through_query_params():
    settings = Example(hidden_units=8, learning_rate=0.5, activation="relu", dropout=True)
    params = to_query_params(settings)
    assert params == {
        "hidden_units": "8",
        "learning_rate": "0.5",
        "activation": "relu",
        "dropout": "true",
    }
    again, notices = from_query_params(Example, params)
    assert again == settings
    assert notices == []


def test_defaults_are_left_out_of_the_link():
    assert to_query_params(Example()) == {}


@pytest.mark.parametrize(
    "params",
    [
        {"hidden_units": "1e99"},
        {"hidden_units": "2.5"},
        {"hidden_units": "<script>alert(1)</script>"},
        {"learning_rate": "nan"},
        {"learning_rate": "-1"},
        {"activation": "softmax"},
        {"dropout": "maybe"},
    ],
)
def test_bad_values_are_ignored_with_a_notice(params):
    settings, notices = from_query_params(Example, params)
    assert settings == Example()
    assert len(notices) == 1 and "Ignored" in notices[0]


def test_unknown_names_with_our_prefix_get_a_notice_others_are_not_ours():
    settings, notices = from_query_params(Example, {"page": "x", "fit_zzz": "1"}, prefix="fit_")
    assert settings == Example()
    assert notices == ["Ignored zzz='1' from the link: this page has no such setting."]


def test_the_notice_quotes_what_was_typed():
    _, notices = from_query_params(Example, {"hidden_units": "1e99"})
    assert notices == [
        "Ignored hidden_units='1e99' from the link: it is above the maximum 512. Using 64."
    ]


def test_prefix_separates_experiments():
    params = to_query_params(Example(hidden_units=3), prefix="fit_")
    assert params == {"fit_hidden_units": "3"}
    assert from_query_params(Example, params, prefix="fit_")[0].hidden_units == 3


def test_bounds_and_validate():
    assert bounds(Example, "hidden_units").maximum == 512
    validate(Example())
    with pytest.raises(ValueError):
        validate(Example(hidden_units=0))
