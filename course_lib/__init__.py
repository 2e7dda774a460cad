"""The models and everything that computes, for the deep learning course app.

Nothing here imports Streamlit except :mod:`course_lib.ui`, and nothing imports
TensorFlow at module import time: every module can be used from a notebook, and the
app's Home page renders without loading TensorFlow.
"""
