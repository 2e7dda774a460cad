"""Image loaders: the offline digits, the Keras data sets from a local cache, and hostile uploads."""

import io
import struct
import zipfile
import zlib

import numpy as np
import pytest
from PIL import Image

from course_lib import datasets
from course_lib.datasets import UploadError


# -- digits ----------------------------------------------------------------------------
def test_digits_shapes_ranges_and_read_only():
    data = datasets.load_digits()
    assert data.x_train.shape[1:] == (8, 8, 1) and data.x_test.shape[1:] == (8, 8, 1)
    assert len(data.x_train) + len(data.x_test) == 1797
    assert data.x_train.dtype == np.uint8 and data.x_train.max() == 255
    assert data.y_train.dtype == np.int32 and set(data.y_train) == set(range(10))
    assert data.class_names == tuple("0123456789")
    with pytest.raises(ValueError):
        data.x_train[0, 0, 0, 0] = 1  # shared between students: read-only


def test_digits_split_is_stratified_and_disjoint():
    labels = np.repeat(np.arange(5), [10, 20, 30, 2, 7])
    train, test = datasets.stratified_split(labels, 0.2, seed=3)
    assert not set(train) & set(test) and len(train) + len(test) == len(labels)
    for label in range(5):  # every class on both sides, about 20 % in the test part
        in_test = np.sum(labels[test] == label)
        assert 1 <= in_test < np.sum(labels == label)


# -- Keras data sets -------------------------------------------------------------------
def _small_npz(path, n=12, shape=(28, 28)):
    rng = np.random.default_rng(0)
    np.savez(
        path,
        x_train=rng.integers(0, 256, (n, *shape), dtype=np.uint8),
        y_train=np.arange(n, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (4, *shape), dtype=np.uint8),
        y_test=np.arange(4, dtype=np.uint8),
    )


def _no_download(name):
    raise AssertionError("the test tried to download a data set")


def test_keras_dataset_read_from_a_local_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(datasets, "_download", _no_download)
    (tmp_path / "datasets").mkdir()
    _small_npz(tmp_path / "datasets" / "mnist.npz")
    data = datasets.load_keras_dataset("mnist", max_train=10)
    assert data.x_train.shape == (10, 28, 28, 1) and data.x_test.shape == (4, 28, 28, 1)
    assert data.y_train.dtype == np.int32 and data.num_classes == 10
    assert not data.x_train.flags.writeable


