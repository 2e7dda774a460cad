"""The lesson of chapter 1: the lecture's equations, the guided walkthrough and the quiz.

Typed data (:class:`~course_lib.classroom.Step`, :class:`~course_lib.classroom.Question`),
checked by the tests. Each walkthrough step's preset is a complete experiment: the page
resets every setting to its default, then applies the preset. A preset names a field of
the target or the fit by its name (``"hidden_units"``), a field of another section with
its widget prefix (``"hand_hidden_units"``, ``"depth_budget"``, ``"bp_activation"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from course_lib.classroom import Claim, Question, Step

#: The lecture's one, two and three hidden-layer networks, for ``st.latex``.
DEPTH_FORMULAS = (
    r"\tilde y = w \cdot g(W^{(1)} x + b^{(1)}) + b",
    r"\tilde y = w \cdot g(W^{(2)} g(W^{(1)} x + b^{(1)}) + b^{(2)}) + b",
    r"\tilde y = w \cdot g(W^{(3)} g(W^{(2)} g(W^{(1)} x + b^{(1)}) + b^{(2)}) + b^{(3)}) + b",
)

#: The lecture's forward and backward pass, for ``st.latex``.
EQUATIONS = (
    r"z_j = \sum_i w_{ij} y_i + b_j \qquad y_j = f(z_j) \qquad E = \tfrac12 \sum_l (y_l - t_l)^2",
    r"\frac{\partial E}{\partial y_l} = y_l - t_l \quad "
    r"\frac{\partial E}{\partial z_j} = \frac{\partial E}{\partial y_j} f'(z_j) \quad "
    r"\frac{\partial E}{\partial y_i} = \sum_j w_{ij} \frac{\partial E}{\partial z_j} \quad "
    r"\frac{\partial E}{\partial w_{ij}} = y_i \frac{\partial E}{\partial z_j}",
)
#: What the backward pass by hand is checked against, after the hand work.
TAPE_AGREES = "tf.GradientTape computes the same ∂E/∂w and ∂E/∂b: largest difference {gap:.1e}."

WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "One unit is a step",
        "With N = 1 sigmoid unit, the unit's share w·g(s(x − p)) is a smooth step. Move its "
        "position, steepness and weight, and see that one step cannot follow sin(x).",
        {"target": "sin", "hand_hidden_units": 1, "hand_activation": "sigmoid"},
        section="By hand",
        claim=Claim(
            "even the best-placed single step leaves a mean squared error above 0.05",
            lambda r: r["best_mse"] > 0.05,
        ),
    ),
    Step(
        "Bumps make any shape",
        "Press *Place the units automatically*, then raise N: the units are placed again "
        "for every N. Neighbouring steps of opposite sign make bumps; with more bumps the "
        "staircase hugs the curve, and the error chart falls steadily: this is the visual "
        "proof of universal approximation.",
        {"target": "sin", "hand_hidden_units": 6},
        section="By hand",
        claim=Claim(
            "the placed units' error falls as N grows: N = 50 ends below a tenth of N = 6",
            lambda r: r["mse_at_50"] < r["mse_at_6"] / 10 < r["mse_at_1"] / 10,
        ),
    ),
    Step(
        "Backpropagation finds the weights",
        "Press Start: 64 tanh units learn sin(x) from the points alone. The loss falls by "
        "orders of magnitude within a few hundred epochs.",
        {"target": "sin", "hidden_units": 64, "activation": "tanh", "learning_rate": 0.03},
        section="By training",
        claim=Claim(
            "after the 300 epochs the loss is below a hundredth of its first value",
            lambda r: r["status"] == "finished" and r["last_loss"] < r["first_loss"] / 100,
        ),
    ),
    Step(
        "Too few units",
        "With 2 hidden units the network can bend only twice, so the wiggly curve stays out "
        "of reach however long it trains. The error stops falling at a floor.",
        {"target": "wiggly", "hidden_units": 2, "epochs": 500},
        section="By training",
        claim=Claim(
            "the last 100 epochs lower the loss by less than 20 %, and it stays above 0.01",
            lambda r: r["last_loss"] > 0.01 and r["last_loss"] > 0.8 * r["loss_100_before"],
        ),
    ),
    Step(
        "More units, smaller error",
        "Now 128 units on the same wiggly target: the floor drops. *Width sweep* trains "
        "several widths one after another and plots the error against the width on log axes.",
        {"target": "wiggly", "hidden_units": 128, "epochs": 1000},
        section="By training",
        claim=Claim(
            "128 units end below a fifth of the 2-unit floor (MSE < 0.003 against > 0.01)",
            lambda r: r["status"] == "finished" and r["mse"] < 0.003,
        ),
    ),
    Step(
        "Too large a step",
        "Plain gradient descent with learning rate 0.037: every update overshoots the "
        "minimum a little more, and the loss grows by about half each epoch. Once it stays "
        "far above its start the trainer stops, says why, and rolls the network back: the "
        "chart then shows the rolled-back network, not the exploded one.",
        {"target": "sin", "optimizer": "sgd", "learning_rate": 0.037},
        section="By training",
        claim=Claim(
            "the loss grows for at least 5 epochs in a row, then the run diverges and the "
            "rolled-back network's MSE is below the last loss seen",
            lambda r: (
                r["status"] == "diverged"
                and r["growing_epochs"] >= 5
                and r["shown_mse"] < r["last_loss"]
            ),
        ),
    ),
    Step(
        "Deeper at the same budget",
        "Press Start: one, two and three hidden layers, each with about 200 parameters, "
        "fit the step target for 600 epochs. One layer rounds the jump off; each layer "
        "stacked on it sharpens the step again, so three layers end below half the error "
        "of one for the same number of weights.",
        {
            "target": "step",
            "learning_rate": 0.03,
            "optimizer": "adam",
            "depth_budget": 200,
            "depth_epochs": 600,
        },
        section="Shallow to deep",
        claim=Claim(
            "3 hidden layers end below half the MSE of 1, and 2 layers below 1",
            lambda r: r["mse"][2] < r["mse"][0] / 2 and r["mse"][1] < r["mse"][0],
        ),
    ),
    Step(
        "The backward pass, by hand",
        "Every ∂E/∂· on the drawn network comes from the output down: ∂E/∂y = y − t, times "
        "f′(z), then back along each weight. Press *Take the step* a few times and watch E "
        "fall; TensorFlow's automatic differentiation computes the same derivatives.",
        {"bp_hidden_layers": 1, "bp_activation": "sigmoid", "bp_learning_rate": 0.5},
        section="Backpropagation",
        claim=Claim(
            "three presses of Take the step lower E each time, and the tape agrees to 1e-5",
            lambda r: (
                all(b < a for a, b in zip(r["errors"], r["errors"][1:], strict=False))
                and r["tape_gap"] < 1e-5
            ),
        ),
    ),
)

QUIZ: tuple[Question, ...] = (
    Question(
        "In the by-hand section with sigmoid units, what does a single hidden unit add "
        "to the output?",
        ("A straight line", "A smooth step of height w at position p", "A bump", "A sine wave"),
        1,
        "g(s(x − p)) goes from 0 to 1 around x = p, more sharply for larger s; the output "
        "weight w scales it. A bump needs two such steps of opposite sign.",
    ),
    Question(
        "You place the units automatically and raise N from 5 to 50 on sin(x). What "
        "happens to the error?",
        ("It stays the same", "It grows", "It falls", "It becomes exactly zero at N = 10"),
        2,
        "More, narrower bumps follow the curve more closely: the error falls as N grows, "
        "which is what 'given enough units' means in the universal approximation theorem.",
    ),
    Question(
        "A network with 2 hidden units is trained for many epochs on the wiggly target. "
        "Why does its error stop falling?",
        (
            "The learning rate is too small",
            "It has too few units to represent the wiggles",
            "Backpropagation computes wrong gradients",
            "The data set is too small",
        ),
        1,
        "Two units can bend the output only twice. Training finds the best weights for this "
        "network, but no weights make it wiggly; more units lower the floor.",
    ),
    Question(
        "In the backward pass, how is ∂E/∂y_i of a hidden unit computed?",
        (
            "y_i − t_i",
            "Σ_j w_ij ∂E/∂z_j over the units j it feeds",
            "f′(z_i) alone",
            "By trying small changes of y_i",
        ),
        1,
        "A hidden unit has no target. Its effect on E flows through every unit j it feeds, "
        "each by w_ij, so the derivatives of the layer above are summed back: "
        "backward propagation of the error.",
    ),
)


def _experiment(step: Step) -> dict[type, Any]:
    """The settings objects the page makes of a step's preset: defaults, then the preset."""
    from app_pages.fundamentals_sections import EXPERIMENTS
    from course_lib.classroom import preset_field

    parts: dict[type, dict[str, Any]] = {settings_class: {} for settings_class in EXPERIMENTS}
    for name, value in step.preset.items():
        settings_class, _, name_in_class = preset_field(EXPERIMENTS, name)
        parts[settings_class][name_in_class] = value
    return {settings_class: settings_class(**values) for settings_class, values in parts.items()}


