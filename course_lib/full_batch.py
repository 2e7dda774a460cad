"""Full-batch training: many epochs in one compiled call, traced once per network shape.

When every training example fits in one batch (the fundamentals' few hundred points on a
curve), an epoch is a single gradient step, and that step costs about 0.1 ms for a 64-unit
network. Keras's ``fit`` spends some 4 ms around it, every epoch: callbacks, the data
iterator, the logs. And each model traces its own ``tf.function`` before its first step
(0.4-0.8 s): thirty students pressing Start in the same minute would spend most of the
server's core on tracing and bookkeeping instead of on backpropagation.

A :class:`FullBatchLoop` is one compiled copy of a network *shape* (its layers, activation,
optimizer and loss, whatever its weights). A chunk of training copies a student's weights
and optimizer state in, runs ``epochs`` gradient steps inside one ``tf.function`` call —
forward pass, loss, backward pass, update, in a ``tf.while_loop`` — and copies the result
back. The loop is the same as ``fit``'s step; the losses it returns are the ones ``fit``
logs (each step's loss before its update), and every student with the same shape shares
one trace. Each student's model stays their own: the loop only borrows its numbers.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from typing import Any

import numpy as np

#: Loops kept for different shapes (a few KB each, plus their traced graph).
MAX_LOOPS = 16

_loops: OrderedDict[str, FullBatchLoop] = OrderedDict()
_loops_lock = threading.Lock()


def _what_computes(config: Any) -> Any:
    """A config minus what does not change the computation: initializers and seeds (only
    the starting weights depend on them) and names (Keras numbers them: ``adam_1``)."""
    if isinstance(config, dict):
        if str(config.get("class_name", "")).endswith("DTypePolicy"):
            return config  # its name is the dtype ("float32", "mixed_float16"): it computes
        return {
            key: _what_computes(value)
            for key, value in config.items()
            if not key.endswith("initializer") and key not in ("seed", "name")
        }
    if isinstance(config, list | tuple):
        return [_what_computes(value) for value in config]
    return config


def shape_key(model: Any) -> str:
    """What two models must share to train in one loop: layers, optimizer, loss.

    The learning rate is left out: it is one of the optimizer's variables, copied in with
    the others, so students trying different learning rates share a trace too.
    """
    import keras

    optimizer = _what_computes(keras.optimizers.serialize(model.optimizer))
    optimizer["config"].pop("learning_rate", None)
    return json.dumps(
        {
            "model": _what_computes(model.get_config()),
            "optimizer": optimizer,
            "loss": keras.losses.serialize(keras.losses.get(model.loss)),
        },
        sort_keys=True,
        default=str,
    )


def loop_for(model: Any) -> FullBatchLoop:
    """The shared loop for ``model``'s shape, built (and traced on first use) when new."""
    key = shape_key(model)
    with _loops_lock:
        loop = _loops.get(key)
        if loop is None:
            loop = _loops[key] = FullBatchLoop(model)
            while len(_loops) > MAX_LOOPS:
                _loops.popitem(last=False)
        _loops.move_to_end(key)
        return loop


def built_optimizer(model: Any) -> None:
    """Create the optimizer's variables now (``fit`` would on its first step), so that a
    copy of the training state taken before the first epoch holds them too."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


class FullBatchLoop:
    """A compiled copy of one network shape that trains any model of that shape.

    Use :meth:`train`; a lock makes two students' chunks on the same shape take turns
    (a chunk lasts milliseconds).
    """

    def __init__(self, model: Any):
        import keras

        from course_lib.device import import_tensorflow

        tf = import_tensorflow()
        self.network = keras.models.clone_model(model)
        self.network.compile(
            optimizer=keras.optimizers.deserialize(keras.optimizers.serialize(model.optimizer)),
            loss=model.loss,
        )
        built_optimizer(self.network)
        self.lock = threading.Lock()
        #: seconds one epoch took in the last call, ``None`` until a call that did not trace
        self.seconds_per_epoch: float | None = None
        self._traced = False
        self._epochs = tf.function(self._epochs_python, reduce_retracing=True)

    def _epochs_python(self, x, y, epochs, stop_above):
        """``epochs`` gradient steps on the whole batch; stops early after a loss that is
        not finite or above ``stop_above``. Returns each step's loss (before its update)."""
        import tensorflow as tf

        network = self.network
        losses = tf.TensorArray(tf.float32, size=epochs)

        def keep_going(step, losses, last):
            return tf.logical_and(
                step < epochs,
                tf.logical_and(tf.math.is_finite(last), last <= stop_above),
            )

        def one_epoch(step, losses, last):
            with tf.GradientTape() as tape:
                y_pred = network(x, training=True)
                loss = network.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
            gradients = tape.gradient(loss, network.trainable_variables)
            network.optimizer.apply(gradients, network.trainable_variables)
            loss = tf.cast(loss, tf.float32)
            return step + 1, losses.write(step, loss), loss

        steps, losses, _ = tf.while_loop(
            keep_going, one_epoch, [tf.constant(0), losses, tf.constant(0.0)]
        )
        return losses.stack()[:steps]

    def train(self, model: Any, x: Any, y: Any, epochs: int, stop_above: float) -> np.ndarray:
        """Train ``model`` for up to ``epochs`` full-batch epochs; returns their losses.

        ``model``'s weights and optimizer state are copied in, trained, and copied back,
        all of it, even after a bad loss: the caller decides what to keep. Fewer losses
        than ``epochs`` come back when one was not finite or above ``stop_above`` (it is
        the last one).
        """
        import tensorflow as tf

        built_optimizer(model)
        with self.lock:
            self.network.set_weights(model.get_weights())
            for mine, theirs in zip(
                self.network.optimizer.variables, model.optimizer.variables, strict=True
            ):
                mine.assign(theirs)
            started = time.perf_counter()
            losses = self._epochs(
                x, y, tf.constant(int(epochs)), tf.constant(float(stop_above), tf.float32)
            ).numpy()
            if self._traced:  # the first call's time is mostly tracing
                self.seconds_per_epoch = (time.perf_counter() - started) / max(1, len(losses))
            self._traced = True
            model.set_weights(self.network.get_weights())
            for mine, theirs in zip(
                self.network.optimizer.variables, model.optimizer.variables, strict=True
            ):
                theirs.assign(mine)
        return losses
