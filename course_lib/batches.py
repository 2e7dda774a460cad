"""The run's reproducible order: seeds for every initializer, and the mini-batches of each pass.

No global seed is touched (``keras.utils.set_random_seed`` would reseed the whole process
under every other student): each initializer gets its own seed from the experiment's, and
each pass over the training set its own *stateless* shuffle keyed by ``(seed, pass)``. The
live trainer (:mod:`course_lib.training`) and a notebook's plain ``fit`` read the same batches.
"""

from __future__ import annotations

import random


def seed_sequence(seed: int, count: int) -> list[int]:
    """``count`` distinct seeds derived from one, for per-layer initializers.

    Seeding each initializer, dropout layer and shuffle from the experiment's seed is
    how a run becomes reproducible without ``keras.utils.set_random_seed``, which
    would reseed the whole process under every other student.
    """
    rng = random.Random(seed)
    return [rng.randrange(2**31 - 1) for _ in range(count)]


def shuffled_batches(x, y, batch_size: int, seed: int, *, first_step: int = 0):
    """Endless ``(x, y)`` mini-batches: pass after pass over the data, each pass in its own order.

    Pass ``p`` is a *stateless* shuffle keyed by ``(seed, p)``, cut into batches (the last
    one of a pass may be smaller). The same seed gives the same batches however the
    training is cut into chunks, in the app's live trainer as in a notebook, and no global
    seed is touched. ``first_step`` starts the stream at that batch number of the run.
    """
    import tensorflow as tf

    examples = len(x)
    batch_size = max(1, min(int(batch_size), examples))
    steps_per_pass = -(-examples // batch_size)  # a pass's batches, the last one partial
    x, y = tf.constant(x), tf.constant(y)

    def one_pass(data_pass):
        order = tf.random.experimental.stateless_shuffle(
            tf.range(examples, dtype=tf.int64),
            seed=tf.stack([tf.constant(seed, tf.int64), data_pass]),
        )
        return tf.data.Dataset.from_tensor_slices(order).batch(batch_size)

    first_pass = first_step // steps_per_pass
    return (
        tf.data.Dataset.range(first_pass, 2**62)
        .flat_map(one_pass)
        .skip(first_step - first_pass * steps_per_pass)
        .map(lambda index: (tf.gather(x, index), tf.gather(y, index)))
        .prefetch(tf.data.AUTOTUNE)
    )
