"""The playground in the classroom: presets, the guided walkthrough and the quiz, as data.

:data:`PRESETS` are named complete experiments (every field but the seed);
:data:`WALKTHROUGH` (``course_lib.classroom.Step``) and :data:`QUIZ`
(``course_lib.classroom.Question``) are drawn by ``course_lib.ui``.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from course_lib.deep_supervised_learning.experiment import (
    MAX_LAYERS,
    PlaygroundSettings,
    settings_from_values,
)


@dataclass(frozen=True)
class Preset:
    """A named set of settings for a lesson, with what to watch."""

    name: str
    description: str
    values: dict[str, Any]


def _uniform_layers(count: int, units: int, activation: str) -> dict[str, Any]:
    values: dict[str, Any] = {"hidden_layers": count}
    for i in range(1, MAX_LAYERS + 1):
        values[f"hidden_units_{i}"] = units
        values[f"activation_{i}"] = activation
    return values


_REGULARISATION_OFF = {"dropout": 0.0, "l1": 0.0, "l2": 0.0, "batch_norm": False}


def _complete(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every other field but the seed at its default.

    A preset then gives the same experiment whatever was set before it (a walkthrough
    step after "overfit me" does not keep its 60 points). The seed is left out: the
    page's controls put every field a preset does not name, the seed too, back to its
    default.
    """
    defaults = dataclasses.asdict(PlaygroundSettings())
    del defaults["seed"]
    return {**defaults, **values}


PRESETS: tuple[Preset, ...] = (
    Preset(
        "overfit me",
        "Few noisy points and a big network with no regularisation: the training loss goes "
        "to zero while the test loss turns up. Then raise dropout or L2 and watch the gap close.",
        _complete(
            {
                "dataset": "two moons",
                "samples": 60,
                "noise": 0.3,
                "test_fraction": 0.5,
                **_uniform_layers(3, 128, "relu"),
                **_REGULARISATION_OFF,
                "optimizer": "Adam",
                "learning_rate": 0.01,
                "batch_size": 8,
                "epochs": 300,
            }
        ),
    ),
    Preset(
        "deep enough",
        "Two spirals need a curved, wound-up boundary. A single small layer cannot draw it; "
        "four layers of 32 ReLU neurons can, in 100 epochs.",
        _complete(
            {
                "dataset": "two spirals",
                "samples": 800,
                "noise": 0.1,
                "test_fraction": 0.3,
                **_uniform_layers(4, 32, "relu"),
                **_REGULARISATION_OFF,
                "optimizer": "Adam",
                "learning_rate": 0.01,
                "batch_size": 32,
                "epochs": 100,
            }
        ),
    ),
    Preset(
        "too shallow",
        "One hidden layer of four neurons on the spirals: the boundary stays a few straight "
        "cuts, and both losses stay high (underfitting).",
        _complete(
            {
                "dataset": "two spirals",
                "samples": 800,
                "noise": 0.1,
                **_uniform_layers(1, 4, "tanh"),
                **_REGULARISATION_OFF,
                "optimizer": "Adam",
                "learning_rate": 0.01,
                "batch_size": 32,
                "epochs": 200,
            }
        ),
    ),
    Preset(
        "vanishing gradients",
        "Six sigmoid layers trained with plain SGD: the gradient norms shrink layer by layer "
        "towards the input, and the first layers barely learn. Switch to ReLU to compare.",
        _complete(
            {
                "dataset": "circles",
                "samples": 400,
                "noise": 0.1,
                **_uniform_layers(6, 16, "sigmoid"),
                **_REGULARISATION_OFF,
                "optimizer": "SGD",
                "learning_rate": 0.1,
                "batch_size": 16,
                "epochs": 200,
            }
        ),
    ),
    Preset(
        "learning rate too large",
        "Plain SGD with a learning rate of 3 on three linear layers: each step overshoots "
        "further than the last, the loss becomes NaN within the first epoch, and the live "
        "driver stops the run and explains why. Try 0.3 (10× smaller) instead.",
        _complete(
            {
                "dataset": "XOR",
                **_uniform_layers(3, 32, "linear"),
                **_REGULARISATION_OFF,
                "optimizer": "SGD",
                "learning_rate": 3.0,
                "batch_size": 16,
                "epochs": 100,
            }
        ),
    ),
)


def is_preset(name: str, settings: PlaygroundSettings) -> bool:
    """Whether ``settings`` are still those of preset ``name`` (unused layers aside)."""

    def used(choice: PlaygroundSettings) -> PlaygroundSettings:
        return settings_from_values(dataclasses.asdict(choice))

    return used(preset_settings(name, settings)) == used(settings)