def test_keras_dataset_offline_gives_a_plain_message(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(name):
        raise OSError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(datasets, "_download", offline)
    with pytest.raises(datasets.DatasetUnavailable, match="no internet access"):
        datasets.load_keras_dataset("fashion_mnist")


def test_a_downloaded_dataset_is_cached_for_next_time(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    rng = np.random.default_rng(1)
    arrays = (
        rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8),
        np.arange(6, dtype=np.uint8)[:, None],  # CIFAR labels come as (n, 1)
        rng.integers(0, 256, (2, 32, 32, 3), dtype=np.uint8),
        np.arange(2, dtype=np.uint8)[:, None],
    )
    monkeypatch.setattr(datasets, "_download", lambda name: arrays)
    first = datasets.load_keras_dataset("cifar10")
    assert first.y_train.shape == (6,) and first.image_shape == (32, 32, 3)
    monkeypatch.setattr(datasets, "_download", _no_download)
    second = datasets.load_keras_dataset("cifar10")
    np.testing.assert_array_equal(first.x_train, second.x_train)


# -- single images ---------------------------------------------------------------------
def _png(image: Image.Image, fmt="PNG", **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def _gradient(size=(40, 30), mode="RGB"):
    pixels = np.linspace(0, 255, size[0] * size[1] * 3).reshape(size[1], size[0], 3)
    return Image.fromarray(pixels.astype(np.uint8), "RGB").convert(mode)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a huge size in a few bytes (a decompression bomb's header)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(20000, 20000), (6000, 6000)])
def test_decompression_bombs_are_refused_before_decoding(size):
    with pytest.raises(UploadError, match="too large|more than"):
        datasets.decode_image(_png_header_only(*size))


@pytest.mark.parametrize(
    "data", [b"hello, not an image", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""]
)
def test_non_images_are_refused(data):
    with pytest.raises(UploadError, match="not an image"):
        datasets.decode_image(data)


def test_truncated_images_are_refused():
    for fmt in ("PNG", "JPEG"):
        whole = _png(_gradient((200, 200)), fmt)
        with pytest.raises(UploadError):
            datasets.decode_image(whole[: len(whole) // 2])


def test_exotic_modes_become_8_bit_rgb_or_grey():
    cmyk = datasets.decode_image(_png(_gradient(mode="CMYK"), "JPEG"))
    assert cmyk.mode == "RGB"
    transparent = Image.new("RGBA", (10, 10), (0, 0, 0, 0))  # fully transparent black
    assert np.asarray(datasets.decode_image(_png(transparent))).min() == 255  # over white
    deep = Image.fromarray(np.full((8, 8), 65535, dtype=np.uint16))  # 16-bit grey
    grey = datasets.decode_image(_png(deep), grayscale=True)
    assert grey.mode == "L" and np.asarray(grey).max() == 255
    palette = _gradient().convert("P")
    assert datasets.decode_image(_png(palette)).mode == "RGB"


def test_an_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    first = np.asarray(datasets.decode_image(buffer.getvalue()))
    assert first.shape == (16, 16, 3) and first[0, 0, 0] > 200 and first[0, 0, 2] < 50


# -- ZIP uploads -----------------------------------------------------------------------
def _zip(entries: dict[str, bytes | None]) -> bytes:
    """A ZIP built in memory; ``None`` makes a folder entry."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            if data is None:
                archive.writestr(zipfile.ZipInfo(name), b"")
            else:
                archive.writestr(name, data)
    return buffer.getvalue()


def _class_images(name: str, count: int, colour) -> dict[str, bytes]:
    return {f"{name}/{i}.png": _png(Image.new("RGB", (50 + i, 40), colour)) for i in range(count)}


def test_a_good_zip_with_junk_becomes_a_dataset(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    entries = {
        **{f"photos/{k}": v for k, v in _class_images("cats", 5, (200, 50, 50)).items()},
        **{f"photos/{k}": v for k, v in _class_images("dogs", 5, (50, 50, 200)).items()},
        "photos/dogs/notes.txt": b"not an image",
        "photos/__MACOSX/cats/._0.png": b"resource fork",
        "photos/.DS_Store": b"junk",
        "photos/empty/": None,
    }
    data = datasets.load_image_zip(_zip(entries), image_size=16)
    assert data.class_names == ("cats", "dogs")
    assert data.x_train.shape[1:] == (16, 16, 3) and data.x_train.dtype == np.uint8
    assert len(data.x_train) + len(data.x_test) == 10 and set(data.y_test) == {0, 1}
    assert data.x_train[data.y_train == 0][..., 0].mean() > 150  # the red cats stay red
    assert any("not images" in note for note in data.notes)
    assert list(tmp_path.iterdir()) == []  # nothing was extracted anywhere


def test_path_tricks_are_refused_and_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    image = _png(Image.new("RGB", (8, 8)))
    entries = {
        **_class_images("cats", 3, (255, 0, 0)),
        **_class_images("dogs", 3, (0, 0, 255)),
        "../escaped/a.png": image,
        "/etc/cron.d/b.png": image,
        "cats/../../c.png": image,
        "C:/windows/d.png": image,
        "cats\\..\\e.png": image,
    }
    data = datasets.load_image_zip(_zip(entries), image_size=8)
    assert data.num_classes == 2 and len(data.x_train) + len(data.x_test) == 6
    assert any("unsafe paths" in note and "Skipped 5" in note for note in data.notes)
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "escaped").exists()


@pytest.mark.parametrize(
    "entries, message",
    [
        (_class_images("cats", 4, (255, 0, 0)), "at least two classes"),
        ({**_class_images("cats", 4, (255, 0, 0)), "dogs/": None}, "at least two classes"),
        ({"readme.txt": b"hi", "empty/": None}, "at least two classes"),
        ({**_class_images("cats", 3, (9, 9, 9)), "dogs/a.png": b"broken"}, "two classes"),
    ],
    ids=["one class", "empty folder", "no images", "undecodable"],
)
def test_zips_without_two_usable_classes_are_refused(entries, message):
    with pytest.raises(UploadError, match=message):
        datasets.load_image_zip(_zip(entries))


def test_zip_bombs_are_refused():
    zeros = b"\0" * (datasets.MAX_MEMBER_BYTES + 1)  # declares more than one image may be
    with pytest.raises(UploadError, match="larger than"):
        datasets.load_image_zip(_zip({"cats/a.png": zeros, **_class_images("dogs", 2, (1, 1, 1))}))
    ratio_bomb = b"\0" * (3 * 1024**2)  # 3 MB of zeros squeeze into 3 kB: not an image
    with pytest.raises(UploadError, match="ZIP bomb"):
        datasets.load_image_zip(_zip({"cats/a.png": ratio_bomb}))
    many = {f"cats/{i}.png": b"" for i in range(datasets.MAX_MEMBERS + 1)}
    with pytest.raises(UploadError, match="entries"):
        datasets.load_image_zip(_zip(many))


def test_a_member_larger_than_its_header_says_is_not_read_past_it():
    noise = np.random.default_rng(0).bytes(200_000)  # incompressible
    entries = {**_class_images("cats", 2, (1, 2, 3)), **_class_images("dogs", 2, (3, 2, 1))}
    entries["cats/liar.png"] = noise
    archive = bytearray(_zip(entries))
    info = zipfile.ZipFile(io.BytesIO(bytes(archive))).getinfo("cats/liar.png")
    # lie about the uncompressed size in the local header and in the central directory
    struct.pack_into("<I", archive, info.header_offset + 22, 1000)
    offset, patched = 0, 0
    while (offset := archive.find(b"PK\x01\x02", offset + 1)) != -1:
        name_length = struct.unpack_from("<H", archive, offset + 28)[0]
        if archive[offset + 46 : offset + 46 + name_length] == b"cats/liar.png":
            struct.pack_into("<I", archive, offset + 24, 1000)
            patched += 1
    assert patched == 1
    data = datasets.load_image_zip(bytes(archive), image_size=8)
    assert data.num_classes == 2 and len(data.x_train) + len(data.x_test) == 4
    assert any("damaged" in note or "decoded" in note for note in data.notes)


def test_not_a_zip_and_too_big_are_refused(monkeypatch):
    with pytest.raises(UploadError, match="not a ZIP"):
        datasets.load_image_zip(b"PK\x03\x04 but not really")
    monkeypatch.setattr(datasets, "MAX_ZIP_BYTES", 100)
    with pytest.raises(UploadError, match="larger than"):
        datasets.load_image_zip(_zip(_class_images("cats", 2, (0, 0, 0))))


def test_fingerprints_tell_datasets_apart():
    red = datasets.load_image_zip(
        _zip({**_class_images("a", 3, (255, 0, 0)), **_class_images("b", 3, (0, 0, 0))})
    )
    blue = datasets.load_image_zip(
        _zip({**_class_images("a", 3, (0, 0, 255)), **_class_images("b", 3, (0, 0, 0))})
    )
    assert red.fingerprint != blue.fingerprint
    assert datasets.load_digits().fingerprint == datasets.load_digits().fingerprint