def step_result(step: Step) -> Mapping[str, Any]:
    """Run a walkthrough step's preset headless, as the page does, and return its numbers.

    The section decides what runs: *By hand* places the units with the page's
    :func:`~.approximation.place_bumps`; *By training* trains the page's
    :func:`~.network.fit_trainer` for the preset's epochs; *Shallow to deep* trains the
    page's :func:`~.sweep.depth_training`; *Backpropagation* presses *Take the step* three
    times on the page's tiny network (the default inputs x and target t).
    """
    import numpy as np

    from course_lib.fundamentals import approximation as ap
    from course_lib.fundamentals import backprop as bp
    from course_lib.fundamentals import network as nw
    from course_lib.fundamentals import sweep as sw
    from course_lib.fundamentals import targets as tg

    settings = _experiment(step)
    if step.section == "Backpropagation":
        tiny = settings[bp.BackpropSettings]
        network = bp.random_network(tiny)
        x, t = np.array((1.0, 0.5, -0.5)[: tiny.inputs]), np.array([0.9])
        errors, gaps = [], []
        for _ in range(4):
            result = bp.backward(network, x, t)
            errors.append(result.error)
            gaps.append(bp.tape_difference(network, x, t, result))
            network = bp.gradient_step(network, result, tiny.learning_rate)
        return {"errors": errors, "tape_gap": max(gaps)}
    points = tg.target_points(settings[tg.TargetSettings])
    if step.section == "By hand":
        hand = settings[ap.HandSettings]
        curve = ap.bump_error_curve(points, hand.activation)
        mse = dict(zip(curve["hidden_units"], curve["mse"], strict=True))
        best = ap.place_bumps(points, hand.hidden_units, hand.activation)
        errors = tg.approximation_errors(ap.hand_predict(best, points.x), points.y)
        return {
            "best_mse": errors["mse"],
            "mse_at_1": mse[1],
            "mse_at_6": mse[6],
            "mse_at_50": mse[50],
        }
    fit = settings[nw.FitSettings]
    if step.section == "Shallow to deep":
        training = sw.run_sweep(sw.depth_training(points, settings[sw.DepthSettings], fit))
        table = training.table()
        return {
            "mse": list(table["mse"]),
            "layers": list(table["layers"]),
            "parameters": list(table["parameters"]),
        }
    trainer = nw.train_to_end(nw.fit_trainer(fit, points))
    losses = [row["loss"] for row in trainer.history]
    growing = max_run = 0
    for before, after in zip(losses, losses[1:], strict=False):
        growing = growing + 1 if after > before else 0
        max_run = max(max_run, growing)
    shown = nw.network_parts(trainer.model, points.x)[0]  # what the page's chart draws
    return {
        "status": trainer.status.value,
        "epochs": trainer.epochs_done,
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "loss_100_before": losses[-101] if len(losses) > 100 else losses[0],
        "growing_epochs": max_run,
        "mse": tg.approximation_errors(shown, points.y)["mse"],
        "shown_mse": tg.approximation_errors(shown, points.y)["mse"],
        "shown_max_abs": float(np.max(np.abs(shown))),
    }
