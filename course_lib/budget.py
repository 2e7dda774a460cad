"""The cost budget: what one student's action may cost the server, checked before it runs.

One server process serves the whole class (on Streamlit Community Cloud: 2 cores and about
2.7 GB for every visitor together; TensorFlow alone takes about 0.7 GB). If one student's
action pushes the process over its memory limit, the app restarts and *every* student
loses their session. So every action that costs memory or time — parsing an upload,
decoding images, building and training a network, a sweep, writing text, a reinforcement
learning run — is first **estimated** from its settings, and refused with a plain sentence
that names the knob to turn when it would not fit::

    >>> settings = TextSettings(level="word", max_words=20000, sequence_length=256,
    ...                         batch_size=256)
    >>> check(rnn_training(settings, vocabulary_size=20000, train_windows=2000))
    'Training this network (word level, vocabulary 20,000 × sequence 256 × batch 256,
     1 × GRU-128) needs ≈ 15.1 GB of memory; this server allows 100 MB per student and a
     training step would take ≈ 26 s …: lower the batch size to 16 and the word
     vocabulary to 2,000.'

The limits live here, in one place (:func:`limits`), sized for about 30 students on one
Community Cloud app. Whoever runs their own, bigger server raises them with environment
variables (Streamlit Community Cloud turns top-level entries of ``.streamlit/secrets.toml``
into environment variables too):

- ``COURSE_MEMORY_MB_PER_STUDENT``: peak extra memory of one action, in MB (default 100);
- ``COURSE_SECONDS_PER_ACTION``: wall time of an action that runs at once (a parse, a
  text generation, a sweep, under a progress bar), in seconds (default 15);
- ``COURSE_SECONDS_PER_STEP``: one training step, the time between two checks of the live
  training driver, so Pause and Stop answer quickly (default 1).

The estimators take the settings objects duck-typed (they read attributes by name) and
import nothing heavy: the page calls ``check(...)`` before it builds anything. Their
figures are rough (float32 activations, a measured order of magnitude of CPU speed);
``tests/test_budget.py`` compares them with measured peaks on small settings.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

MB = 1024**2

#: Defaults, sized for about 30 students on Community Cloud: 2.7 GB − 0.7 GB of TensorFlow −
#: the shared data sets leave ≈ 1.8 GB; a student who reads and moves sliders adds ≈ 11 MB
#: (``benchmarks/classroom.py``), and training chunks run one at a time
#: (``course_lib/sharing.py``), so peaks do not add up. 100 MB is just above the chapters'
#: own heaviest experiment (chapter 4's default network: ≈ 94 MB estimated, a new Keras
#: model's ≈ 40 MB included): 30 × 100 MB of peaks would still fit on top of the readers.
DEFAULT_MEMORY_MB_PER_STUDENT = 100.0
DEFAULT_SECONDS_PER_ACTION = 15.0
DEFAULT_SECONDS_PER_STEP = 1.0

#: Parsing limits (decoded size, not bytes on the wire): used by ``course_lib.uploads``.
MAX_CSV_COLUMNS = 100  # a CSV's header is read first; wider files are refused unparsed
MAX_CSV_CELLS = 5_000_000  # rows × columns read at most (the rest is cut, with a notice)
MAX_IMAGE_SIDE = 1024  # every image is downscaled at decode time to at most this side
MAX_ZIP_DECODED_PIXELS = 40_000_000  # all images of one ZIP together, after downscaling

#: Rough speeds of Keras on a 2-core CPU, FLOP/s (measured order of magnitude; a GPU or a
#: bigger machine only makes the estimates pessimistic).
DENSE_FLOPS = 4e10  # big matrix products: convolutions, wide dense and recurrent layers
SMALL_FLOPS = 2e9  # small layers, where the per-operation overhead dominates
STEP_OVERHEAD_SECONDS = 2e-3  # one compiled Keras training step, however small
#: A new Keras model's graph, traced functions and allocator pools (measured ≈ 40 MB).
KERAS_MODEL_BYTES = 40 * 1024**2
GENERATION_TOKEN_SECONDS = 1.5e-3  # one sampled token of a small recurrent network


@dataclass(frozen=True)
class Limits:
    """What one student's action may cost."""

    memory_mb_per_student: float
    seconds_per_action: float
    seconds_per_step: float

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_mb_per_student * MB)


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


