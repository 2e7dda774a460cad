"""The Keras code: a standalone script for these settings, and the course_lib code behind it."""

import streamlit as st

from app_pages.deep_supervised_learning_sections import PREFIX
from course_lib import ui
from course_lib.deep_supervised_learning.experiment import PlaygroundSettings
from course_lib.deep_supervised_learning.lab import keras_script
from course_lib.deep_supervised_learning.model import GradientNorms, build_model


def show(settings: PlaygroundSettings, csv_name: str | None) -> None:
    st.header("The Keras code", divider="gray")
    script = keras_script(settings, csv_name=csv_name)
    with st.expander("A standalone Keras script for these settings", icon=":material/code:"):
        st.code(script, language="python")
    st.download_button(
        "Download playground_model.py",
        script,
        file_name="playground_model.py",
        mime="text/x-python",
        key=PREFIX + "download",
        icon=":material/download:",
    )
    ui.show_code(build_model, GradientNorms.__call__, label="The course_lib code behind it")
