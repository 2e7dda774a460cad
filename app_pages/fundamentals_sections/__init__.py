"""The sections of chapter 1, one ``show()`` module each, and the page's facts.

``EXPERIMENTS`` declares, once, the page's settings classes and the widget-key prefix of
each: the target and the fit share ``"fit_"`` (the target travels with the fit). The
widgets, the shared link and the walkthrough all go through ``ui.Controls(EXPERIMENTS)``.
"""

from course_lib.fundamentals.approximation import HandSettings
from course_lib.fundamentals.backprop import BackpropSettings
from course_lib.fundamentals.network import FitSettings
from course_lib.fundamentals.sweep import DepthSettings, SweepSettings
from course_lib.fundamentals.targets import TargetSettings

EXPERIMENTS: dict[type, str] = {
    TargetSettings: "fit_",
    FitSettings: "fit_",
    HandSettings: "hand_",
    SweepSettings: "sweep_",
    DepthSettings: "depth_",
    BackpropSettings: "bp_",
}

#: The page's sections (tabs), in the lecture's order.
SECTIONS = ("By hand", "By training", "Width sweep", "Shallow to deep", "Backpropagation")

#: Readable column titles for the sweep and depth tables.
COLUMN_TITLES = {
    "hidden_units": "hidden units",
    "hidden_layers": "hidden layers",
    "layers": "widths",
    "max_error": "max |ỹ − y|",
    "mse": "MSE",
}
