"""Streamlit widgets shared by the chapter pages (the one course_lib module that imports Streamlit).

- :func:`sidebar` — the course's sidebar on every page (device badge).
- :func:`require_tensorflow` — a clear message instead of a traceback when TensorFlow is broken.
- :func:`chart` — draw an Altair chart with the projector styling;
  :func:`chart_from_layout` — the same for charts redrawn on every slider move.
- :func:`session_trainer` — one trainer per student, rebuilt when the settings change.
- :func:`training_panel` — Start/Pause/Stop/Reset, progress with ETA, live learning curves.
- :func:`show_code` — the source of a course_lib function, one click away.
- :func:`setting_widget`, :func:`settings_from_widgets`, :func:`remember_settings` — a
  settings dataclass as widgets, and back.
- The classroom: :func:`walkthrough`, :func:`shared_settings` and :func:`share_link`
  (every settings class of a page, by widget-key prefix), :func:`presentation_toggle`,
  :func:`quiz`, :func:`lab_downloads`.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import quote

import streamlit as st

from course_lib import charts, sharing
from course_lib.device import TensorFlowUnavailable, detect_device, peek_device
from course_lib.training import LiveTraining, TrainingStatus, learning_curves_frame

#: Seconds between two chunks of live training (the browser asks for the next chunk).
REFRESH_SECONDS = 0.1
#: Seconds of training per chunk: long enough to be efficient, short enough to feel live.
CHUNK_SECONDS = 0.8

T = TypeVar("T")


def sidebar() -> None:
    """The shared sidebar: which device computes (without importing TensorFlow)."""
    device = peek_device()
    with st.sidebar:
        if device is None:
            st.caption(
                ":material/memory: Device: checked when a chapter first loads TensorFlow.",
                help="Home does not load TensorFlow, so that it opens instantly.",
            )
        else:
            icon = ":material/bolt:" if device.has_gpu else ":material/memory:"
            st.badge(device.badge, icon=icon, color="green" if device.has_gpu else "gray")


def require_tensorflow() -> None:
    """Load TensorFlow for this page, or explain why it cannot and stop the page here."""
    try:
        detect_device()
    except TensorFlowUnavailable as error:
        st.error(str(error), icon=":material/error:")
        st.stop()


def chart(altair_chart: Any, *, key: str | None = None, **kwargs: Any) -> Any:
    """Draw an Altair chart, full width, readable on a projector (larger in presentation mode)."""
    # theme=None: our own projector styling, not Streamlit's smaller default fonts
    scale = PRESENTATION_CHART_SCALE if presenting() else 1.0
    return st.altair_chart(
        charts.readable(altair_chart, scale), width="stretch", theme=None, key=key, **kwargs
    )


def chart_from_layout(
    layout: Callable[..., Any],
    *args: Any,
    data: Any,
    title: str = "",
    key: str | None = None,
) -> Any:
    """Draw ``data`` with a chart layout that Altair builds and validates once per process.

    For charts redrawn on every slider move, where only the data and the title change:
    building an Altair chart and checking it against the Vega-Lite schema takes several
    milliseconds each time. Here ``layout(*args)`` (an Altair chart without data) is turned
    into a Vega-Lite spec once and kept, read-only, for every session; each redraw sends
    just the data.
    """
    scale = PRESENTATION_CHART_SCALE if presenting() else 1.0
    spec = json.loads(_layout_spec(layout, args, scale))  # a fresh copy: Streamlit edits it
    if title:
        spec["title"] = title
    return st.vega_lite_chart(data, spec, width="stretch", theme=None, key=key)


@functools.lru_cache(maxsize=64)
def _layout_spec(layout: Callable[..., Any], args: tuple[Any, ...], scale: float) -> str:
    return json.dumps(charts.readable(layout(*args), scale).to_dict())


def show_code(*functions: Callable[..., Any], label: str = "Show the code") -> None:
    """An expander with the source of the course_lib functions behind a demo."""
    with st.expander(label, icon=":material/code:"):
        for function in functions:
            st.code(_source(function), language="python")


@functools.cache
def _source(function: Callable[..., Any]) -> str:
    """A function's source, read from its file once per process."""
    return inspect.getsource(function)


