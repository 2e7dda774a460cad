"""The lesson of chapter 1: the lecture's equations, the guided walkthrough and the quiz.

Typed data (:class:`~course_lib.classroom.Step`, :class:`~course_lib.classroom.Question`),
checked by the tests. Each walkthrough step's preset is a complete experiment: the page
resets every setting to its default, then applies the preset. A preset names a field of
the target or the fit by its name (``"hidden_units"``), a field of another section with
its widget prefix (``"hand_hidden_units"``, ``"depth_budget"``, ``"bp_activation"``).
"""

from __future__ import annotations

from course_lib.classroom import Question, Step

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
    ),
    Step(
        "Bumps make any shape",
        "Press *Place the units automatically* and raise N. Neighbouring steps of opposite "
        "sign make bumps; with more bumps the staircase hugs the curve, and the error chart "
        "falls steadily: this is the visual proof of universal approximation.",
        {"target": "sin", "hand_hidden_units": 6},
        section="By hand",
    ),
    Step(
        "Backpropagation finds the weights",
        "Press Start: 64 tanh units learn sin(x) from the points alone. The loss falls by "
        "orders of magnitude within a few hundred epochs.",
        {"target": "sin", "hidden_units": 64, "activation": "tanh", "learning_rate": 0.03},
        section="By training",
    ),
    Step(
        "Too few units",
        "With 2 hidden units the network can bend only twice, so the wiggly curve stays out "
        "of reach however long it trains. The error stops falling at a floor.",
        {"target": "wiggly", "hidden_units": 2, "epochs": 500},
        section="By training",
    ),
    Step(
        "More units, smaller error",
        "Now 128 units on the same wiggly target: the floor drops. *Width sweep* trains "
        "several widths one after another and plots the error against the width on log axes.",
        {"target": "wiggly", "hidden_units": 128, "epochs": 1000},
        section="By training",
    ),
    Step(
        "Too large a step",
        "Plain gradient descent with learning rate 5: every update overshoots the minimum "
        "a little more. The loss explodes, and the trainer stops and says why.",
        {"target": "sin", "optimizer": "sgd", "learning_rate": 5.0},
        section="By training",
    ),
    Step(
        "Deeper at the same budget",
        "Press Start: one, two and three hidden layers, each with about "
        "200 parameters, fit the wiggly target. Read the three errors and compare the curves: "
        "what does stacking layers buy for the same number of weights?",
        {"target": "wiggly", "learning_rate": 0.03, "optimizer": "adam", "depth_budget": 200},
        section="Shallow to deep",
    ),
    Step(
        "The backward pass, by hand",
        "Every ∂E/∂· on the drawn network comes from the output down: ∂E/∂y = y − t, times "
        "f′(z), then back along each weight. Press *Take the step* a few times and watch E "
        "fall; TensorFlow's automatic differentiation computes the same derivatives.",
        {"bp_hidden_layers": 1, "bp_activation": "sigmoid", "bp_learning_rate": 0.5},
        section="Backpropagation",
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
