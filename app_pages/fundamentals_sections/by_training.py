"""By training: the same one-hidden-layer net, its weights found by backpropagation (Keras)."""

import functools

import numpy as np
import streamlit as st

from course_lib import budget, ui
from course_lib.classroom import count
from course_lib.fundamentals import charts, lab
from course_lib.fundamentals import network as nw
from course_lib.fundamentals.targets import Points, TargetSettings, approximation_errors
from course_lib.training import TrainingStatus, learning_curves_frame

#: The fit's widgets, left to right, and the widget each is drawn with.
FIT_WIDGETS = {
    "hidden_units": "slider",
    "activation": "selectbox",
    "optimizer": "selectbox",
    "learning_rate": "number_input",
    "epochs": "number_input",
}


#: The fitted curve's height: with the loss chart above it, on a 1366 × 768 screen too.
FIT_HEIGHT = 300


def fit_title(trainer) -> str:
    """What the fit chart shows: the network after so many epochs, or the rolled-back one."""
    if trainer.status is TrainingStatus.DIVERGED:
        return "Diverged; the rolled-back network (its last good state)"
    return f"After {count(trainer.epochs_done, 'epoch')}"


def show(controls: ui.Controls, points: Points, plot_x: np.ndarray) -> None:
    ui.require_tensorflow()
    st.markdown(
        "The same network, but backpropagation sets w, W and b: each epoch is one "
        "gradient step on all points, downhill on the mean squared error."
    )
    # the knobs beside the picture (TensorFlow Playground's columns): knobs | Start + charts
    knobs, picture = st.columns([1, 3])
    with knobs:
        for name, kind in FIT_WIDGETS.items():
            controls.widget(getattr(st, kind), nw.FitSettings, name)
        st.toggle(r"Show each hidden unit's share $w_j\,g(W_j x + b_j)$", key="fit_show_units")

    def draw_fit(trainer) -> None:
        """Live view: the fitted curve, and each hidden unit's share when asked.

        Redrawn after every chunk, and every few seconds while the student waits for a
        free core: what it draws is kept on the trainer until the network changes, and
        the curve goes through a layout built once (only its data is sent again).
        """
        show_units = bool(st.session_state.get("fit_show_units"))
        state = (trainer.epochs_done, len(trainer.history), show_units)

        def build():
            y_hat, shares = nw.network_parts(trainer.model, plot_x)
            errors = approximation_errors(nw.network_parts(trainer.model, points.x)[0], points.y)
            shares = shares if show_units else None
            losses = None  # this run's and the run before's, drawn with a layout built once
            if trainer.history:
                previous = getattr(trainer, "previous_history", None)
                losses = (
                    learning_curves_frame(trainer.history),
                    learning_curves_frame(previous) if previous else None,
                )
            return (
                losses,
                charts.curve_kinds(shares, None),
                charts.approximation_frame(points, plot_x, y_hat, shares),
                f"{fit_title(trainer)}: MSE {errors['mse']:.2e}, "
                f"max |ỹ − y| {errors['max_error']:.3f}",
            )

        losses, kinds, frame, title = ui.kept_on(trainer, "_drawn_fit", state, build)
        loss, curve = st.columns([2, 3])  # the loss beside the fit: both under the Start button
        if losses is not None:
            with loss:
                ui.live_learning_curves(
                    losses[0], "loss", log_scale=True, x_title="epoch", previous=losses[1]
                )
        with curve:
            ui.chart_from_layout(
                charts.approximation_layout, kinds, FIT_HEIGHT, data=frame, title=title
            )

    fit = controls.settings(nw.FitSettings)
    if refusal := budget.check(budget.fundamentals_fit(fit, len(points.x))):
        st.error(refusal, icon=":material/block:")
        return
    trainer = ui.session_trainer(
        "fit_trainer", (fit, points.fingerprint), lambda: nw.fit_trainer(fit, points)
    )
    with picture:
        ui.training_panel(trainer, key="fit", metrics=(), live_view=draw_fit)
    ui.lab_downloads(
        trainer,
        functools.partial(lab.notebook_cells, fit, controls.settings(TargetSettings)),
        title="Fundamentals: one hidden layer learns a curve",
        file_name="fundamentals-fit.ipynb",
        name="fundamentals-fit",
        key="fit_",
    )
    ui.show_code(nw.build_network, nw.fit_trainer)
