"""course_lib.deep_supervised_learning.experiment: the settings of one experiment."""

import dataclasses

from course_lib.deep_supervised_learning.experiment import (
    PlaygroundSettings,
    settings_from_values,
)


def settings(**changes) -> PlaygroundSettings:
    return dataclasses.replace(PlaygroundSettings(), **changes)


def test_unused_layers_do_not_change_the_settings():
    values = dataclasses.asdict(settings(hidden_layers=2))
    values["hidden_units_5"], values["activation_6"] = 512, "relu"
    assert settings_from_values(values) == settings(hidden_layers=2)
    values["hidden_layers"] = 6
    assert settings_from_values(values).layers[4:] == ((512, "tanh"), (16, "relu"))