def preset(name: str) -> Preset:
    """The preset called ``name`` (see :data:`PRESETS`)."""
    for candidate in PRESETS:
        if candidate.name == name:
            return candidate
    raise KeyError(name)


def preset_settings(name: str, base: PlaygroundSettings | None = None) -> PlaygroundSettings:
    """``base`` (default settings if ``None``) with the preset's values applied."""
    return dataclasses.replace(base or PlaygroundSettings(), **preset(name).values)


#: The XOR data of the first two steps (their learning rate too: not the page default's).
_XOR = {"dataset": "XOR", "noise": 0.05, "learning_rate": 0.01, "epochs": 100}

#: The step that tells the student to divide the learning rate, and by how much: the
#: number the divergence alert names (``course_lib.training.divergence_message``).
LEARNING_RATE_STEP = "A learning rate too large"
LEARNING_RATE_DIVISOR = 10


def _walkthrough():
    from course_lib.classroom import Claim, Step

    overfit = preset("overfit me").values
    return (
        Step(
            "One neuron draws a straight line",
            "A single hidden neuron computes one weighted sum of x₁ and x₂, so whatever it "
            "learns, the boundary is a straight line. XOR needs two lines: watch the loss "
            "get stuck.",
            _complete({**_XOR, **_uniform_layers(1, 1, "tanh")}),
            claim=Claim(
                "after 100 epochs the test accuracy stays below 80 % (one line cannot split XOR)",
                lambda r: r["val_accuracy"] < 0.8 and r["loss"] > 0.3,
            ),
        ),
        Step(
            "More neurons, more lines",
            "With eight neurons the first layer draws eight lines and the output combines "
            "them: the boundary bends around the four quadrants. Look inside the net to see "
            "each neuron's line.",
            _complete({**_XOR, **_uniform_layers(1, 8, "tanh")}),
            claim=Claim(
                "after 100 epochs the test accuracy is at least 95 %",
                lambda r: r["val_accuracy"] >= 0.95,
            ),
        ),
        Step(
            "Too shallow for the spirals",
            "Two spirals wound around each other need a boundary that winds too. One small "
            "layer cannot draw it: both training and test loss stay high — underfitting.",
            preset("too shallow").values,
            claim=Claim(
                "training and test accuracy both stay below 85 %, both losses above 0.3",
                lambda r: (
                    max(r["accuracy"], r["val_accuracy"]) < 0.85
                    and min(r["loss"], r["val_loss"]) > 0.3
                ),
            ),
        ),
        Step(
            "Deep enough",
            "Four layers of 32 ReLU neurons compose simple pieces into a spiral-shaped "
            "boundary in 100 epochs, about a quarter of a minute. Depth lets a network reuse "
            "what earlier layers built.",
            preset("deep enough").values,
            claim=Claim(
                "after 100 epochs the test accuracy is at least 95 %",
                lambda r: r["val_accuracy"] >= 0.95,
            ),
        ),
        Step(
            "Vanishing gradients",
            "Six sigmoid layers trained with plain SGD: the gradient-norm chart shows the "
            "first layers receiving gradients many times smaller than the last ones, so they "
            "hardly learn. Switch the activations to ReLU and compare.",
            preset("vanishing gradients").values,
            claim=Claim(
                "the first layer's gradient norm is under a third of the output layer's",
                lambda r: r["grad_norm_first"] < r["grad_norm_output"] / 3,
            ),
        ),
        Step(
            "Overfit me",
            "Thirty training points and a network with tens of thousands of parameters. The "
            "training loss goes to zero, the test loss turns up, and the boundary wraps around "
            "single noisy points: the network memorises instead of generalising.",
            overfit,
            claim=Claim(
                "training loss below 0.05 while the test loss ends above twice its lowest value",
                lambda r: r["loss"] < 0.05 and r["val_loss"] > 2 * r["min_val_loss"],
            ),
        ),
        Step(
            "Regularisation closes the gap",
            "Same data, same network, now with dropout and an L2 penalty. The boundary gets "
            "smoother and the test loss ends within about 0.3 of the training loss, where "
            "without them it climbed to many times the training loss.",
            {**overfit, "dropout": 0.2, "l2": 0.03},
            claim=Claim(
                "the test loss ends below 0.8 and within 0.3 of the training loss",
                lambda r: r["val_loss"] < 0.8 and abs(r["val_loss"] - r["loss"]) < 0.3,
            ),
        ),
        Step(
            "A learning rate too large",
            "Each step overshoots the minimum by more than the last: within the first epoch "
            "the loss becomes NaN and the run is stopped with an explanation. Divide the "
            "learning rate by 10 (to 0.3), as the alert says, and train again: the loss stays "
            "finite, though three linear layers still draw one straight line.",
            preset("learning rate too large").values,
            claim=Claim(
                "the run is stopped in epoch 1 (NaN); at a tenth of the rate all 100 epochs "
                "finish with a finite loss",
                lambda r: (
                    r["status"] == "DIVERGED"
                    and r["epochs"] == 0
                    and r["retry_status"] == "FINISHED"
                    and r["retry_epochs"] == 100
                    and math.isfinite(r["retry_loss"])
                ),
            ),
        ),
    )


