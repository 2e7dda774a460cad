"""The lab notebooks of chapter 1, made of the app's own functions.

Each notebook reproduces one experiment of the page in plain Keras, in the order of a
keras-io example: *Prepare the data*, *Build the model*, *Train*, *Evaluate*, *Plot*. A
constants cell is written from the page's settings objects; every function after it is
the app's own (:func:`inspect.getsource` of :func:`~course_lib.training.seed_sequence`,
:func:`~course_lib.fundamentals.network.build_network`, :func:`~.network.predict`, …), so
the notebook's network starts from the app's initial weights and learns what the app's
network learns. The notebook needs only numpy, pandas, altair and keras (all on Colab) and
never imports ``course_lib``.

- :func:`notebook_cells`: *By training*, one network with one hidden layer;
- :func:`sweep_notebook_cells`: the *Width sweep*;
- :func:`depth_notebook_cells`: *Shallow to deep*.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course_lib.charts import LINE_WIDTH
from course_lib.classroom import Cell, code, markdown, source_of
from course_lib.fundamentals import charts, network, sweep, targets
from course_lib.fundamentals.lesson import DEPTH_FORMULAS
from course_lib.fundamentals.network import FitSettings
from course_lib.fundamentals.sweep import DepthSettings, SweepSettings
from course_lib.fundamentals.targets import CSV, FORMULA, TARGETS, TargetSettings
from course_lib.training import seed_sequence

IMPORTS = """
import random
from typing import Any

import altair as alt
import keras
import numpy as np
import pandas as pd
"""


def source_cell(*functions: Callable[..., Any]) -> Cell:
    """A code cell holding the app's own functions, exactly as the app defines them."""
    return code("\n\n".join(source_of(function) for function in functions))


def constants_cell(comment: str, values: dict[str, Any]) -> Cell:
    """``NAME = value`` lines (Python literals), written from the page's settings."""
    lines = [f"# {comment}"] + [f"{name} = {value!r}" for name, value in values.items()]
    return code("\n".join(lines))


@dataclass(frozen=True)
class NotebookTarget:
    """The target as a notebook writes it: numpy code in x on an interval.

    An uploaded CSV cannot travel with a notebook, so it becomes sin(x) with a ``note``
    that says so; a student's formula becomes numpy code via
    :func:`course_lib.formula.to_numpy_source`.
    """

    source: str  # y as numpy code in x, e.g. "np.sin(x)"
    low: float
    high: float
    samples: int
    note: str = ""  # opens the notebook's first cell when the target had to change

    @classmethod
    def of(cls, target: TargetSettings | None) -> NotebookTarget:
        """The page's target settings as notebook code (``None``: the defaults, sin)."""
        target = target or TargetSettings()
        if target.target == FORMULA:
            from course_lib.formula import to_numpy_source

            return cls(to_numpy_source(target.formula), target.low, target.high, target.samples)
        note = ""
        if target.target == CSV:
            note = "Your uploaded CSV is not part of the notebook: this uses sin(x) instead.\n\n"
        chosen = TARGETS.get(target.target, TARGETS["sin"])
        return cls(chosen.source, chosen.low, chosen.high, target.samples, note)

    @property
    def described(self) -> str:
        """E.g. "y = np.sin(x) on [-3.142, 3.142] from 256 points"."""
        return f"y = {self.source} on [{self.low:.4g}, {self.high:.4g}] from {self.samples} points"

    @property
    def constants(self) -> dict[str, Any]:
        return {"LOW": float(self.low), "HIGH": float(self.high), "SAMPLES": self.samples}

    def opening_cells(self, introduction: str, experiment: dict[str, Any]) -> list[Cell]:
        """The introduction, the imports, the constants and the data, ready for Keras."""
        return [
            markdown(self.note + introduction),
            code(IMPORTS),
            markdown("## The experiment\nThe settings of the app's page, as constants."),
            constants_cell("The target's interval and points", self.constants),
            constants_cell("The network and its training", experiment),
            markdown(
                "## Prepare the data\nThe target sampled on its interval, then as the float32 "
                "columns Keras wants."
            ),
            source_cell(network.as_columns),
            code(f"x = np.linspace(LOW, HIGH, SAMPLES)\ny = {self.source}\n"),
            code("x_train, y_train = as_columns(x, y)"),
            markdown(
                "## Build the model\nThe input is first mapped from the interval onto [-1, 1]; "
                "every initializer is seeded from `SEED`, so the network starts from the "
                "app's initial weights."
            ),
            source_cell(seed_sequence, network.input_scaling, network.build_network),
            code(OPTIONS),
        ]


