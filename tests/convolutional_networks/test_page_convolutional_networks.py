"""The chapter 3 page in AppTest: it renders, widgets move, bad input is explained, it trains,
and its results can be downloaded."""

import io

import numpy as np
import pandas as pd
import pytest

from course_lib import training
from tests.conftest import app_page, run_training

PAGE = "app_pages/convolutional_networks.py"


def texts(elements) -> str:
    return " ".join(element.value for element in elements)


def test_page_works_before_any_training_with_the_pretrained_model():
    at = app_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Deep convolutional networks"
    assert "pretrained digits network" in texts(at.info)
    assert at.metric[0].value.endswith("%") and float(at.metric[0].value[:-1]) > 90
    assert "Feature maps of every convolution layer" in texts(at.subheader)
    assert any(s.value.startswith("True ") for s in at.subheader)  # misclassified examples
    table = at.dataframe[0].value
    assert list(table["layer"])[-1] == "output" and table["parameters"].sum() > 0


def test_convolution_explainer_takes_a_typed_kernel_and_explains_a_bad_one():
    at = app_page(PAGE)
    at.selectbox(key="cnn_demo_kernel").select("your own").run()
    at.text_input(key="cnn_demo_typed").input("1 2 3 4").run()
    assert not at.exception
    assert "Kernel not understood" in texts(at.error)
    at.text_input(key="cnn_demo_typed").input("0 0 0 0 1 0 0 0 0").run()
    at.radio(key="cnn_demo_stride").set_value(2).run()
    assert not at.error and not at.exception
    assert any("stride 2" in c.value and "4×4 feature map" in c.value for c in at.caption)


def test_an_impossible_architecture_is_explained_not_raised():
    at = app_page(PAGE)
    at.slider(key="cnn_conv_blocks").set_value(4).run()
    assert not at.exception
    assert "too small" in texts(at.error)


def test_training_from_the_page_shows_its_own_accuracy(tmp_path):
    import keras

    at = app_page(PAGE)
    at.slider(key="cnn_epochs").set_value(2).run()
    at.select_slider(key="cnn_filters").set_value(8).run()
    at = run_training(at, "cnn_train")
    assert not at.exception
    assert "Finished: 2 epochs" in texts(at.success)
    assert "your network after 2 epochs" in at.metric[0].help
    # the pretrained network's result stays on screen beside the live run's (step 2)
    labels = [metric.label for metric in at.metric]
    assert "Pretrained network" in labels and "vs pretrained" in at.metric[0].proto.delta
    trainer = at.session_state["cnn_trainer"][1]
    assert trainer.epochs_done == 2
    # the results to keep: the training log as CSV and the model as .keras, both enabled
    assert [b.proto.disabled for b in at.get("download_button")] == [False, False, False]
    log = pd.read_csv(io.BytesIO(training.history_csv(trainer.history)))
    assert len(log) == 2 and {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(log)
    assert log["loss"].tolist() == pytest.approx([row["loss"] for row in trainer.history])
    saved = tmp_path / "cnn.keras"
    saved.write_bytes(training.keras_bytes(trainer.model))
    again = keras.saving.load_model(saved)
    x = np.zeros((2, 8, 8, 1), dtype="uint8")
    np.testing.assert_allclose(again.predict(x, verbose=0), trainer.model.predict(x, verbose=0))


def test_offline_keras_dataset_keeps_the_digits_with_a_message(offline):
    at = app_page(PAGE)
    at.selectbox(key="cnn_dataset").select("mnist").run()
    assert not at.exception
    assert "could not be downloaded" in texts(at.warning)
    assert at.selectbox(key="cnn_dataset").value == "digits"
    assert "8×8 pixels" in texts(at.caption)
    at.selectbox(key="cnn_dataset").select("zip").run()  # own images, nothing uploaded yet
    assert not at.exception
    assert "Upload a ZIP" in texts(at.info) and "8×8 pixels" in texts(at.caption)


def test_is_there_a_cat_offers_the_sample_photo_and_says_what_it_does_online(monkeypatch):
    from course_lib import cosmos
    from course_lib.convolutional_networks import images

    def offline_weights():
        raise images.WeightsUnavailable("could not be downloaded here")

    monkeypatch.setattr(images, "load_imagenet_classifier", offline_weights)
    at = app_page(PAGE)
    assert at.radio(key="cnn_imagenet_source").value == images.SAMPLE_PHOTO_NAME
    assert any("With internet access" in m.value for m in at.markdown)
    assert any(cosmos.IMAGENET_IMAGES in m.value for m in at.markdown)  # one source
    at.button(key="cnn_imagenet_run").click().run()
    assert not at.exception
    assert "could not be downloaded" in texts(at.warning)
    at.radio(key="cnn_imagenet_source").set_value("Your own photo").run()
    assert any("Upload a photo" in c.value for c in at.caption)