def limits() -> Limits:
    """The limits of this server (read from the environment at every call: cheap)."""
    return Limits(
        _env_number("COURSE_MEMORY_MB_PER_STUDENT", DEFAULT_MEMORY_MB_PER_STUDENT),
        _env_number("COURSE_SECONDS_PER_ACTION", DEFAULT_SECONDS_PER_ACTION),
        _env_number("COURSE_SECONDS_PER_STEP", DEFAULT_SECONDS_PER_STEP),
    )


@dataclass(frozen=True)
class Estimate:
    """What an action will cost, estimated before it runs.

    Attributes:
        peak_bytes: peak memory the action adds to the server process.
        seconds: wall time of the action (``per="action"``) or of one training step
            (``per="step"``: training runs in chunks, so only a step must stay short).
        what: the action and its size in the student's words, e.g. ``"Training this
            network (sequence 256 × batch 256)"``.
        per: ``"action"`` or ``"step"``.
        advice: ``advice(limits)`` → the knob to turn and a value that fits, e.g.
            ``"lower the batch size to 32"``.
    """

    peak_bytes: int
    seconds: float
    what: str
    per: str = "action"
    advice: Callable[[Limits], str] | None = field(default=None, compare=False, repr=False)

    def fits(self, server: Limits | None = None) -> bool:
        server = server or limits()
        seconds_limit = server.seconds_per_step if self.per == "step" else server.seconds_per_action
        return self.peak_bytes <= server.memory_bytes and self.seconds <= seconds_limit


def format_bytes(count: float) -> str:
    """``5.6 GB``, ``300 MB``, ``12 kB``."""
    if count >= 1024**3:
        return f"{count / 1024**3:.1f} GB"
    if count >= MB:
        return f"{count / MB:,.0f} MB"
    return f"{max(count, 0) / 1024:,.0f} kB"


def format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} hours"


def check(estimate: Estimate, server: Limits | None = None) -> str | None:
    """``None`` when the action fits this server, else one plain sentence: what it needs,
    what the server allows, and the knob to turn (with a value that fits)."""
    server = server or limits()
    problems = []
    if estimate.peak_bytes > server.memory_bytes:
        problems.append(
            f"needs ≈ {format_bytes(estimate.peak_bytes)} of memory; this server allows "
            f"{format_bytes(server.memory_bytes)} per student"
        )
    per_step = estimate.per == "step"
    seconds_limit = server.seconds_per_step if per_step else server.seconds_per_action
    if estimate.seconds > seconds_limit:
        unit = "a training step" if per_step else "it"
        problems.append(
            f"{unit} would take ≈ {format_seconds(estimate.seconds)} on this server "
            f"(at most {format_seconds(seconds_limit)}, so the page stays responsive for everyone)"
        )
    if not problems:
        return None
    advice = estimate.advice(server) if estimate.advice is not None else ""
    return f"{estimate.what} " + " and ".join(problems) + (f": {advice}." if advice else ".")


def lower(
    label: str,
    current: float,
    candidates: Sequence[float],
    estimate_with: Callable[[float], Estimate],
    server: Limits,
) -> str | None:
    """``"lower the <label> to <value>"`` for the largest candidate below ``current`` that
    fits, or ``None`` when none does."""
    for value in sorted((c for c in candidates if c < current), reverse=True):
        if estimate_with(value).fits(server):
            shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
            return f"lower the {label} to {shown}"
    return None


def _first_advice(*options: Callable[[], str | None], fallback: str) -> str:
    for option in options:
        if advice := option():
            return advice
    return fallback


def _halvings(current: float, floor: float) -> list[int]:
    values, value = [], int(current)
    while value // 2 >= floor:
        value //= 2
        values.append(value)
    return values


def lower_knobs(
    knobs: Sequence[tuple[str, str, float, Sequence[float]]],
    estimate_with: Callable[[dict[str, Any]], Estimate],
    server: Limits,
) -> str | None:
    """Advice that turns as few knobs as needed, in order: ``"lower the batch size to 32"``
    or ``"lower the batch size to 8 and the word vocabulary to 2,000"``.

    Args:
        knobs: ``(label, field, current value, candidate values)``, most natural first.
        estimate_with: the estimate with some fields changed (``{field: value}``).
    """
    changes: dict[str, Any] = {}
    said: list[str] = []
    for label, name, current, candidates in knobs:
        lower_values = sorted((c for c in candidates if c < current), reverse=True)
        if not lower_values:
            continue
        for value in lower_values:
            if estimate_with({**changes, name: value}).fits(server):
                said.append(f"{label} to {value:,}")
                return "lower the " + " and the ".join(said)
        changes[name] = lower_values[-1]  # not enough alone: as low as it goes, then the next
        said.append(f"{label} to {lower_values[-1]:,}")
    return None


