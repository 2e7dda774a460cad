"""By training: the one-hidden-layer network learns the target by backpropagation."""

import numpy as np

from course_lib.fundamentals import network as nw
from course_lib.fundamentals import targets as tg


def sin_points(samples: int = 256) -> tg.Points:
    return tg.target_points(tg.TargetSettings(target="sin", samples=samples))


# -- by training --------------------------------------------------------------------------


def test_64_tanh_units_fit_sin_to_mse_below_1e_3():
    points = sin_points()
    trainer = nw.train_to_end(nw.fit_trainer(nw.FitSettings(), points))  # the defaults
    assert trainer.status == "finished"
    y_hat, shares = nw.network_parts(trainer.model, points.x)
    assert tg.approximation_errors(y_hat, points.y)["mse"] < 1e-3
    # the numpy view of the network is the Keras model itself
    np.testing.assert_allclose(y_hat, nw.predict(trainer.model, points.x), atol=1e-5)
    assert shares.shape == (256, 64)


def test_too_large_a_learning_rate_diverges_with_an_explanation():
    settings = nw.FitSettings(optimizer="sgd", learning_rate=10.0, epochs=50)
    trainer = nw.train_to_end(nw.fit_trainer(settings, sin_points(64)))
    assert trainer.status == "diverged"
    assert "learning rate" in trainer.message
