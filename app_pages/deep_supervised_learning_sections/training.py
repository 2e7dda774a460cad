"""Training: the live panel, the decision boundary and the gradient norms as it learns."""

import streamlit as st

from app_pages.deep_supervised_learning_sections import PREFIX
from course_lib import ui
from course_lib.deep_supervised_learning.charts import (
    boundary_chart,
    boundary_frame,
    gradient_chart,
    gradient_frame,
)
from course_lib.deep_supervised_learning.data import Dataset
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.lab import notebook_cells


def show(trainer, settings: PlaygroundSettings, data: Dataset, csv_name: str | None):
    st.header("Training", divider="gray")
    st.caption(
        "The curves marked *validation* are the held-out **test** points: the network never "
        "trains on them. A growing gap between the two is overfitting."
    )

    def live_view(trainer) -> None:
        """Drawn inside the training fragment: it moves as the network learns."""
        boundary, gradients = st.columns([3, 2], gap="large")
        with boundary:
            frame = boundary_frame(trainer.model, data, resolution=60)
            title = f"Decision boundary, epoch {trainer.epochs_done}"
            ui.chart(boundary_chart(frame, data, title=title))
            st.caption(
                "Background: the class the network predicts, paler where it is unsure. "
                "Circles: training points. Hollow diamonds: test points."
            )
        with gradients:
            norms = gradient_frame(trainer.history)
            if len(norms):
                ui.chart(gradient_chart(norms))
                st.caption(
                    "How strongly the loss pulls on each layer's weights. Curves far below "
                    "the output's mean the first layers barely learn: vanishing gradients."
                )
            else:
                st.caption("The gradient norm of each layer appears here once training starts.")

    ui.training_panel(
        trainer,
        key=PREFIX + "train",
        metrics=("loss", "accuracy"),
        live_view=live_view,
        step_button=True,
    )
    ui.lab_downloads(
        trainer,
        lambda: notebook_cells(settings, csv_name=csv_name),
        title=f"Deep supervised learning playground: {settings.dataset}",
        file_name="playground.ipynb",
        name="playground",
        key=PREFIX,
    )