# -- Training: memory of weights, optimizer state and one batch of activations ---------
def _adam_bytes(parameters: int) -> int:
    """Weights, gradients and Adam's two moments: 4 float32 copies of the parameters."""
    return 4 * 4 * parameters


#: Floats a recurrent layer keeps per token and hidden unit for backpropagation through
#: time (gates, candidate, state and their gradients; measured order of magnitude).
RECURRENT_FLOATS_PER_UNIT = {"SimpleRNN": 4, "GRU": 12, "LSTM": 16}
RECURRENT_GATES = {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}


def rnn_training(settings: Any, vocabulary_size: int, train_windows: int) -> Estimate:
    """Training the recurrent text model of ``course_lib.recurrent_networks`` (a ``TextSettings``).

    Memory: parameters × 4 (Adam), the training windows the trainer copies, and one
    batch of activations: embeddings, every layer's states and gates for every step
    (backpropagation through time keeps them all), and the logits over the vocabulary
    with their softmax gradient — the biggest term at word level.
    Time: one training step, forward and backward (≈ 3 × the forward FLOPs).
    """
    batch, steps = int(settings.batch_size), int(settings.sequence_length)
    cell, units, layers = settings.cell, int(settings.hidden_units), int(settings.layers)
    embedding, vocabulary = int(settings.embedding_dim), int(vocabulary_size)
    gates = RECURRENT_GATES.get(cell, 4)
    inputs = [embedding] + [units] * (layers - 1)
    recurrent_parameters = sum(gates * (width + units + 2) * units for width in inputs)
    parameters = vocabulary * embedding + recurrent_parameters + (units + 1) * vocabulary
    tokens = batch * steps
    activation_floats = tokens * (
        2 * embedding + layers * units * RECURRENT_FLOATS_PER_UNIT.get(cell, 16) + 3 * vocabulary
    )
    data_bytes = 2 * 4 * int(train_windows) * steps  # x and y windows, int32
    peak = KERAS_MODEL_BYTES + _adam_bytes(parameters) + 4 * activation_floats + data_bytes
    forward_flops = 2 * tokens * (recurrent_parameters + units * vocabulary + embedding)
    seconds = STEP_OVERHEAD_SECONDS + 3 * forward_flops / DENSE_FLOPS
    level = getattr(settings, "level", "character")
    what = (
        f"Training this network ({level} level, vocabulary {vocabulary:,} × sequence "
        f"{steps} × batch {batch}, {layers} × {cell}-{units})"
    )

    def advice(server: Limits) -> str:
        def with_(changes: dict[str, Any]) -> Estimate:
            values = {
                name: getattr(settings, name)
                for name in ("batch_size", "sequence_length", "cell", "hidden_units", "layers")
            }
            values.update(level=level, embedding_dim=embedding, **changes)
            return rnn_training(
                _Namespace(values), values.pop("vocabulary", vocabulary), train_windows
            )

        knobs = [("batch size", "batch_size", batch, _halvings(batch, 16))]  # slider stops
        if level == "word":
            words = (10000, 5000, 2000, 1000, 500, 200, 100)
            knobs.append(("word vocabulary", "vocabulary", vocabulary, words))
        knobs += [
            ("sequence length", "sequence_length", steps, _halvings(steps, 16)),
            ("hidden units", "hidden_units", units, _halvings(units, 16)),
            ("layers", "layers", layers, (1, 2)),
        ]
        return lower_knobs(knobs, with_, server) or (
            "use a smaller network, a shorter sequence and a smaller batch"
        )

    return Estimate(peak, seconds, what, per="step", advice=advice)


class _Namespace:
    """Settings as attributes, for re-estimating with one knob changed."""

    def __init__(self, values: dict[str, Any]):
        self.__dict__.update(values)


def text_generation(length: int, parameters: int) -> Estimate:
    """Writing ``length`` tokens with a trained recurrent network of ``parameters`` weights.

    One token per compiled step; each step costs about one multiply-add per weight (the
    state is carried, nothing grows with the length but the text itself).
    """
    length = int(length)
    token_seconds = GENERATION_TOKEN_SECONDS + 2 * int(parameters) / SMALL_FLOPS
    peak = 64 * length + 4 * int(parameters)

    def advice(server: Limits) -> str:
        fitting = int(server.seconds_per_action / token_seconds)
        return (
            f"lower the length to {max(10, fitting // 10 * 10):,}"
            if fitting >= 10
            else "use a smaller network"
        )

    return Estimate(
        peak, length * token_seconds, f"Writing {length:,} tokens", "action", advice=advice
    )


