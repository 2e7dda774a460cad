"""Inside the net: each hidden neuron over the plane, and the loss the optimiser minimises."""

import streamlit as st

from course_lib import ui
from course_lib.deep_supervised_learning.charts import neuron_chart, neuron_frame
from course_lib.deep_supervised_learning.data import Dataset
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings

#: Neurons drawn per layer in the small multiples.
MAX_NEURONS = 8


def show(trainer, settings: PlaygroundSettings, data: Dataset) -> None:
    st.header("Inside the net", divider="gray")
    st.markdown(
        "Each small square is one hidden neuron's output over the same plane as the decision "
        "boundary. The first layer can only draw straight lines (one weighted sum, then the "
        "activation); the next layer combines them into curves and regions — that is what "
        "depth buys."
    )
    ui.chart(neuron_chart(neuron_frame(trainer.model, data, max_neurons=MAX_NEURONS)))
    if max(units for units, _ in settings.layers[:2]) > MAX_NEURONS:
        st.caption(
            f"Only the first {MAX_NEURONS} neurons of each of the first two layers are shown."
        )

    st.subheader("What the optimiser minimises")
    st.latex(
        r"\mathcal{L}(W) = -\frac{1}{n}\sum_{i=1}^{n} \log p_W(y_i \mid x_i)"
        r" \;+\; \lambda_1 \sum |w| \;+\; \lambda_2 \sum w^2"
    )
    st.markdown(
        "Cross-entropy on the training points plus the L1 and L2 penalties. Dropout is not in "
        "the formula: it switches off a random share of the hidden neurons at every step, so "
        "no neuron can rely on another — the network learns smoother, more robust boundaries."
    )