def _training(fit: FitSettings, epochs: int) -> dict[str, Any]:
    return {
        "ACTIVATION": fit.activation,
        "OPTIMIZER": fit.optimizer,
        "LEARNING_RATE": fit.learning_rate,
        "EPOCHS": epochs,
        "SEED": fit.seed,
    }


#: Builds one network of the experiment with the settings above (after ``OPTIONS``).
BUILD_ARGUMENTS = "ACTIVATION, **OPTIONS"
OPTIONS = (
    "OPTIONS = dict(low=LOW, high=HIGH, optimizer=OPTIMIZER, learning_rate=LEARNING_RATE, "
    "seed=SEED)"
)
#: Full batch, like the app: every epoch is one gradient step on all the points.
FIT_ARGUMENTS = "x_train, y_train, batch_size=len(x_train), epochs=EPOCHS, shuffle=False, verbose=0"


def notebook_cells(settings: FitSettings, target: TargetSettings | None = None) -> list[Cell]:
    """A plain-Keras notebook that reproduces the *By training* experiment.

    Data (the target sampled on its interval), the one-hidden-layer model, full-batch
    training, and plots of the loss and the fit (Altair, which Colab has). An uploaded
    CSV cannot travel with the notebook: it falls back to sin(x), and says so.
    """
    data = NotebookTarget.of(target)
    experiment = {"HIDDEN_UNITS": settings.hidden_units, **_training(settings, settings.epochs)}
    return [
        *data.opening_cells(
            "A network with one hidden layer, ỹ = w · g(W x + b) + b, learns "
            f"{data.described} by backpropagation (full batch: one gradient step per epoch).",
            experiment,
        ),
        code(f"model = build_network((HIDDEN_UNITS,), {BUILD_ARGUMENTS})\nmodel.summary()"),
        markdown("## Train\nFull batch, as in the app: one gradient step on all points per epoch."),
        code(f"history = model.fit({FIT_ARGUMENTS})"),
        markdown("## Evaluate"),
        source_cell(network.predict, targets.approximation_errors),
        code(
            "y_hat = predict(model, x)\n"
            "errors = approximation_errors(y_hat, y)\n"
            "print(f\"MSE {errors['mse']:.3g}, max |y_hat - y| {errors['max_error']:.3g}\")"
        ),
        markdown("## Plot the loss and the fit"),
        code(
            """
loss = pd.DataFrame({"epoch": np.arange(1, len(history.history["loss"]) + 1),
                     "loss": history.history["loss"]})
loss_chart = alt.Chart(loss).mark_line().encode(
    x="epoch:Q", y=alt.Y("loss:Q", scale=alt.Scale(type="log")))
curves = pd.concat([pd.DataFrame({"x": x, "y": y, "curve": "target"}),
                    pd.DataFrame({"x": x, "y": y_hat, "curve": "network"})])
fit_chart = alt.Chart(curves).mark_line().encode(x="x:Q", y="y:Q", color="curve:N")
loss_chart | fit_chart
"""
        ),
    ]


