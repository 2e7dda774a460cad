"""Image data sets, offline first: the digits that ship with scikit-learn, the Keras
classics when they can be downloaded, and the student's own photos from a ZIP.

Every loader returns an :class:`ImageDataset`: ``uint8`` images of shape
``(n, height, width, channels)`` with values 0–255 and integer labels ``(n,)``. Images
stay ``uint8`` (4× smaller than float32) and the model rescales them to [0, 1] in its
first layer, so one copy of the arrays can be shared, read-only, by every student.

Loaders:

- :func:`load_digits` — scikit-learn's 1,797 handwritten digits, 8×8 grey: always there.
- :func:`load_keras_dataset` — MNIST, Fashion-MNIST, CIFAR-10 through ``keras.datasets``
  (downloaded once into ``$KERAS_HOME/datasets``); raises :class:`DatasetUnavailable`
  with a plain message when there is no internet.
- :func:`load_image_zip` — a ZIP with one folder per class, read in memory (nothing
  is extracted to disk) and checked against hostile archives: path tricks, ZIP bombs,
  decompression bombs, broken or exotic images. Raises :class:`UploadError`.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class ImageDataset:
    """A labelled image data set split into training and test images.

    Attributes:
        name: what the page calls it, e.g. ``"Digits (scikit-learn, 8×8)"``.
        x_train, x_test: ``uint8`` images ``(n, height, width, channels)``, 0–255, read-only.
        y_train, y_test: ``int32`` class indices ``(n,)`` in ``[0, len(class_names))``.
        class_names: one name per class.
        source: where the data comes from, one sentence.
        notes: what a loader skipped or changed (e.g. files in a ZIP that were not images).
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: str
    notes: tuple[str, ...] = field(default=())

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])  # type: ignore[return-value]

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    @property
    def grayscale(self) -> bool:
        return self.image_shape[-1] == 1

    @property
    def fingerprint(self) -> str:
        """A short hash of the images and labels: two uploads of different ZIPs differ."""
        digest = hashlib.sha1(self.name.encode())
        for array in (self.x_train, self.y_train, self.x_test, self.y_test):
            digest.update(str(array.shape).encode())
            digest.update(array[:64].tobytes())  # a sample is enough to tell data sets apart
        digest.update("\n".join(self.class_names).encode())
        return digest.hexdigest()[:16]

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.x_train, self.y_train, self.x_test, self.y_test))


def _read_only(*arrays: np.ndarray) -> list[np.ndarray]:
    """Copies that nobody can change by accident (they are shared between students)."""
    result = []
    for array in arrays:
        array = np.ascontiguousarray(array)
        array.flags.writeable = False
        result.append(array)
    return result


def stratified_split(
    labels: np.ndarray, test_fraction: float, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)`` with each class split in the same proportion.

    Every class with at least two examples keeps at least one in each part.
    """
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = int(round(test_fraction * len(members)))
        if len(members) >= 2:
            n_test = min(max(n_test, 1), len(members) - 1)
        test.extend(members[:n_test])
        train.extend(members[n_test:])
    return np.sort(np.array(train, dtype=np.int64)), np.sort(np.array(test, dtype=np.int64))


# -- the offline default ---------------------------------------------------------------
def load_digits(test_fraction: float = 0.2, seed: int = 0) -> ImageDataset:
    """scikit-learn's handwritten digits: 1,797 images of 8×8 pixels, classes 0–9.

    The original grey levels 0–16 are stretched to 0–255 so every data set uses the
    same scale. Shapes: ``x_train (1437, 8, 8, 1)``, ``x_test (360, 8, 8, 1)`` uint8.
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    images = np.round(digits.images * (255 / 16)).astype(np.uint8)[..., None]
    labels = digits.target.astype(np.int32)
    train, test = stratified_split(labels, test_fraction, seed)
    x_train, y_train, x_test, y_test = _read_only(
        images[train], labels[train], images[test], labels[test]
    )
    return ImageDataset(
        name="Digits (scikit-learn, 8×8)",
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=tuple(str(d) for d in range(10)),
        source="1,797 handwritten digits from UCI, shipped inside scikit-learn (no download).",
    )


# -- the Keras classics ----------------------------------------------------------------
class DatasetUnavailable(RuntimeError):
    """A data set could not be downloaded; the message says so in plain words."""