def session_trainer(key: str, settings: Any, build: Callable[[], T]) -> T:
    """The trainer of this student's experiment, kept in their session.

    A new trainer is built (and the old one dropped, freeing its model) when
    ``settings`` — a frozen dataclass — differs from the one the trainer was built
    with. Each browser session has its own ``st.session_state``, so a model being
    trained belongs to one student only. Trainers are registered with
    :data:`course_lib.sharing.TRAINERS`: one left unused for a while is dropped to give
    its memory back, and the student is told when they come back.
    """
    sharing.TRAINERS.sweep_idle()
    slot = st.session_state.get(key)
    if slot is not None and slot.evicted and slot.settings == settings:
        st.info(sharing.IDLE_MESSAGE, icon=":material/bedtime:")
    if slot is None or slot.settings != settings or slot.trainer is None:
        st.session_state[key] = None  # drop the old model before building the next
        slot = sharing.TRAINERS.register(sharing.TrainerSlot(settings, build()))
        st.session_state[key] = slot
    slot.touch()
    return slot.trainer


def forget_trainer(key: str) -> None:
    """Free a session's trainer (and its model)."""
    st.session_state.pop(key, None)


def _format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def progress_text(trainer: LiveTraining, unit: str = "epoch") -> str:
    """E.g. ``"Epoch 12 of 50 · about 8 s left"``."""
    text = f"{unit.capitalize()} {trainer.epochs_done} of {trainer.total_epochs}"
    if trainer.is_running and trainer.eta_seconds is not None:
        text += f" · about {_format_seconds(trainer.eta_seconds)} left"
    elif trainer.train_seconds > 0:
        text += f" · trained for {_format_seconds(trainer.train_seconds)}"
    return text


def training_panel(
    trainer: LiveTraining,
    *,
    key: str,
    metrics: Sequence[str] = ("loss",),
    live_view: Callable[[LiveTraining], None] | None = None,
    step_button: bool = False,
    log_scale: bool = False,
    reference_lines: dict[str, float] | None = None,
    unit: str = "epoch",
    chunk_seconds: float = CHUNK_SECONDS,
) -> None:
    """Buttons, progress and live curves for a trainer, redrawn chunk by chunk.

    The panel is an ``st.fragment``: while the run is ``running`` the browser reruns
    just this fragment every :data:`REFRESH_SECONDS`, and each rerun trains one chunk
    (about ``chunk_seconds``) then redraws. The rest of the page stays as it is and
    stays usable. When the run starts, pauses, finishes or diverges, the whole page
    reruns once, so everything drawn from the model below the panel is fresh.

    Args:
        trainer: the session's trainer (from :func:`session_trainer`).
        key: a prefix for widget keys, unique on the page.
        metrics: which metrics get a learning-curve chart (train and validation).
        live_view: draws the page's own view of the model (e.g. the fitted curve)
            inside the fragment, so it moves as the network learns.
        step_button: offer "Step one epoch".
        log_scale: draw the loss on a log axis.
        reference_lines: baselines drawn on the first metric's chart.
        unit: what one row of history is called ("epoch", "update", …).
    """
    was_running = trainer.is_running

    @st.fragment(run_every=REFRESH_SECONDS if was_running else None)
    def panel() -> None:
        if trainer.is_running != was_running:
            st.rerun()  # started or paused: re-create the fragment with (or without) its timer
        turn = None
        if trainer.is_running:  # one chunk when a core is free (course_lib/sharing.py)
            turn = sharing.TRAINING_QUEUE.acquire(trainer)
            if turn.granted:
                try:
                    trainer.run_chunk(max_seconds=turn.chunk_seconds(chunk_seconds))
                finally:
                    sharing.TRAINING_QUEUE.release(trainer)
            if not trainer.is_running:
                st.rerun()  # finished or diverged: redraw the whole page once, timer off
        # drawn after the chunk, so the buttons and the progress show the state it left
        _buttons(trainer, key=key, step_button=step_button, unit=unit)
        st.progress(trainer.progress, text=progress_text(trainer, unit))
        if turn is not None and not turn.granted:
            st.caption(
                f":material/hourglass_top: Waiting for a free core ({turn.ahead} ahead): "
                "the class shares this server's cores, and your training goes on in turn."
            )
        _status_message(trainer, unit)
        if trainer.history and metrics:
            frame = learning_curves_frame(trainer.history)
            columns = st.columns(len(metrics))
            for index, (column, metric) in enumerate(zip(columns, metrics, strict=True)):
                with column:
                    chart(
                        charts.learning_curves(
                            frame,
                            metric,
                            log_scale=log_scale and metric == "loss",
                            reference_lines=reference_lines if index == 0 else None,
                            x_title=unit,
                        )
                    )
        if live_view is not None:
            live_view(trainer)

    panel()


