"""The experiment: prepare the images, hold some out, build the network, train it.

The page and the lab notebook run these same functions (the notebook inlines their
source), so a student who takes the experiment to Colab gets the one they saw:

1. :func:`load_images`: the digits, or the first :data:`KERAS_MAX_TRAIN` training images
   of a Keras data set;
2. :func:`validation_split`: a stratified :data:`VALIDATION_FRACTION` of the training
   images, held out to draw the validation curve;
3. :func:`build_model`: :func:`~course_lib.convolutional_networks.model.build_cnn`, with
   horizontal flips in the augmentation for photos where a mirror image is still the class;
4. :func:`~course_lib.training.shuffled_batches` and :func:`train_cnn`: epochs of at most
   :data:`MAX_STEPS_PER_EPOCH` batches, shuffled by ``(seed, pass)`` without global state.

:func:`make_trainer` puts them under the page's live-training driver
(``course_lib.training.KerasTrainer``), which trains in chunks of about a second.
"""

from __future__ import annotations

import math

from course_lib.convolutional_networks.model import CNNSettings, build_cnn
from course_lib.datasets import ImageDataset, load_digits, load_keras_dataset, stratified_split
from course_lib.training import KerasTrainer, shuffled_batches

#: Training images kept from the Keras data sets (memory and CPU time on a class server).
KERAS_MAX_TRAIN = 20_000
#: Fraction of the training images held out to draw the validation curve.
VALIDATION_FRACTION = 0.15
#: Big data sets get "epochs" of at most this many batches, so the curves move often.
MAX_STEPS_PER_EPOCH = 200
#: Data sets whose mirror images are still of the same class (not digits, not clothes).
FLIPPED_DATASETS = ("cifar10", "zip")


def load_images(name: str) -> ImageDataset:
    """The images to learn from: ``"digits"`` (offline) or a Keras data set, cut short.

    Raises:
        DatasetUnavailable: a Keras data set that is not cached and cannot be downloaded.
    """
    if name == "digits":
        return load_digits()
    return load_keras_dataset(name, max_train=KERAS_MAX_TRAIN)


def validation_split(dataset: ImageDataset, seed: int = 0):
    """``(x_train, y_train), (x_val, y_val)``: a stratified part of the training set."""
    train, val = stratified_split(dataset.y_train, VALIDATION_FRACTION, seed)
    return (dataset.x_train[train], dataset.y_train[train]), (
        dataset.x_train[val],
        dataset.y_train[val],
    )


def build_model(settings: CNNSettings, dataset: ImageDataset, dtype_policy: str = "float32"):
    """The compiled network for ``dataset``'s images, flips included for photos."""
    return build_cnn(
        settings,
        dataset.image_shape,
        dataset.num_classes,
        dtype_policy=dtype_policy,
        flip=settings.dataset in FLIPPED_DATASETS,
    )


def steps_per_epoch(examples: int, batch_size: int) -> int:
    """Batches in one "epoch": a full pass, or :data:`MAX_STEPS_PER_EPOCH` for big data."""
    return min(math.ceil(examples / batch_size), MAX_STEPS_PER_EPOCH)


def train_cnn(model, settings: CNNSettings, train, validation, batch_size: int | None = None):
    """Train ``model`` for ``settings.epochs`` epochs in one call; returns Keras's history.

    The same data, order and epochs as the page's live trainer, without its pauses.
    """
    (x_train, y_train), batch_size = train, batch_size or settings.batch_size
    batch_size = max(1, min(batch_size, len(x_train)))
    return model.fit(
        shuffled_batches(x_train, y_train, batch_size, settings.seed),
        steps_per_epoch=steps_per_epoch(len(x_train), batch_size),
        epochs=settings.epochs,
        validation_data=validation,
        verbose=2,
    )


def make_trainer(
    settings: CNNSettings,
    dataset: ImageDataset,
    *,
    batch_size: int | None = None,
    dtype_policy: str = "float32",
    on_epoch_end=(),
):
    """A live trainer (``course_lib.training.KerasTrainer``) of the CNN on ``dataset``.

    ``batch_size`` overrides ``settings.batch_size`` (a GPU takes bigger batches).
    """

    (x_train, y_train), validation = validation_split(dataset, settings.seed)
    batch_size = batch_size or settings.batch_size
    return KerasTrainer(
        lambda: build_model(settings, dataset, dtype_policy),
        x_train,
        y_train,
        epochs=settings.epochs,
        batch_size=batch_size,
        validation_data=validation,
        seed=settings.seed,
        steps_per_epoch=steps_per_epoch(len(x_train), batch_size),
        on_epoch_end=on_epoch_end,
    )
