"""The live-training panel: one trainer per student, Start / Pause / Stop / Reset, live curves."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from course_lib import charts, sharing
from course_lib.classroom import count
from course_lib.training import LiveTraining, TrainingStatus, learning_curves_frame
from course_lib.ui.guard import guarded
from course_lib.ui.page import chart_from_layout

#: Seconds between two chunks of live training (the browser asks for the next chunk).
REFRESH_SECONDS = 0.1
#: Seconds of training per chunk: long enough to be efficient, short enough to feel live.
CHUNK_SECONDS = 0.8

T = TypeVar("T")


def session_trainer(key: str, settings: Any, build: Callable[[], T]) -> T:
    """The trainer of this student's experiment, kept in their session.

    A new trainer is built (and the old one dropped, freeing its model) when
    ``settings`` — a frozen dataclass — differs from the one the trainer was built
    with. Each browser session has its own ``st.session_state``, so a model being
    trained belongs to one student only. The new trainer keeps the old run's history as
    ``previous_history``: the training panel draws it as a ghost curve. Trainers are
    registered with :data:`course_lib.sharing.TRAINERS`: one left unused for a while is
    dropped to give its memory back, and the student is told when they come back.
    """
    sharing.TRAINERS.sweep_idle()
    slot = st.session_state.get(key)
    put_away = None  # why this student's model was put away: told in its training panel
    if slot is not None and slot.evicted and slot.settings == settings:
        put_away = slot.evicted_because or sharing.IDLE_MESSAGE
    if slot is None or slot.settings != settings or slot.trainer is None:
        # the run before, kept as a grey "ghost" curve to compare with: its history only
        previous_history = None
        if slot is not None and slot.trainer is not None:
            previous_history = slot.trainer.history or getattr(
                slot.trainer, "previous_history", None
            )
        put_away_for_tabs = slot is not None and slot.evicted_because == sharing.OTHER_TABS_MESSAGE
        slot = st.session_state[key] = None  # drop the old model before building the next
        trainer = build()
        trainer.previous_history = previous_history
        trainer.put_away_notice = put_away
        slot = sharing.TRAINERS.register(
            sharing.TrainerSlot(
                settings,
                trainer,
                browser=sharing.browser_of(st.context.cookies),
                session=_session_id(),
            ),
            # rebuilt because another tab put this one away: no tab puts another away in
            # turn (the next new model in this browser does), so tabs never chase each other
            limit_tabs=not put_away_for_tabs,
        )
        st.session_state[key] = slot
    slot.touch()
    return slot.trainer


def _session_id() -> str | None:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def _format_seconds(seconds: float) -> str:
    if seconds < 1:
        return "under a second"
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds // 60:.0f} min {seconds % 60:02.0f} s"


def progress_text(trainer: LiveTraining, unit: str = "epoch") -> str:
    """E.g. ``"Epoch 12 of 50 · about 8 s left"``, or, inside an epoch that takes a while,
    ``"Epoch 0 of 40 · step 6 of 25 of epoch 1 · …"``: the run moves before its first row."""
    text = f"{unit.capitalize()} {trainer.epochs_done} of {trainer.total_epochs}"
    if trainer.steps_into_epoch:
        text += (
            f" · step {trainer.steps_into_epoch:,} of {trainer.steps_per_epoch:,}"
            f" of {unit} {trainer.epochs_done + 1}"
        )
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
    prepare: bool = False,
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
        prepare: trace the model's training step in the background before Start
            (:func:`course_lib.sharing.prepare_in_background`), for a model that takes
            seconds to trace: the first chunk then trains at once.
    """
    was_running = trainer.is_running
    if prepare:
        sharing.prepare_in_background(trainer)

    @st.fragment(run_every=REFRESH_SECONDS if was_running else None)
    @guarded  # a fragment's own reruns: an unexpected error is a sentence, not a traceback
    def panel() -> None:
        if trainer.is_running != was_running:
            st.rerun()  # started or paused: re-create the fragment with (or without) its timer
        turn = None
        if trainer.is_running:  # one chunk when a core is free (course_lib/sharing.py)
            turn = sharing.TRAINING_QUEUE.acquire(trainer)
            if turn.granted:
                try:
                    trainer.run_chunk(
                        max_seconds=turn.chunk_seconds(chunk_seconds), paced=not turn.waiting
                    )
                finally:
                    sharing.TRAINING_QUEUE.release(trainer)
            if not trainer.is_running:
                st.rerun()  # finished or diverged: redraw the whole page once, timer off
        # drawn after the chunk, so the buttons and the progress show the state it left
        _buttons(trainer, key=key, step_button=step_button, unit=unit)
        st.progress(trainer.progress, text=progress_text(trainer, unit))
        notice = getattr(trainer, "put_away_notice", None)
        if notice and not trainer.history and not trainer.is_running:
            st.info(notice, icon=":material/bedtime:")
        if turn is not None and not turn.granted:
            st.caption(
                f":material/hourglass_top: Waiting for a free core ({turn.ahead} ahead): "
                "the class shares this server's cores, and your training goes on in turn."
            )
        _status_message(trainer, unit)
        if trainer.history and metrics:
            columns = st.columns(len(metrics))
            curves = _curves(trainer, metrics, log_scale, reference_lines, unit)
            for column, (layout, datasets) in zip(columns, curves, strict=True):
                with column:
                    chart_from_layout(charts.learning_curves_layout, datasets=datasets, **layout)
        if live_view is not None:
            live_view(trainer)

    panel()