def _quiz():
    from course_lib.classroom import Question

    return (
        Question(
            "With one hidden layer of a single neuron, what shape can the decision boundary "
            "between two classes have?",
            ("A straight line", "A circle", "Any curve, given enough epochs"),
            0,
            "The neuron thresholds one weighted sum w₁x₁ + w₂x₂ + b; its level sets are "
            "straight lines, and training only moves the line.",
        ),
        Question(
            "The training loss keeps falling while the test loss rises. What is happening?",
            (
                "The learning rate is too small",
                "The network is overfitting the training points",
                "The gradients are vanishing",
            ),
            1,
            "The network is memorising the training points, noise included, and generalises "
            "worse to points it has not seen. Dropout, L2, more data or a smaller network help.",
        ),
        Question(
            "In a deep sigmoid network trained with SGD, which layers get the smallest "
            "gradient norms?",
            ("The layers next to the output", "The layers next to the input", "All the same"),
            1,
            "Backpropagation multiplies by the sigmoid's derivative (at most 0.25) once per "
            "layer on the way back, so the gradient shrinks towards the input.",
        ),
        Question(
            "A network has 2 inputs, one hidden layer of 8 neurons and 2 outputs. How many "
            "parameters (weights and biases) does it have?",
            ("18", "32", "42"),
            2,
            "2·8 weights + 8 biases into the hidden layer, 8·2 weights + 2 biases into the "
            "output: 24 + 18 = 42, the count the page shows.",
        ),
    )


#: The guided tour of this page, step by step (``course_lib.classroom.Step``).
WALKTHROUGH = _walkthrough()


#: Questions about what the page shows (``course_lib.classroom.Question``).
QUIZ = _quiz()


def run_settings(settings: PlaygroundSettings, *, chunk_seconds: float = 5.0) -> dict[str, Any]:
    """Train ``settings`` headless with the page's own trainer (``model.make_trainer``).

    Returns the last row's ``loss``, ``val_loss``, ``accuracy``, ``val_accuracy``, the
    lowest test loss (``min_val_loss``), the gradient norms of the first and output
    layers (the mean of the last five measurements), the run's ``status``, ``epochs`` done,
    ``message`` and ``seconds`` of training.
    """
    from course_lib.deep_supervised_learning.data import make_dataset
    from course_lib.deep_supervised_learning.model import make_trainer

    data = make_dataset(settings)
    trainer = make_trainer(settings, data)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(chunk_seconds)
    history = trainer.history
    last = history[-1] if history else {}

    def finite(values):
        return [v for v in values if v is not None and math.isfinite(v)]

    def recent(name):
        values = finite([row.get(name) for row in history if name in row])[-5:]
        return sum(values) / len(values) if values else float("nan")

    val_losses = finite([row.get("val_loss") for row in history])
    return {
        "loss": float(last.get("loss", float("nan"))),
        "val_loss": float(last.get("val_loss", float("nan"))),
        "accuracy": float(last.get("accuracy", float("nan"))),
        "val_accuracy": float(last.get("val_accuracy", float("nan"))),
        "min_val_loss": min(val_losses) if val_losses else float("nan"),
        "grad_norm_first": recent("grad_norm_1"),
        "grad_norm_output": recent("grad_norm_output"),
        "status": trainer.status.name,
        "epochs": trainer.epochs_done,
        "message": trainer.message,
        "seconds": round(trainer.train_seconds, 2),
    }


def step_result(step) -> dict[str, Any]:
    """Run a walkthrough step's preset headless, as the page would, and return its numbers.

    The preset trains for its epochs with the page's trainer (:func:`run_settings`, seed
    at its default). The learning-rate step, which tells the student to divide the rate
    by :data:`LEARNING_RATE_DIVISOR` and train again, also runs that second experiment:
    its numbers carry the prefix ``retry_``.
    """
    settings = settings_from_values({**dataclasses.asdict(PlaygroundSettings()), **step.preset})
    result = run_settings(settings)
    if step.title == LEARNING_RATE_STEP:
        retry = dataclasses.replace(
            settings, learning_rate=settings.learning_rate / LEARNING_RATE_DIVISOR
        )
        result.update({f"retry_{k}": v for k, v in run_settings(retry).items()})
        result["retry_learning_rate"] = retry.learning_rate
    return result
