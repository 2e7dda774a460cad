"""A minimal page around the shared training panel, for tests of the panel itself.

Trains a tiny MLP on XOR-like points. Query parameters: ``epochs`` (default 30) and
``learning_rate`` (default 0.05; a huge one makes the run diverge).
"""

import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository root

from course_lib import ui  # noqa: E402
from course_lib.training import KerasTrainer  # noqa: E402

ui.require_tensorflow()
epochs = int(st.query_params.get("epochs", 30))
learning_rate = float(st.query_params.get("learning_rate", 0.05))


def build():
    import keras

    model = keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.Dense(
                16, activation="tanh", kernel_initializer=keras.initializers.GlorotUniform(seed=1)
            ),
            keras.layers.Dense(1, kernel_initializer=keras.initializers.GlorotUniform(seed=2)),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="mse")
    return model


def make_trainer():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(512, 2)).astype("float32")
    y = (x[:, :1] * x[:, 1:]).astype("float32")
    return KerasTrainer(build, x, y, epochs=epochs, batch_size=32, validation_data=(x[:64], y[:64]))


st.title("Tiny training")
trainer = ui.session_trainer("tiny", (epochs, learning_rate), make_trainer)
ui.training_panel(trainer, key="tiny", step_button=True)
st.write(f"Epochs recorded: {trainer.epochs_done}")
