"""Chapter 3's lesson as data: the guided walkthrough and the quiz."""

from __future__ import annotations

from typing import Any

from course_lib.classroom import Question, Step
from course_lib.convolutional_networks.model import CNNSettings

#: The fields a walkthrough step sets (data set, architecture, training): every step sets
#: all of them, so Back and Next always land on the same experiment, whatever the student
#: moved in between (``ui.Controls.apply_preset`` puts the seed back to its default too).
WALKTHROUGH_FIELDS = (
    "dataset",
    "conv_blocks",
    "filters",
    "kernel_size",
    "stride",
    "padding",
    "activation",
    "pooling",
    "dense_units",
    "dropout",
    "learning_rate",
    "epochs",
    "batch_size",
    "augmentation",
)


def _preset(**changes: Any) -> dict[str, Any]:
    """A complete walkthrough preset: the defaults of :data:`WALKTHROUGH_FIELDS`, then ``changes``."""
    defaults = CNNSettings()
    return {name: getattr(defaults, name) for name in WALKTHROUGH_FIELDS} | changes


WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "What a trained network gets wrong",
        "Before any training the page shows the pretrained digits network. Look at the "
        "confusion matrix: the few mistakes sit off the diagonal. Click one and look at the "
        "images: would you have read them correctly?",
        _preset(),
    ),
    Step(
        "A tiny network",
        "One block of four 3×3 filters and no dense layer: a few hundred parameters. Train "
        "it and compare its test accuracy and its confusion matrix with the pretrained one.",
        _preset(conv_blocks=1, filters=4, dense_units=0, dropout=0.0),
    ),
    Step(
        "Deeper and wider",
        "Two blocks, 32 then 64 filters, a dense layer of 64: the default network. It "
        "passes 97 % test accuracy in a few seconds. The table shows where its 36,000 "
        "parameters are: the 32 filters of the first block need only 320 of them, because "
        "each small filter is reused at every position of the image.",
        _preset(),
    ),
    Step(
        "Why pooling?",
        "Without pooling the feature maps keep their full size, so the flattened vector "
        "and the dense layer after it grow: on the digits the network gets eight times as "
        "many parameters (compare the table). "
        "Pooling also makes the network care less about exactly where a stroke is.",
        _preset(pooling="none"),
    ),
    Step(
        "Too large a learning rate",
        "With a learning rate of 0.1 the updates overshoot: the loss hardly falls, the "
        "curves jump around, and the accuracy stalls far below the 97 % of step 3. Go back "
        "to 0.003 and it learns again.",
        _preset(learning_rate=0.1),
    ),
    Step(
        "Overfitting, and dropout against it",
        "A dense layer of 512 and no dropout, trained for 40 epochs: the training loss "
        "falls to almost zero and the training accuracy reaches 100 %, while the validation "
        "accuracy stops improving a little lower: it learns the training images by heart. "
        "Then set dropout to 0.5, train again and compare the gap between the curves.",
        _preset(dense_units=512, dropout=0.0, epochs=40),
    ),
)


QUIZ: tuple[Question, ...] = (
    Question(
        "An 8×8 image is convolved with a 3×3 kernel, stride 1, 'valid' padding. How "
        "large is the feature map?",
        ("8×8", "6×6", "4×4", "3×3"),
        1,
        "'valid' keeps only positions where the whole kernel fits: 8 − 3 + 1 = 6 per side. "
        "'same' padding would add a border of zeros and keep 8×8.",
    ),
    Question(
        "How many parameters has a Conv2D layer with 32 filters of 3×3 on a grey image?",
        ("9", "32", "288", "320"),
        3,
        "Each filter has 3·3·1 weights and one bias: 32 × (9 + 1) = 320, whatever the "
        "size of the image. The same small filter is reused at every position.",
    ),
    Question(
        "In the confusion matrix, what does the cell in row 4, column 9 count?",
        (
            "Test images of a 9 that the network called 4",
            "Test images of a 4 that the network called 9",
            "Training images of a 4",
            "How sure the network is that a 4 is a 9",
        ),
        1,
        "Rows are the true classes, columns the predicted ones. Clicking the cell shows "
        "exactly those images.",
    ),
    Question(
        "Why is a drawn digit cropped, centred and shrunk before the network sees it?",
        (
            "To make the computation faster",
            "Because the network only knows digits framed the way its training data was",
            "Because convolutions need square images",
            "To remove the colour",
        ),
        1,
        "A network learns from its training data, nothing else. The digits were centred and "
        "filled their box; a small digit in a corner of the canvas looks like nothing it "
        "has seen.",
    ),
)