def cnn_training(
    settings: Any, image_shape: tuple[int, int, int], num_classes: int, train_examples: int
) -> Estimate:
    """Training the CNN of ``course_lib.convolutional_networks`` (a ``CNNSettings``) on uint8 images.

    Memory: weights × 4 (Adam), every layer's activations and their gradients for one
    batch (float32), and the trainer's uint8 copy of the training images. Time: one step.
    """
    from course_lib.convolutional_networks import model as cnn_model  # numpy only, no TensorFlow

    rows = cnn_model.layer_rows(settings, image_shape, num_classes)
    parameters = sum(r.parameters for r in rows)
    activations = sum(math.prod(r.output_shape) for r in rows)
    batch = int(settings.batch_size)
    data_bytes = int(train_examples) * math.prod(image_shape)
    peak = KERAS_MODEL_BYTES + _adam_bytes(parameters) + 4 * 2 * batch * activations + data_bytes
    step_flops = 3 * sum(r.flops for r in rows) * batch
    seconds = STEP_OVERHEAD_SECONDS + step_flops / DENSE_FLOPS
    what = (
        f"Training this network ({settings.conv_blocks} blocks from {settings.filters} filters, "
        f"dense {settings.dense_units}, batch {batch}, {parameters:,} parameters)"
    )

    def advice(server: Limits) -> str:
        import dataclasses

        def with_(changes: dict[str, Any]) -> Estimate:
            changed = dataclasses.replace(settings, **changes)
            return cnn_training(changed, image_shape, num_classes, train_examples)

        knobs = [
            ("batch size", "batch_size", batch, _halvings(batch, 8)),
            ("filters in block 1", "filters", settings.filters, _halvings(settings.filters, 4)),
            ("dense units", "dense_units", settings.dense_units, (256, 128, 64, 32, 0)),
            ("convolution blocks", "conv_blocks", settings.conv_blocks, (1, 2, 3)),
        ]
        return lower_knobs(knobs, with_, server) or (
            "use fewer filters, a smaller dense layer, stride 2 or more pooling"
        )

    return Estimate(peak, seconds, what, per="step", advice=advice)


def mlp_training(
    layer_widths: Sequence[int], inputs: int, outputs: int, batch_size: int, what: str
) -> Estimate:
    """A small dense network (the playground, the fundamentals fit): one training step."""
    widths = [int(inputs), *map(int, layer_widths), int(outputs)]
    parameters = sum((a + 1) * b for a, b in zip(widths, widths[1:], strict=False))
    batch = max(1, int(batch_size))
    activations = batch * sum(widths)
    peak = KERAS_MODEL_BYTES + _adam_bytes(parameters) + 4 * 3 * activations
    seconds = STEP_OVERHEAD_SECONDS + 3 * 2 * batch * parameters / SMALL_FLOPS
    return Estimate(
        peak,
        seconds,
        what,
        per="step",
        advice=lambda server: "use fewer or narrower layers, or a smaller batch",
    )


def playground_training(settings: Any) -> Estimate:
    """The playground's MLP (a ``PlaygroundSettings``) on 2-D points."""
    widths = [units for units, _ in settings.layers]
    classes = max(2, int(getattr(settings, "classes", 2)))
    return mlp_training(
        widths,
        2,
        classes,
        settings.batch_size,
        f"Training this network ({' × '.join(map(str, widths))} units, batch {settings.batch_size})",
    )


def fundamentals_fit(settings: Any, points: int) -> Estimate:
    """The fundamentals' one-hidden-layer fit (a ``FitSettings``): full batch of ``points``."""
    return mlp_training(
        [settings.hidden_units],
        1,
        1,
        points,
        f"Fitting {settings.hidden_units} hidden units on {points:,} points",
    )


def width_sweep(widths: Sequence[int], epochs: int, points: int) -> Estimate:
    """The fundamentals' width sweep (and shallow-to-deep): one network per width, trained
    ``epochs`` full-batch steps each, one after the other by the live driver. The whole
    sweep must fit the time of one action: it is one experiment on a shared server."""
    seconds = sum(
        epochs * mlp_training([w], 1, 1, points, "").seconds + 0.3 for w in widths
    )  # + building and tracing each network
    peak = max(mlp_training([w], 1, 1, points, "").peak_bytes for w in widths)

    def advice(server: Limits) -> str:
        per_epoch = seconds / max(1, epochs * len(widths))
        fitting = int(server.seconds_per_action / max(per_epoch, 1e-9) / max(1, len(widths)))
        return (
            f"lower the epochs to {max(10, fitting // 10 * 10):,} or sweep fewer widths"
            if fitting >= 10
            else "sweep fewer widths"
        )

    return Estimate(
        peak,
        seconds,
        f"Training {len(widths)} networks × {epochs:,} epochs",
        "action",
        advice=advice,
    )