def _curves(
    trainer: LiveTraining,
    metrics: Sequence[str],
    log_scale: bool,
    reference_lines: dict[str, float] | None,
    unit: str,
) -> list[Any]:
    """The learning-curve charts' layouts and rows, made again only when the history grew.

    A student waiting for a free core redraws their panel every couple of seconds with
    nothing new in it; making the rows again would spend the CPU the class shares. Each
    chart's layout is built once per process (:func:`chart_from_layout`).
    """

    def build() -> list[Any]:
        frame = learning_curves_frame(trainer.history)
        previous = getattr(trainer, "previous_history", None)
        previous_frame = learning_curves_frame(previous) if previous else None
        return [
            charts.learning_curves_parts(
                frame,
                metric,
                log_scale=log_scale and metric == "loss",
                reference_lines=reference_lines if index == 0 else None,
                x_title=unit,
                previous=previous_frame,
            )
            for index, metric in enumerate(metrics)
        ]

    drawn_for = (len(trainer.history), id(trainer.history[-1]), tuple(metrics), log_scale, unit)
    return kept_on(trainer, "_drawn_curves", drawn_for, build)


#: Relative widths of the panel's button row: the Start button keeps a readable label,
#: the others are icons (their name in a tooltip), so that the row fits a narrow column
#: on a laptop's screen without wrapping (wrapping pushed the playground's boundary off it).
START_WIDTH, ICON_WIDTH = 2, 1


def kept_on(trainer: Any, name: str, key: Hashable, build: Callable[[], T]) -> T:
    """What ``build()`` makes, kept on ``trainer`` as ``name`` until ``key`` changes.

    For the drawings a panel redraws after every chunk and while its student waits for a
    core: the same network gives the same charts, so they are built again only when the
    key (epochs trained, the settings they show) moves on. One student's, in their trainer.
    """
    kept = getattr(trainer, name, None)
    if kept is None or kept[0] != key:
        kept = (key, build())
        setattr(trainer, name, kept)
    return kept[1]


def _buttons(trainer: LiveTraining, *, key: str, step_button: bool, unit: str) -> None:
    status = trainer.status
    start_label = {
        TrainingStatus.READY: "Start",
        TrainingStatus.PAUSED: "Resume",
        TrainingStatus.RUNNING: "Training…",
    }.get(status, "Train more")
    columns = st.columns([START_WIDTH] + [ICON_WIDTH] * (4 if step_button else 3))
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
        "",
        key=f"{key}_pause",
        icon=":material/pause:",
        disabled=status is not TrainingStatus.RUNNING,
        on_click=trainer.pause,
        width="stretch",
        help="Pause: Resume goes on from here.",
    )
    columns[2].button(
        "",
        key=f"{key}_stop",
        icon=":material/stop:",
        disabled=status not in (TrainingStatus.RUNNING, TrainingStatus.PAUSED),
        on_click=trainer.stop,
        width="stretch",
        help="Stop: end the run and keep the partly trained network.",
    )
    columns[3].button(
        "",
        key=f"{key}_reset",
        icon=":material/refresh:",  # not restart_alt: its name would match "Start"
        disabled=status is TrainingStatus.RUNNING,
        on_click=trainer.reset,
        width="stretch",
        help="Reset: forget the training, fresh weights from the same seed.",
    )
    if step_button:
        columns[4].button(
            "",
            key=f"{key}_step",
            icon=":material/step_over:",  # not skip_next: its name would match "Next"
            disabled=status is TrainingStatus.RUNNING,
            on_click=trainer.step,
            width="stretch",
            help=f"Step one {unit}, then pause.",
        )


def _status_message(trainer: LiveTraining, unit: str) -> None:
    if trainer.status is TrainingStatus.DIVERGED:
        st.error(trainer.message, icon=":material/warning:")
    elif trainer.status is TrainingStatus.FINISHED:
        st.success(
            f"Finished: {count(trainer.epochs_done, unit)} in "
            f"{_format_seconds(trainer.train_seconds)}.",
            icon=":material/check_circle:",
        )
    elif trainer.status is TrainingStatus.STOPPED:
        st.info(
            f"Stopped after {count(trainer.epochs_done, unit)}; the partly trained network is kept.",
            icon=":material/stop_circle:",
        )
    elif trainer.status is TrainingStatus.PAUSED:
        st.info("Paused. Resume to go on from here.", icon=":material/pause_circle:")


def run_with_progress(compute: Callable[..., T], *args: Any, text: str = "Training…") -> T:
    """Run ``compute(*args, on_progress=...)`` under a progress bar that it moves.

    ``compute`` calls ``on_progress(fraction, text)`` as it goes (e.g. one network of a
    sweep after another); the bar shows ``text`` until then and is removed at the end.
    """
    bar = st.progress(0.0, text=text)
    result = compute(*args, on_progress=lambda p, text: bar.progress(min(p, 1.0), text=text))
    bar.empty()
    return result
