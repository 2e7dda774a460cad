"""The classroom pieces: the guided walkthrough, the quiz, the lab and results downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import streamlit as st

from course_lib.training import LiveTraining, history_csv, keras_bytes

if TYPE_CHECKING:
    from course_lib.ui.controls import Controls


def walkthrough(
    steps: Sequence[Any],
    *,
    key: str,
    controls: Controls,
    adjust: Callable[[str, Any], tuple[Any, str | None]] | None = None,
    section_key: str | None = None,
) -> None:
    """A guided walkthrough the lecturer advances with Back / Next.

    Each step (a :class:`course_lib.classroom.Step`) applies its ``preset`` to the page's
    widgets through ``controls`` and says what to look at. A preset is a complete
    experiment: every setting it does not name goes back to its default, so Back restores
    exactly the experiment of the step before. The controls stay live: the student may move
    anything after that.

    Args:
        steps: the chapter's ``WALKTHROUGH``.
        key: unique name of this walkthrough on the page.
        controls: the page's :class:`course_lib.ui.Controls`.
        adjust: optional ``adjust(name, value) -> (value, note)`` for limits that depend on
            the current data (e.g. no more classes than the data set has); a note is shown.
        section_key: the widget key of the page's tabs: a step's ``section`` opens that tab.
    """
    index_key, notes_key, scroll_key = f"{key}_step", f"{key}_notes", f"{key}_scroll"

    def go_to(index: int) -> None:
        st.session_state[index_key] = index
        notes = controls.apply_preset(steps[index].preset, adjust=adjust)
        if section_key is not None and steps[index].section is not None:
            st.session_state[section_key] = steps[index].section
            st.session_state[scroll_key] = section_key
        st.session_state[notes_key] = notes
        st.session_state[f"{key}_moves"] = st.session_state.get(f"{key}_moves", 0) + 1

    showing = st.session_state.get(f"{key}_on") and st.session_state.get(index_key) is not None
    if showing:  # the step stays in view while the student scrolls to what it talks about
        st.html(_STICKY_CSS.replace("PANEL", f"st-key-{key}_panel"))
    if target := st.session_state.pop(scroll_key, None):
        moves = st.session_state.get(f"{key}_moves", 0)
        _scroll_to(f"st-key-{target}", below=f"st-key-{key}_panel", nonce=moves)
    with st.container(border=True, key=f"{key}_panel"):
        top = st.columns([4, 1], vertical_alignment="center")
        top[0].markdown("**:material/school: Guided walkthrough**")
        on = top[1].toggle("Show", key=f"{key}_on", value=False)
        if not on:
            return
        index = st.session_state.get(index_key)
        if index is None:
            st.caption(
                f"{len(steps)} steps. Each sets the controls below; then look, move, compare."
            )
            st.button(
                "Begin",
                key=f"{key}_begin",
                type="primary",
                on_click=go_to,
                args=(0,),
                icon=":material/play_arrow:",
            )
            return
        step = steps[index]
        st.markdown(f"#### Step {index + 1} of {len(steps)}: {step.title}")
        st.markdown(step.text)
        if step.claim is not None:  # what the screen must show: a checked predicate
            st.caption(f":material/fact_check: What you should see: {step.claim.says}.")
        for note in st.session_state.get(notes_key, []):
            st.info(note, icon=":material/tune:")
        back, forward, _ = st.columns([1, 1, 3])
        back.button(
            "Back",
            key=f"{key}_back",
            disabled=index == 0,
            on_click=go_to,
            args=(index - 1,),
            icon=":material/arrow_back:",
            width="stretch",
        )
        forward.button(
            "Next",
            key=f"{key}_next",
            type="primary",
            disabled=index == len(steps) - 1,
            on_click=go_to,
            args=(index + 1,),
            icon=":material/arrow_forward:",
            width="stretch",
        )


_STICKY_CSS = """
<style>
:has(> .PANEL) { position: sticky; top: 3.8rem; z-index: 99; }
.PANEL { background: #ffffff; box-shadow: 0 4px 12px rgba(0, 0, 0, 0.18);
  max-height: 42vh; overflow-y: auto; }
</style>
"""


def _scroll_to(css_class: str, *, below: str, nonce: int) -> None:
    """Scroll the page so the element with ``css_class`` (a section's tabs) comes into view,
    just under the sticky element with class ``below`` (the walkthrough).

    ``nonce`` changes with every move: the browser reruns a script only when its HTML changes.
    """
    import streamlit.components.v1 as components

    components.html(
        f"""<script>  // move {nonce}
        const page = window.parent.document;
        const target = page.querySelector('.{css_class}');
        const panel = page.querySelector('.{below}');
        if (target) {{  // once the section has been drawn
            setTimeout(() => {{
                target.style.scrollMarginTop = ((panel ? panel.offsetHeight : 0) + 70) + 'px';
                target.scrollIntoView({{block: 'start'}});
            }}, 400);
        }}
        </script>""",
        height=0,
    )


def quiz(questions: Sequence[Any], *, key: str) -> None:
    """Check your understanding: multiple choice with instant feedback and an explanation."""
    with st.expander("Check your understanding", icon=":material/quiz:"):
        right = 0
        for number, question in enumerate(questions):
            choice = st.radio(
                f"**{number + 1}.** {question.prompt}",
                range(len(question.options)),
                format_func=lambda i, q=question: q.options[i],
                index=None,
                key=f"{key}_q{number}",
            )
            if choice is None:
                continue
            if question.check(choice):
                right += 1
                st.success(f"Right. {question.explanation}", icon=":material/check_circle:")
            else:
                st.error(f"Not quite. {question.explanation}", icon=":material/cancel:")
        st.caption(f"{right} of {len(questions)} right so far.")


def notebook_download(
    cells: Callable[[], Sequence[Any]], *, title: str, file_name: str, key: str
) -> None:
    """Download a Jupyter notebook reproducing the current experiment (built on click)."""
    from course_lib.classroom import notebook

    st.download_button(
        "Notebook for the lab (.ipynb)",
        data=lambda: notebook(cells(), title=title),
        file_name=file_name,
        mime="application/x-ipynb+json",
        key=key,
        icon=":material/menu_book:",
        help="Plain Keras: the same data, model, training and plots; runs on Colab.",
    )


def lab_downloads(
    trainer: LiveTraining,
    cells: Callable[[], Sequence[Any]],
    *,
    title: str,
    file_name: str,
    name: str,
    key: str,
) -> None:
    """One row under a training panel: the lab notebook, then the log and the model.

    Widget keys are ``key + "notebook"`` and ``key + "results"`` (see the two helpers).
    """
    notebook_column, results_column = st.columns([1, 2])
    with notebook_column:
        notebook_download(cells, title=title, file_name=file_name, key=key + "notebook")
    with results_column:
        results_downloads(trainer, name=name, key=key + "results")


def results_downloads(trainer: LiveTraining, *, name: str, key: str) -> None:
    """Download the training log (CSV) and the trained model (.keras)."""
    columns = st.columns(2)
    columns[0].download_button(
        "Training log (.csv)",
        data=lambda: history_csv(trainer.history),
        file_name=f"{name}-training-log.csv",
        mime="text/csv",
        key=f"{key}_log",
        icon=":material/table:",
        disabled=not trainer.history,
    )
    model = getattr(trainer, "model", None)
    columns[1].download_button(
        "Trained model (.keras)",
        data=lambda: keras_bytes(model),
        file_name=f"{name}.keras",
        mime="application/octet-stream",
        key=f"{key}_model",
        icon=":material/download:",
        disabled=model is None or not trainer.history,
    )