def _buttons(trainer: LiveTraining, *, key: str, step_button: bool, unit: str) -> None:
    status = trainer.status
    start_label = {
        TrainingStatus.READY: "Start",
        TrainingStatus.PAUSED: "Resume",
        TrainingStatus.RUNNING: "Training…",
    }.get(status, "Train more")
    columns = st.columns(5 if step_button else 4)
    columns[0].button(
        start_label,
        key=f"{key}_start",
        type="primary",
        icon=":material/play_arrow:",
        disabled=status is TrainingStatus.RUNNING,
        on_click=trainer.start,
        width="stretch",
    )
    columns[1].button(
        "Pause",
        key=f"{key}_pause",
        icon=":material/pause:",
        disabled=status is not TrainingStatus.RUNNING,
        on_click=trainer.pause,
        width="stretch",
    )
    columns[2].button(
        "Stop",
        key=f"{key}_stop",
        icon=":material/stop:",
        disabled=status not in (TrainingStatus.RUNNING, TrainingStatus.PAUSED),
        on_click=trainer.stop,
        width="stretch",
        help="End the run and keep the partly trained network.",
    )
    columns[3].button(
        "Reset",
        key=f"{key}_reset",
        icon=":material/restart_alt:",
        disabled=status is TrainingStatus.RUNNING,
        on_click=trainer.reset,
        width="stretch",
        help="Forget the training: fresh weights from the same seed.",
    )
    if step_button:
        columns[4].button(
            f"Step one {unit}",
            key=f"{key}_step",
            icon=":material/skip_next:",
            disabled=status is TrainingStatus.RUNNING,
            on_click=trainer.step,
            width="stretch",
        )


def _status_message(trainer: LiveTraining, unit: str) -> None:
    if trainer.status is TrainingStatus.DIVERGED:
        st.error(trainer.message, icon=":material/warning:")
    elif trainer.status is TrainingStatus.FINISHED:
        st.success(
            f"Finished: {trainer.epochs_done} {unit}s in {_format_seconds(trainer.train_seconds)}.",
            icon=":material/check_circle:",
        )
    elif trainer.status is TrainingStatus.STOPPED:
        st.info(
            f"Stopped after {trainer.epochs_done} {unit}s; the partly trained network is kept.",
            icon=":material/stop_circle:",
        )
    elif trainer.status is TrainingStatus.PAUSED:
        st.info("Paused. Resume to go on from here.", icon=":material/pause_circle:")


# -- the classroom: walkthroughs, presentation mode, shareable links, quizzes, downloads --

PRESENTATION_KEY = "presentation_mode"
#: How much larger chart fonts are in presentation mode.
PRESENTATION_CHART_SCALE = 1.3

_PRESENTATION_CSS = """
<style>
[data-testid="stMain"] { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.5; }
[data-testid="stMain"] h1 { font-size: 3.4rem; }
[data-testid="stMain"] h2 { font-size: 2.6rem; }
[data-testid="stMain"] h3 { font-size: 2.1rem; }
[data-testid="stMain"] h4 { font-size: 1.8rem; }
[data-testid="stMain"] label p, [data-testid="stMain"] button p { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
[data-testid="stMain"] input, [data-testid="stMain"] textarea,
[data-testid="stMain"] [data-baseweb="select"] div { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 2.8rem; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>
"""


def presenting() -> bool:
    """Whether presentation mode (large type, sidebar collapsed) is on in this session."""
    return bool(st.session_state.get(PRESENTATION_KEY, False))


