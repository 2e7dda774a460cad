"""Chapter 3's lesson as data: the guided walkthrough and the quiz."""

from __future__ import annotations

from typing import Any

from course_lib.classroom import Claim, Question, Step
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


#: The overfitting experiment: a dense layer of 512 straight on 1×1 features of the full
#: 8×8 image (no pooling, no dropout): about 268,000 parameters for 1,222 training images.
OVERFITTING = _preset(
    conv_blocks=1,
    filters=8,
    kernel_size=1,
    pooling="none",
    dense_units=512,
    dropout=0.0,
    epochs=20,
)

WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "What a trained network gets wrong",
        "Before any training the page shows the pretrained digits network. Look at the "
        "confusion matrix: the few mistakes sit off the diagonal. Click one and look at the "
        "images: would you have read them correctly?",
        _preset(),
        claim=Claim(
            "the pretrained network misclassifies at least one test image, and at most 5 %",
            lambda r: 1 <= r["pretrained_misclassified"] <= 0.05 * r["test_images"],
        ),
    ),
    Step(
        "A tiny network",
        "One block of four 3×3 filters and no dense layer: a few hundred parameters. Train "
        "it and compare its test accuracy and its confusion matrix with the pretrained "
        "network's, shown beside it.",
        _preset(conv_blocks=1, filters=4, dense_units=0, dropout=0.0),
        claim=Claim(
            "under 1,000 parameters, and test accuracy at least 2 points below the "
            "pretrained network's",
            lambda r: (
                r["parameters"] < 1_000
                and r["test_accuracy"] <= r["pretrained_test_accuracy"] - 0.02
            ),
        ),
    ),
    Step(
        "Deeper and wider",
        "Two blocks, 32 then 64 filters, a dense layer of 64: the default network. It "
        "passes 97 % test accuracy in a few seconds. The layer table (below the knobs) "
        "shows where its 36,000 parameters are: the 32 filters of the first block need only "
        "320 of them, because each small filter is reused at every position of the image.",
        _preset(),
        claim=Claim(
            "test accuracy at least 97 %; 35,000 to 37,000 parameters, 320 in the first block",
            lambda r: (
                r["test_accuracy"] >= 0.97
                and 35_000 <= r["parameters"] <= 37_000
                and r["first_conv_parameters"] == 320
            ),
        ),
    ),
    Step(
        "Why pooling?",
        "Without pooling the feature maps keep their full size, so the flattened vector "
        "and the dense layer after it grow: on the digits the network gets about eight "
        "times as many parameters (compare the layer table). "
        "Pooling also makes the network care less about exactly where a stroke is.",
        _preset(pooling="none"),
        claim=Claim(
            "7 to 9 times as many parameters as the default network",
            lambda r: 7 <= r["parameters"] / r["default_parameters"] <= 9,
        ),
    ),
    Step(
        "Too large a learning rate",
        "With a learning rate of 0.1 the updates overshoot: the loss hardly falls, the "
        "curves jump around, and the accuracy stalls far below the 97 % of step 3. Go back "
        "to 0.003 and it learns again.",
        _preset(learning_rate=0.1),
        claim=Claim(
            "the training loss ends above 1.0 (the default's ends near 0.02) and test "
            "accuracy below 50 %",
            lambda r: r["train_loss"] > 1.0 and r["test_accuracy"] < 0.5,
        ),
    ),
    Step(
        "Overfitting",
        "No pooling, 1×1 filters and a dense layer of 512 on every pixel, no dropout: "
        "about 268,000 parameters for 1,222 training images. Train it for 20 epochs: the "
        "training accuracy reaches 100 % and the training loss falls to almost zero, while "
        "the test accuracy stays more than 3 points lower, below the default network's "
        "97.5 %: it has learnt the training images by heart. The default's small shared "
        "3×3 filters and pooling generalise better with 36,000 parameters.",
        OVERFITTING,
        claim=Claim(
            "training accuracy 100 %; test accuracy at least 3 points below it, and below "
            "the default (pretrained) network's",
            lambda r: (
                r["train_accuracy"] >= 0.999
                and r["test_accuracy"] <= r["train_accuracy"] - 0.03
                and r["test_accuracy"] < r["pretrained_test_accuracy"]
            ),
        ),
    ),
)

#: Steps whose claim is about the table or the pretrained network: nothing to train.
SHOWN_WITHOUT_TRAINING = ("What a trained network gets wrong", "Why pooling?")


def step_result(step: Step) -> dict[str, Any]:
    """Run ``step``'s preset as the page would (its trainer, its epochs); the numbers.

    See :func:`course_lib.convolutional_networks.walkthrough_run.run_step`; adds
    ``default_parameters`` (the default network's count) for the pooling step.
    """
    from course_lib.convolutional_networks.walkthrough_run import run_step

    result = run_step(step.preset, train=step.title not in SHOWN_WITHOUT_TRAINING)
    result["default_parameters"] = run_step(_preset(), train=False)["parameters"]
    return result


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
