"""By training: the same one-hidden-layer net, its weights found by backpropagation (Keras)."""

import functools

import numpy as np
import streamlit as st

from course_lib import approximation as ap
from course_lib import budget, ui

PREFIX = ap.PAGE_SETTINGS[ap.FitSettings]  # "fit_", shared with the target's widgets


def show(points: ap.Points, plot_x: np.ndarray) -> None:
    ui.require_tensorflow()
    st.markdown(
        "The same network, but backpropagation sets w, W and b: each epoch is one "
        "gradient step on all points, downhill on the mean squared error."
    )
    columns = st.columns(5)
    fit_widget = functools.partial(ui.setting_widget, settings_class=ap.FitSettings, prefix=PREFIX)
    fit_widget(columns[0].slider, name="hidden_units", label="Hidden units")
    fit_widget(columns[1].selectbox, name="activation", label="Activation g")
    fit_widget(columns[2].selectbox, name="optimizer", label="Optimizer")
    fit_widget(
        columns[3].number_input,
        name="learning_rate",
        label="Learning rate",
        format="%.4f",
        step=0.005,
    )
    fit_widget(columns[4].number_input, name="epochs", label="Epochs", step=100)
    st.toggle(r"Show each hidden unit's share $w_j\,g(W_j x + b_j)$", key="fit_show_units")

    def draw_fit(trainer) -> None:
        """Live view: the fitted curve, and each hidden unit's share when asked."""
        y_hat, shares = ap.network_parts(trainer.model, plot_x)
        errors = ap.approximation_errors(ap.network_parts(trainer.model, points.x)[0], points.y)
        ui.chart(
            ap.approximation_chart(
                points,
                plot_x,
                y_hat,
                shares if st.session_state.get("fit_show_units") else None,
                title=f"After {trainer.epochs_done} epochs: MSE {errors['mse']:.2e}, "
                f"max |ŷ − y| {errors['max_error']:.3f}",
            )
        )

    fit = ui.settings_from_widgets(ap.FitSettings, PREFIX)
    if refusal := budget.check(budget.fundamentals_fit(fit, len(points.x))):
        st.error(refusal, icon=":material/block:")
        return
    trainer = ui.session_trainer(
        "fit_trainer", (fit, points.fingerprint), lambda: ap.fit_trainer(fit, points)
    )
    ui.training_panel(trainer, key="fit", metrics=("loss",), log_scale=True, live_view=draw_fit)
    ui.lab_downloads(
        trainer,
        functools.partial(
            ap.notebook_cells, fit, ui.settings_from_widgets(ap.TargetSettings, PREFIX)
        ),
        title="Fundamentals: one hidden layer learns a curve",
        file_name="fundamentals-fit.ipynb",
        name="fundamentals-fit",
        key="fit_",
    )
    ui.show_code(ap.build_network, ap.fit_trainer)