def presentation_toggle() -> None:
    """The switch for presentation mode, kept in the URL (``?present=1``) so a link opens in it."""
    if PRESENTATION_KEY not in st.session_state:
        st.session_state[PRESENTATION_KEY] = st.query_params.get("present") == "1"

    def remember() -> None:
        if st.session_state[PRESENTATION_KEY]:
            st.query_params["present"] = "1"
        else:
            st.query_params.pop("present", None)

    st.toggle(
        "Presentation mode",
        key=PRESENTATION_KEY,
        on_change=remember,
        help="Larger type and the sidebar folded away, readable from the back of a lecture hall.",
    )


def presentation_style() -> None:
    """Inject the large-type style when presentation mode is on (call once per run)."""
    if presenting():
        st.html(_PRESENTATION_CSS)


def walkthrough(
    steps: Sequence[Any],
    *,
    key: str,
    experiments: Mapping[type, str],
    adjust: Callable[[str, Any], tuple[Any, str | None]] | None = None,
    section_key: str | None = None,
) -> None:
    """A guided walkthrough the lecturer advances with Back / Next.

    Each step (a :class:`course_lib.classroom.Step`) applies its ``preset`` to the page's
    widgets and says what to look at. The controls stay live: the student may move
    anything after that.

    Args:
        steps: the chapter's ``WALKTHROUGH``.
        key: unique name of this walkthrough on the page.
        experiments: the page's settings classes and their widget-key prefixes, e.g.
            ``{TargetSettings: "fit_", FitSettings: "fit_", HandSettings: "hand_"}``. A
            preset name is a field of the first class that declares it (its widget has key
            ``prefix + name``), or a full widget key ``prefix + name`` for a field of a
            later class. Presets are kept inside the declared ranges, and said so.
        adjust: optional ``adjust(name, value) -> (value, note)`` for limits that depend on
            the current data (e.g. no more classes than the data set has); a note is shown.
        section_key: the widget key of the page's tabs: a step's ``section`` opens that tab.
    """
    index_key, notes_key = f"{key}_step", f"{key}_notes"

    def go_to(index: int) -> None:
        st.session_state[index_key] = index
        notes = []
        for name, value in steps[index].preset.items():
            widget_key, value, note = _preset_value(experiments, name, value)
            if note:
                notes.append(note)
            if widget_key is None:
                continue
            if adjust is not None:
                value, note = adjust(name, value)
                if note:
                    notes.append(note)
            st.session_state[widget_key] = value
        if section_key is not None and steps[index].section is not None:
            st.session_state[section_key] = steps[index].section
        st.session_state[notes_key] = notes

    with st.container(border=True):
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


def _preset_value(
    experiments: Mapping[type, str], name: str, value: Any
) -> tuple[str | None, Any, str | None]:
    """Where a walkthrough preset goes: ``(widget key or None, value, note or None)``."""
    from course_lib.classroom import preset_field
    from course_lib.settings import bounds

    settings_class, prefix, field = preset_field(experiments, name)
    limits = bounds(settings_class, field)
    if limits.choices is not None and value not in limits.choices:
        return None, value, f"{field} = {value!r} is not available here; kept the current value."
    if limits.minimum is not None and value < limits.minimum:
        minimum = type(value)(limits.minimum)
        return prefix + field, minimum, f"{field} raised from {value} to its minimum {minimum}."
    if limits.maximum is not None and value > limits.maximum:
        maximum = type(value)(limits.maximum)
        return prefix + field, maximum, f"{field} lowered from {value} to its maximum {maximum}."
    return prefix + field, value, None


# -- settings widgets: one per dataclass field, its state kept in the session --------------


def remember_settings(experiments: Mapping[type, str]) -> None:
    """Seed every settings widget with its default, and keep its value while it is hidden.

    Streamlit forgets the state of a widget that was not drawn in a run (a closed tab, a
    section not shown); writing the value back each run keeps it. Walkthrough steps and
    shared links write into the same session state before the widgets are drawn.
    """
    for settings_class, prefix in experiments.items():
        for field in dataclasses.fields(settings_class):
            key = prefix + field.name
            st.session_state[key] = st.session_state.get(key, field.default)