#: Seconds of one environment step of a CartPole batch plus its share of the update, for a
#: 64-unit policy (measured order of magnitude); scales with the hidden units.
RL_STEP_SECONDS = 2e-5


def rl_run(settings: Any, seeds: int = 1) -> Estimate:
    """Reinforcement learning on CartPole (an ``AgentSettings``): ``updates`` updates of
    ``num_envs × rollout_steps`` environment steps, repeated for ``seeds`` seeds."""
    env_steps = int(settings.updates) * int(settings.num_envs) * int(settings.rollout_steps)
    units = int(settings.hidden_units)
    passes = int(getattr(settings, "update_epochs", 1))
    per_step = RL_STEP_SECONDS * (1 + units / 64) * (1 + passes / 4)
    seconds = seeds * env_steps * per_step
    rollout = int(settings.num_envs) * int(settings.rollout_steps)
    peak = 4 * rollout * (4 + 6) * 4 + _adam_bytes(2 * (4 * units + units * units + 3 * units))

    def advice(server: Limits) -> str:
        fitting = int(server.seconds_per_action / max(seconds / max(1, seeds), 1e-9))
        if seeds > 1:
            return f"compare fewer seeds (at most {max(1, fitting)})"
        return "train fewer updates, with fewer environments or shorter rollouts"

    what = f"{seeds} run(s) of {settings.updates} updates × {rollout:,} steps"
    return Estimate(peak, seconds, what, "action", advice=advice)


def alphazero_training(settings: Any) -> Estimate:
    """AlphaZero's self-play (an ``AlphaZeroSettings``). One iteration (self-play, training,
    evaluation) is the unit a chunk cannot cut, so one iteration must fit one action."""
    from course_lib.reinforcement_learning import alphazero

    seconds, peak = alphazero.estimate_cost(settings)

    def advice(server: Limits) -> str:
        if peak > server.memory_bytes:
            return (
                f"lower hidden units (now {settings.hidden_units:,}) or replay iterations "
                f"(now {settings.replay_iterations})"
            )
        fits = max(1, int(settings.simulations * server.seconds_per_action / seconds))
        fits = 10 ** int(math.log10(fits)) * int(str(fits)[0]) if fits >= 10 else fits
        return f"lower simulations to {fits:,} (or games per iteration, or hidden units)"

    what = (
        f"{settings.simulations:,} simulations per move × {settings.games_per_iteration} games "
        "per iteration:"
    )
    return Estimate(peak, seconds, what, "action", advice=advice)


# -- Parsing: decoded size ---------------------------------------------------------------
def csv_parse(rows: int, columns: int) -> Estimate:
    """Reading a CSV of ``rows × columns`` cells as text and numbers (pandas)."""
    cells = int(rows) * int(columns)
    return Estimate(
        cells * 120,
        cells * 1e-6,
        f"Reading this CSV ({rows:,} rows × {columns:,} columns)",
        "action",
        advice=lambda server: "keep the columns x, y (or x1, x2, label) and a few thousand rows",
    )


def image_decode(width: int, height: int, bands: int = 3) -> Estimate:
    """Decoding one image of ``width × height`` pixels (uint8) before it is downscaled."""
    pixels = int(width) * int(height)
    return Estimate(
        pixels * max(1, bands) * 2,
        pixels * 2e-8,
        f"Decoding this {width:,}×{height:,} image",
        "action",
        advice=lambda server: "resize it to at most 2,000 pixels a side",
    )


def rl_update(settings: Any) -> Estimate:
    """One update of a live reinforcement-learning run (its rollout and its gradient steps):
    the unit the live driver trains between two checks of the clock."""
    one = rl_run(_Namespace({**vars_of(settings), "updates": 1}))
    return Estimate(
        one.peak_bytes,
        one.seconds,
        f"One update of this agent ({settings.num_envs} environments × "
        f"{settings.rollout_steps} steps, {settings.hidden_units} units)",
        per="step",
        advice=lambda server: "use fewer environments, shorter rollouts or fewer units",
    )


def vars_of(settings: Any) -> dict[str, Any]:
    """A settings object's fields as a dict (a dataclass or any object with attributes)."""
    import dataclasses

    if dataclasses.is_dataclass(settings):
        return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}
    return dict(vars(settings))