def sweep_notebook_cells(
    settings: SweepSettings, fit: FitSettings, target: TargetSettings | None = None
) -> list[Cell]:
    """A plain-Keras notebook that reproduces the *Width sweep*.

    One network with one hidden layer per width, each trained full batch for
    ``settings.epochs`` epochs with the activation, optimizer, learning rate and seed of
    ``fit`` (its ``hidden_units`` and ``epochs`` are not used). The notebook prints one
    line per width (hidden units, parameters, MSE, max error), then shows the table and
    the app's chart of the MSE against the width on log-log axes.

    Raises:
        ValueError: when ``settings.widths`` cannot be read (see :func:`~.sweep.parse_widths`).
    """
    widths = list(sweep.parse_widths(settings.widths))
    data = NotebookTarget.of(target)
    return [
        *data.opening_cells(
            "More hidden units, smaller error: networks with one hidden layer, "
            f"ỹ = w · g(W x + b) + b, of {', '.join(map(str, widths))} units each learn "
            f"{data.described}, every one for the same {settings.epochs} epochs of full-batch "
            "training. The error after training is then plotted against the width.",
            {"WIDTHS": widths, **_training(fit, settings.epochs)},
        ),
        code(f"models = {{units: build_network((units,), {BUILD_ARGUMENTS}) for units in WIDTHS}}"),
        markdown("## Train one network per width"),
        code(f"for model in models.values():\n    model.fit({FIT_ARGUMENTS})"),
        markdown("## Evaluate: the errors after training"),
        source_cell(
            network.predict, targets.approximation_errors, network.parameter_count, sweep.width_row
        ),
        code(
            """
results = pd.DataFrame([width_row((units,), model, x, y) for units, model in models.items()])
for row in results.itertuples():
    print(f"{row.hidden_units} hidden units, {row.parameters} parameters: "
          f"MSE {row.mse:.3g}, max |y_hat - y| {row.max_error:.3g}")
results
"""
        ),
        markdown("## Plot the error against the width\nBoth axes are logarithmic."),
        constants_cell("Chart style", {"LINE_WIDTH": LINE_WIDTH}),
        source_cell(charts.sweep_chart),
        code("sweep_chart(results)"),
    ]


def depth_notebook_cells(
    settings: DepthSettings, fit: FitSettings, target: TargetSettings | None = None
) -> list[Cell]:
    """A plain-Keras notebook that reproduces *Shallow to deep*.

    One, two and three hidden layers of equal widths, from :func:`~.sweep.layers_for_budget`
    (computed here and written into the notebook as numbers), so the three networks have
    about ``settings.budget`` parameters each. Each trains full batch for ``settings.epochs``
    epochs with the activation, optimizer, learning rate and seed of ``fit``. The notebook
    prints one line per depth, then shows the summary table and the three fits side by
    side, each with the target.
    """
    hidden_layers = [sweep.layers_for_budget(settings.budget, layers) for layers in (1, 2, 3)]
    counts = ", ".join(
        f"{' × '.join(map(str, layers))}: {network.parameter_count(layers)}"
        for layers in hidden_layers
    )
    formulas = "\n".join(f"$$ {formula} $$" for formula in DEPTH_FORMULAS)
    data = NotebookTarget.of(target)
    return [
        *data.opening_cells(
            "Deep networks stack the same thing: one, two and three hidden layers with "
            f"about {settings.budget} parameters each learn {data.described}, every one for "
            f"{settings.epochs} epochs of full-batch training. Equal widths for each depth "
            f"give about the same number of parameters ({counts}). With one, two and three "
            f"hidden layers the network computes\n\n{formulas}",
            {"HIDDEN_LAYERS": hidden_layers, **_training(fit, settings.epochs)},
        ),
        code(f"models = [build_network(layers, {BUILD_ARGUMENTS}) for layers in HIDDEN_LAYERS]"),
        markdown("## Train one network per depth"),
        code(f"for model in models:\n    model.fit({FIT_ARGUMENTS})"),
        markdown("## Evaluate: the errors after training"),
        source_cell(
            network.predict, targets.approximation_errors, network.parameter_count, sweep.depth_row
        ),
        code(
            """
summary = pd.DataFrame(
    [depth_row(layers, model, x, y) for layers, model in zip(HIDDEN_LAYERS, models)]
)
for row in summary.itertuples():
    print(f"{row.hidden_layers} hidden layer{'s' * (row.hidden_layers > 1)} ({row.layers}): "
          f"{row.parameters} parameters, MSE {row.mse:.3g}, max |y_hat - y| {row.max_error:.3g}")
summary
"""
        ),
        markdown("## Plot the three fits side by side"),
        code(
            """
fits = pd.concat(
    pd.DataFrame({"x": x, "target": y, "network": predict(model, x), "layers": row.layers})
    for row, model in zip(summary.itertuples(), models)
)
curves = fits.melt(["x", "layers"], ["target", "network"], var_name="curve", value_name="y")
alt.Chart(curves).mark_line().encode(x="x:Q", y="y:Q", color="curve:N").properties(
    width=240, height=220
).facet(column=alt.Column("layers:N", title="hidden layers", sort=list(summary["layers"])))
"""
        ),
    ]