def setting_widget(
    make: Callable[..., T], settings_class: type, name: str, label: str, *, prefix: str, **kwargs
) -> T:
    """A widget for one settings field: key ``prefix + name``, range, choices and help
    from the dataclass, its value from the session state (the field's default at first).

    ``make`` is the Streamlit widget (``st.slider``, ``columns[0].selectbox``, …); extra
    keyword arguments go to it (e.g. ``format``, ``step``, ``options`` to override).
    """
    from course_lib.settings import bounds

    limits, key = bounds(settings_class, name), prefix + name
    default = settings_class.__dataclass_fields__[name].default
    # the default goes through the session state, where a link or a walkthrough step may
    # already have put a value (passing value= as well would make Streamlit complain)
    st.session_state.setdefault(key, default)
    if limits.choices is not None:
        kwargs.setdefault("options", limits.choices)
    elif limits.minimum is not None and make.__name__ in ("slider", "number_input"):
        kwargs.setdefault("min_value", type(default)(limits.minimum))
        kwargs.setdefault("max_value", type(default)(limits.maximum))
    return make(label, key=key, help=limits.help or None, **kwargs)


def settings_from_widgets(settings_class: type[T], prefix: str) -> T:
    """The settings the widgets (or their remembered state) hold now; defaults for the rest."""
    state = st.session_state
    return settings_class(
        **{
            field.name: state[prefix + field.name]
            for field in dataclasses.fields(settings_class)
            if prefix + field.name in state
        }
    )


# -- shareable links -------------------------------------------------------------------------


def shared_settings(experiments: Mapping[type, str]) -> None:
    """Apply a shared link's settings to this page's widgets, once per visit.

    ``experiments`` maps each settings class on the page to its widget-key prefix (see
    :func:`course_lib.settings.parse_query_params`). Valid values from ``st.query_params``
    go into the widgets' session state; a notice is shown for each value ignored (unknown
    names, wrong types, out of range, script-like strings). Call before the widgets.
    """
    from course_lib.settings import parse_query_params

    seen_key = "_shared_" + "|".join(sorted(set(experiments.values())))
    notices_key = seen_key + "_notices"
    if not st.session_state.get(seen_key):
        st.session_state[seen_key] = True
        params = {name: st.query_params.get(name) for name in st.query_params}
        values, notices = parse_query_params(experiments, params)
        for key, value in values.items():
            st.session_state[key] = value
        st.session_state[notices_key] = notices
    # shown once, where the page starts, when the link is opened
    for notice in st.session_state.pop(notices_key, []):
        st.warning(notice, icon=":material/link_off:")


def share_link(*experiments: tuple[Any, str]) -> None:
    """Write every experiment's settings into the URL; one "Copy link to this experiment".

    Args:
        experiments: ``(settings, prefix)`` pairs, one per settings object on the page
            (objects may share a prefix). Only values off their defaults are written.
    """
    from course_lib.settings import to_query_params

    prefixes = tuple({prefix for _, prefix in experiments})
    for name in list(st.query_params):
        if name.startswith(prefixes):
            del st.query_params[name]
    for settings, prefix in experiments:
        for name, value in to_query_params(settings, prefix).items():
            st.query_params[name] = value
    base = (st.context.url or "").split("?", 1)[0]
    query = "&".join(
        f"{name}={quote(str(value))}" for name, value in st.query_params.to_dict().items()
    )
    with st.popover("Copy link to this experiment", icon=":material/link:"):
        st.caption("Anyone who opens this link gets these settings (their own copy to train).")
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)


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


def run_with_progress(compute: Callable[..., T], *args: Any, text: str = "Training…") -> T:
    """Run ``compute(*args, on_progress=...)`` under a progress bar that it moves.

    ``compute`` calls ``on_progress(fraction, text)`` as it goes (e.g. one network of a
    sweep after another); the bar shows ``text`` until then and is removed at the end.
    """
    bar = st.progress(0.0, text=text)
    result = compute(*args, on_progress=lambda p, text: bar.progress(min(p, 1.0), text=text))
    bar.empty()
    return result


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


def history_csv(history: Sequence[dict[str, Any]]) -> bytes:
    import pandas as pd

    frame = pd.DataFrame(
        [{k: v for k, v in row.items() if isinstance(v, int | float | str)} for row in history]
    )
    return frame.to_csv(index=False).encode("utf-8")


def keras_bytes(model: Any) -> bytes:
    """A model saved in the ``.keras`` format, as bytes."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.keras"
        model.save(path)
        return path.read_bytes()