#: name -> (title, class names, one-line source)
KERAS_DATASETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "mnist": (
        "MNIST (28×28 digits)",
        tuple(str(d) for d in range(10)),
        "70,000 handwritten digits (LeCun, Cortes and Burges), via keras.datasets.",
    ),
    "fashion_mnist": (
        "Fashion-MNIST (28×28 clothes)",
        (
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
        "70,000 Zalando product photos (Xiao, Rasul and Vollgraf), via keras.datasets.",
    ),
    "cifar10": (
        "CIFAR-10 (32×32 colour photos)",
        (
            "airplane",
            "automobile",
            "bird",
            "cat",
            "deer",
            "dog",
            "frog",
            "horse",
            "ship",
            "truck",
        ),
        "60,000 tiny photos (Krizhevsky), via keras.datasets.",
    ),
}


def keras_cache_dir() -> Path:
    """``$KERAS_HOME/datasets`` (``~/.keras/datasets`` by default), read at call time."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def _download(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The real loading code: ``keras.datasets.<name>.load_data()`` (downloads once)."""
    import keras

    (x_train, y_train), (x_test, y_test) = getattr(keras.datasets, name).load_data()
    return x_train, y_train, x_test, y_test


def load_keras_dataset(name: str, max_train: int | None = None) -> ImageDataset:
    """MNIST, Fashion-MNIST or CIFAR-10, from the local cache or downloaded by Keras.

    A file ``<name>.npz`` in :func:`keras_cache_dir` with arrays ``x_train, y_train,
    x_test, y_test`` (Keras's own layout for ``mnist.npz``) is read without pickles;
    otherwise Keras downloads the data set and a compact ``.npz`` copy is cached.

    Args:
        name: ``"mnist"``, ``"fashion_mnist"`` or ``"cifar10"``.
        max_train: keep only the first this many training images (memory, CPU time).

    Raises:
        DatasetUnavailable: no cached copy and the download failed (e.g. offline).
    """
    if name not in KERAS_DATASETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(KERAS_DATASETS)}")
    title, class_names, source = KERAS_DATASETS[name]
    cached = keras_cache_dir() / f"{name}.npz"
    if cached.is_file():
        with np.load(cached, allow_pickle=False) as archive:
            arrays = [archive[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    else:
        try:
            arrays = list(_download(name))
        except Exception as error:  # no network, proxy, broken download: all the same to a student
            raise DatasetUnavailable(
                f"{title} could not be downloaded here ({type(error).__name__}). This "
                "server seems to have no internet access, so the offline digits data set "
                "stays selected. On a machine with internet, Keras downloads it once and "
                "keeps it in ~/.keras/datasets."
            ) from error
        if name != "mnist":  # keras already keeps mnist.npz in this very layout
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.savez(
                cached, **dict(zip(("x_train", "y_train", "x_test", "y_test"), arrays, strict=True))
            )
    x_train, y_train, x_test, y_test = arrays
    if max_train is not None:
        x_train, y_train = x_train[:max_train], y_train[:max_train]
    if x_train.ndim == 3:  # grey images come without a channel axis
        x_train, x_test = x_train[..., None], x_test[..., None]
    x_train, y_train, x_test, y_test = _read_only(
        x_train.astype(np.uint8, copy=False),
        y_train.reshape(-1).astype(np.int32),
        x_test.astype(np.uint8, copy=False),
        y_test.reshape(-1).astype(np.int32),
    )
    return ImageDataset(title, x_train, y_train, x_test, y_test, class_names, source)


# -- the student's own images ----------------------------------------------------------
class UploadError(ValueError):
    """An uploaded file was refused; the message says why in plain words."""


#: Limits for an uploaded ZIP of images. A ZIP bomb is a small archive that declares
#: (or, lying, decompresses to) gigabytes; each limit below stops one kind of it.
MAX_ZIP_BYTES = 50 * 1024**2  # the compressed upload
MAX_MEMBERS = 5000  # entries in the archive, folders included
MAX_MEMBER_BYTES = 10 * 1024**2  # one decompressed image file
MAX_TOTAL_BYTES = 200 * 1024**2  # all decompressed image files together
MAX_COMPRESSION_RATIO = 100  # image files barely compress; 1000:1 is a bomb
#: Decompression bombs: a 20,000×20,000 PNG is a few kB but 1.2 GB once decoded.
MAX_PIXELS = 25_000_000
MIN_IMAGES_PER_CLASS = 2
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff"}


def decode_image(data: bytes, *, max_pixels: int = MAX_PIXELS, grayscale: bool = False):
    """Decode untrusted image bytes into a plain 8-bit PIL image, safely.

    Checks the size declared in the header before decoding any pixel, keeps the first
    frame of an animation, and converts CMYK, palette, 16-bit and transparent images
    to 8-bit RGB (transparency over white) or, with ``grayscale``, 8-bit ``"L"``.

    Raises:
        UploadError: not an image, a format we do not read, too many pixels, truncated.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise UploadError("this file is not an image we can read (PNG, JPEG, GIF, BMP).") from error
    except Image.DecompressionBombError as error:  # header far beyond PIL's own limit
        raise UploadError("this image is far too large (a decompression bomb?).") from error
    if image.format not in IMAGE_FORMATS:
        raise UploadError(f"{image.format} images are not accepted; use PNG or JPEG.")
    width, height = image.size
    if width * height > max_pixels or width < 1 or height < 1:
        raise UploadError(
            f"this image is {width}×{height} pixels, more than the {max_pixels:,} we accept "
            "(a huge image can exhaust the server's memory). Resize it and upload again."
        )
    try:
        image.seek(0)  # animated GIF/WebP: the first frame only
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise UploadError("this image is damaged or truncated and cannot be decoded.") from error
    return to_8bit(image, grayscale=grayscale)


def to_8bit(image, *, grayscale: bool = False):
    """Any PIL mode → ``"RGB"`` (or ``"L"``): 16-bit scaled, alpha composited over white."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        pixels = np.asarray(image, dtype=np.float64)
        top = 65535.0 if image.mode.startswith("I;16") or pixels.max() > 255 else 255.0
        image = Image.fromarray(np.clip(pixels * (255.0 / top), 0, 255).astype(np.uint8), "L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return image.convert("L" if grayscale else "RGB")


def resize_square(image, size: int):
    """Centre-crop to a square and resize to ``size``×``size`` (area averaging)."""
    from PIL import Image

    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return image.crop((left, top, left + side, top + side)).resize(
        (size, size), Image.Resampling.BOX if side >= size else Image.Resampling.BILINEAR
    )


def _safe_member_path(name: str) -> list[str] | None:
    """The folder parts of a ZIP member name, or ``None`` if the name is a path trick."""
    if "\x00" in name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = posixpath.normpath(name).split("/")
    if any(part in ("..", "") for part in parts) or parts[0] == ".":
        return None
    return parts


def _is_junk(parts: list[str]) -> bool:
    """Hidden files and the folders macOS and Windows add to archives."""
    return any(p.startswith(".") or p in ("__MACOSX", "Thumbs.db", "desktop.ini") for p in parts)


def load_image_zip(
    data: bytes,
    *,
    image_size: int = 32,
    grayscale: bool = False,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> ImageDataset:
    """The student's own images: a ZIP with one folder per class, e.g. ``cats/1.jpg``.

    The archive is read in memory; nothing is ever written to disk, so member names
    like ``../../etc/passwd`` cannot escape anywhere (they are refused anyway). One
    common top folder (``my_photos/cats/…``) is allowed; the class of an image is the
    folder it sits in. Images are decoded safely (:func:`decode_image`), centre-cropped
    and resized to ``image_size``×``image_size``.

    Returns:
        An :class:`ImageDataset` with ``uint8`` images ``(n, image_size, image_size, 3)``
        (or ``1`` channel with ``grayscale``), split per class; ``notes`` lists what was
        skipped and why.

    Raises:
        UploadError: not a ZIP, too big, a ZIP bomb, fewer than two usable classes.
    """
    if len(data) > MAX_ZIP_BYTES:
        raise UploadError(f"the ZIP is larger than {MAX_ZIP_BYTES // 1024**2} MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise UploadError("this file is not a ZIP archive we can read.") from error
    if len(members) > MAX_MEMBERS:
        raise UploadError(f"the ZIP holds {len(members):,} entries; at most {MAX_MEMBERS:,}.")
    from course_lib import uploads
    from course_lib.budget import MAX_ZIP_DECODED_PIXELS

    uploads.check_zip_entries(members)  # one name twice, entries sharing their bytes
    decoded_pixels = 0
    skipped: Counter[str] = Counter()
    files: list[tuple[list[str], zipfile.ZipInfo]] = []
    declared_total = 0
    for info in members:
        parts = _safe_member_path(info.filename)
        if parts is None:
            skipped["entries with unsafe paths (../ or absolute), refused"] += 1
            continue
        if info.is_dir() or _is_junk(parts):
            continue
        if info.flag_bits & 0x1:
            skipped["encrypted files"] += 1
            continue
        if posixpath.splitext(parts[-1])[1].lower() not in IMAGE_SUFFIXES:
            skipped["files that are not images"] += 1
            continue
        if info.file_size > MAX_MEMBER_BYTES:
            raise UploadError(f"{info.filename!r} is larger than {MAX_MEMBER_BYTES // 1024**2} MB.")
        if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1024):
            raise UploadError(
                f"{info.filename!r} compresses {info.file_size // max(info.compress_size, 1):,}:1"
                " — images do not do that; this looks like a ZIP bomb."
            )
        declared_total += info.file_size
        if declared_total > MAX_TOTAL_BYTES:
            raise UploadError(f"the images add up to more than {MAX_TOTAL_BYTES // 1024**2} MB.")
        files.append((parts, info))

    # one shared top folder (my_photos/cats/x.png) is not a class: drop it
    while files and all(len(p) > 2 for p, _ in files) and len({p[0] for p, _ in files}) == 1:
        files = [(p[1:], info) for p, info in files]
    declared = uploads.zip_declared_pixels(archive, [info for _, info in files], image_size)
    if declared > MAX_ZIP_DECODED_PIXELS:  # read from the headers: nothing decoded yet
        raise UploadError(
            f"the images add up to {declared / 1e6:,.0f} million pixels once decoded, more "
            f"than the {MAX_ZIP_DECODED_PIXELS / 1e6:,.0f} million one upload may take here. "
            "Use smaller images (500 pixels a side is plenty for a 32×32 network) or fewer."
        )
    images: dict[str, list[np.ndarray]] = {}
    for parts, info in files:
        if len(parts) < 2:
            skipped["images outside a class folder"] += 1
            continue
        try:
            with archive.open(info) as member:
                # read at most one byte more than declared: a lying header cannot inflate us
                content = member.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            skipped["damaged entries"] += 1
            continue
        if len(content) > MAX_MEMBER_BYTES:
            raise UploadError(f"{info.filename!r} is larger than its header says: refused.")
        try:  # decoded already small (JPEG at 1/8 scale…), in uint8
            image, pixel_count = uploads.decode_image_small(
                content, min_side=image_size, grayscale=grayscale
            )
        except UploadError:
            skipped["files that could not be decoded as images (damaged, too large)"] += 1
            continue
        decoded_pixels += pixel_count
        if decoded_pixels > MAX_ZIP_DECODED_PIXELS:
            raise UploadError(
                f"the images add up to more than {MAX_ZIP_DECODED_PIXELS / 1e6:,.0f} million "
                "pixels once decoded, more than one upload may take here. Use smaller images "
                "(500 pixels a side is plenty for a 32×32 network) or fewer of them."
            )
        pixels = np.asarray(resize_square(image, image_size), dtype=np.uint8)
        images.setdefault(parts[-2], []).append(pixels.reshape(image_size, image_size, -1))

    notes = [f"Skipped {count} {what}." for what, count in skipped.items()]
    for name in sorted(images):
        if len(images[name]) < MIN_IMAGES_PER_CLASS:
            notes.append(
                f"Class {name!r} dropped: it has fewer than {MIN_IMAGES_PER_CLASS} images."
            )
            del images[name]
    if len(images) < 2:
        found = ", ".join(repr(n) for n in sorted(images)) or "none"
        raise UploadError(
            "a classifier needs at least two classes: put each class's images in its own "
            f"folder (e.g. cats/…, dogs/…) with at least {MIN_IMAGES_PER_CLASS} images each. "
            f"Usable classes found: {found}. " + " ".join(notes)
        )
    class_names = tuple(sorted(images))
    x = np.stack([img for name in class_names for img in images[name]])
    y = np.array([i for i, name in enumerate(class_names) for _ in images[name]], dtype=np.int32)
    train, test = stratified_split(y, test_fraction, seed)
    x_train, y_train, x_test, y_test = _read_only(x[train], y[train], x[test], y[test])
    return ImageDataset(
        name="Your images",
        x_train=x_train,
        y_train=y_train,
        x_test=x_test,
        y_test=y_test,
        class_names=class_names,
        source=f"{len(x)} images in {len(class_names)} classes from your ZIP.",
        notes=tuple(notes),
    )
