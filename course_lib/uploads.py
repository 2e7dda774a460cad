"""Reading what students upload, bounded by its *decoded* size, never by its bytes alone.

A few bytes can decode into gigabytes: a 5 MB line of commas is a CSV of a million
columns, a 24 kB PNG can hold 5000×5000 pixels, a 300 kB ZIP can list the same large image
thousands of times. So each reader here looks at the cheap part first (a CSV's header
line, an image's header, a ZIP's directory), refuses what would not fit the budget
(:mod:`course_lib.budget`) with a plain message, and decodes the rest already small:

- :func:`read_csv` — the header line is counted before pandas parses anything; rows are
  capped; duplicate (or case-colliding) column names are refused; pandas' errors become a
  sentence.
- :func:`decode_image_small` — JPEGs are decoded at 1/2, 1/4 or 1/8 scale by the decoder
  itself (``Image.draft``), other formats are reduced right after decoding, all in uint8.
- :func:`decode_photo` — the same for a photo or drawing, decoded once per upload (a
  small cache keyed by the upload's SHA-256).
- :func:`check_zip_entries` — duplicate entry names and overlapping or shared local-header
  offsets (one stored image listed many times) are refused before anything is inflated.

Nothing uploaded is executed or unpickled: it is decoded as text, numbers or pixels.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from collections import Counter, OrderedDict
from collections.abc import Collection, Sequence

from course_lib.budget import MAX_CSV_CELLS, MAX_CSV_COLUMNS, MAX_IMAGE_SIDE, format_bytes


class UploadProblem(ValueError):
    """An upload cannot be used; the message says why, for the student."""


#: The longest line of a CSV, in bytes: 100 columns of long numbers fit easily.
MAX_CSV_LINE_BYTES = 10_000


def longest_line(data: bytes) -> tuple[int, int]:
    """``(line number, length in bytes)`` of the longest line (numpy: no list of lines)."""
    import numpy as np

    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    edges = np.concatenate(([-1], ends, [len(data)]))
    lengths = np.diff(edges) - 1
    index = int(np.argmax(lengths))
    return index + 1, int(lengths[index])


# -- CSV ---------------------------------------------------------------------------------
def _first_line(text: str) -> str:
    ends = [i for i in (text.find("\n"), text.find("\r")) if i >= 0]
    return text[: min(ends)] if ends else text


def count_columns(text: str, max_columns: int = MAX_CSV_COLUMNS) -> list[str]:
    """The fields of a CSV's first line, or :class:`UploadProblem` if there are too many.

    Commas are counted before the line is split, so a line of a million commas is refused
    without a million strings being made.
    """
    line = _first_line(text)
    if line.count(",") + 1 > max_columns and (
        '"' not in line or line.count(",") > 10 * max_columns
    ):
        raise UploadProblem(
            f"has {line.count(',') + 1:,} columns; at most {max_columns:,} are read. Keep "
            "only the columns you need."
        )
    try:
        fields = next(csv.reader([line]), [])
    except csv.Error:
        raise UploadProblem("has a first line that is not valid CSV.") from None
    if len(fields) > max_columns:
        raise UploadProblem(f"has {len(fields):,} columns; at most {max_columns:,} are read.")
    return fields


def read_csv(
    data: bytes,
    *,
    name: str = "The file",
    header: bool = True,
    max_columns: int = MAX_CSV_COLUMNS,
    max_cells: int = MAX_CSV_CELLS,
    keep_default_na: bool = True,
    case_sensitive_names: bool = True,
    float_columns: Collection[str] | None = None,
):
    """A CSV as a pandas DataFrame of strings, bounded before it is parsed.

    Args:
        data: the uploaded bytes (UTF-8, with or without BOM).
        name: how the messages call the file.
        header: the first line names the columns (else columns are ``0, 1, …``).
        max_columns: a wider first line is refused before anything is parsed.
        max_cells: rows × columns read at most; later rows are left out, with a notice.
        keep_default_na: as in ``pandas.read_csv`` (``False``: empty cells stay ``""``).
        case_sensitive_names: ``False``: ``x1`` and ``X1`` count as the same name.
        float_columns: columns (names, lower case; ``{"*"}``: all) first read directly as
            float64, which is ten times faster and smaller than text; if any cell is not a
            number, the file is read again as text, so the caller can say which cell.

    Returns:
        ``(frame, notices)``: a DataFrame of ``str`` cells (float64 for ``float_columns``
        that hold only numbers), and what was left out.

    Raises:
        UploadProblem: not text, empty, too wide, duplicate column names, ragged rows.
    """
    import pandas as pd

    if not data:
        raise UploadProblem(f"{name} could not be read as CSV: it is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadProblem(f"{name} is not a text file (a CSV is text).") from None
    try:
        fields = count_columns(text, max_columns)
    except UploadProblem as problem:
        raise UploadProblem(f"{name} {problem}") from None
    if header:
        names = [f.strip() if case_sensitive_names else f.strip().lower() for f in fields]
        repeated = [n for n, count in Counter(names).items() if count > 1 and n]
        if repeated:
            spelled = [
                f.strip()
                for f in fields
                if (f.strip() if case_sensitive_names else f.strip().lower()) == repeated[0]
            ]
            raise UploadProblem(
                f"{name} names the column {repeated[0]!r} {len(spelled)} times "
                f"({', '.join(map(repr, spelled[:4]))}); give each column its own name."
            )
    line, length = longest_line(data)
    if length > MAX_CSV_LINE_BYTES:  # a row of a million fields, a 20 MB cell
        raise UploadProblem(
            f"{name}: line {line:,} has {length:,} characters; at most "
            f"{MAX_CSV_LINE_BYTES:,} are read (a CSV of points has short lines)."
        )
    max_rows = max(1, max_cells // max(1, len(fields)))
    options = dict(
        header=0 if header else None,
        keep_default_na=keep_default_na,
        skip_blank_lines=True,
        nrows=max_rows + 1,
    )
    frame = None
    if float_columns:
        if "*" in float_columns or not header:
            dtypes: object = float
        else:
            dtypes = {f: float for f in fields if f.strip().lower() in float_columns}
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=dtypes, **options)
        except (ValueError, TypeError, pd.errors.ParserError, pd.errors.EmptyDataError):
            frame = None  # read as text below, for the message
    try:
        if frame is None:
            frame = pd.read_csv(io.StringIO(text), dtype=str, **options)
    except pd.errors.EmptyDataError:
        raise UploadProblem(f"{name} could not be read as CSV: it has no rows.") from None
    except pd.errors.ParserError as error:
        detail = str(error).strip().splitlines()[-1][:120] if str(error).strip() else ""
        raise UploadProblem(
            f"{name} could not be read as CSV: rows differ in length ({detail})."
            if "Expected" in detail
            else f"{name} could not be read as CSV: rows differ in length."
        ) from None
    except (ValueError, OverflowError, csv.Error, UnicodeError) as error:
        raise UploadProblem(f"{name} could not be read as CSV ({type(error).__name__}).") from None
    notices = []
    if len(frame) > max_rows:
        frame = frame.iloc[:max_rows]
        notices.append(
            f"{name} has more than {max_rows:,} rows; only the first {max_rows:,} are read."
        )
    return frame, notices


# -- images ------------------------------------------------------------------------------
#: Bytes one image may take while it is decoded (full size, before it is reduced).
MAX_DECODE_BYTES = 64 * 1024**2
_BANDS = {"1": 1, "L": 1, "P": 1, "RGB": 3, "YCbCr": 3, "LAB": 3, "HSV": 3, "RGBA": 4, "CMYK": 4}


def decode_image_small(
    data: bytes,
    *,
    min_side: int = MAX_IMAGE_SIDE,
    grayscale: bool = False,
    max_decode_bytes: int = MAX_DECODE_BYTES,
):
    """Decode untrusted image bytes straight to a small 8-bit PIL image.

    The image's shorter side ends up at most about ``2 × min_side`` (never below
    ``min_side`` when the image was bigger), so a later resize to ``min_side`` keeps its
    quality. JPEGs are decoded directly at a reduced scale (``Image.draft``); other
    formats are decoded once at full size (refused first if that would exceed
    ``max_decode_bytes``) and reduced at once, in uint8.

    Returns:
        ``(image, decoded_pixels)``: an ``"RGB"`` (or ``"L"``) image and the number of
        pixels the decoder produced (for a budget over many images).

    Raises:
        course_lib.datasets.UploadError: not an image, too large, damaged.
    """
    from PIL import Image, UnidentifiedImageError

    from course_lib.datasets import IMAGE_FORMATS, MAX_PIXELS, UploadError, to_8bit

    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:
        raise UploadError("this image is far too large (a decompression bomb?).") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise UploadError("this file is not an image we can read (PNG, JPEG, GIF, BMP).") from error
    if image.format not in IMAGE_FORMATS:
        raise UploadError(f"{image.format} images are not accepted; use PNG or JPEG.")
    width, height = image.size
    if width < 1 or height < 1 or width * height > 4 * MAX_PIXELS:
        raise UploadError(
            f"this image is {width:,}×{height:,} pixels, far more than we accept. Resize it "
            "to at most 4,000 pixels a side and upload again."
        )
    try:
        image.seek(0)  # animated GIF/WebP: the first frame only
        if image.format == "JPEG":
            image.draft("L" if grayscale else "RGB", (min_side, min_side))
        width, height = image.size  # after draft: what the decoder will produce
        bands = 2 if image.mode.startswith(("I;16", "LA", "PA")) else _BANDS.get(image.mode, 4)
        decoded = width * height * bands
        if decoded > max_decode_bytes or width * height > MAX_PIXELS:
            raise UploadError(
                f"this image is {width:,}×{height:,} pixels: {format_bytes(decoded)} once "
                f"decoded, more than the {format_bytes(max_decode_bytes)} one image may take "
                "here. Resize it (2,000 pixels a side is plenty) and upload again."
            )
        image.load()
        factor = min(width, height) // (2 * min_side)
        if factor >= 2:
            image = image.reduce(factor)  # box filter, in C, on the uint8 pixels
    except UploadError:
        raise
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as error:
        raise UploadError("this image is damaged or truncated and cannot be decoded.") from error
    return to_8bit(image, grayscale=grayscale), width * height


_PHOTOS: OrderedDict[str, object] = OrderedDict()
_PHOTOS_LOCK = threading.Lock()
#: A photo's shorter side after decoding is between this and twice this (ImageNet's
#: classifier reads 224×224; the CNN 32×32 or less).
PHOTO_SIDE = 256
#: Decoded photos kept (each at most about 2 × PHOTO_SIDE a side: under 1 MB).
PHOTO_CACHE_ENTRIES = 16


def decode_photo(data: bytes, *, min_side: int = PHOTO_SIDE):
    """A photo or drawing upload as a small RGB PIL image, decoded once per upload.

    Reruns of the page (every widget move) find the decoded image in a small cache keyed
    by the upload's SHA-256, so a big photo is not decoded again and again. Each caller
    gets its own copy.

    Raises:
        course_lib.datasets.UploadError: see :func:`decode_image_small`.
    """
    key = f"{hashlib.sha256(data).hexdigest()}:{min_side}"
    with _PHOTOS_LOCK:
        cached = _PHOTOS.get(key)
        if cached is not None:
            _PHOTOS.move_to_end(key)
            return cached.copy()
    image, _ = decode_image_small(data, min_side=min_side)
    with _PHOTOS_LOCK:
        _PHOTOS[key] = image
        while len(_PHOTOS) > PHOTO_CACHE_ENTRIES:
            _PHOTOS.popitem(last=False)
    return image.copy()


# -- ZIP ---------------------------------------------------------------------------------
def check_zip_entries(members: Sequence) -> None:
    """Refuse an archive whose directory lists one name twice, or whose entries share or
    overlap their bytes (one stored image listed thousands of times).

    Args:
        members: ``zipfile.ZipFile.infolist()``.

    Raises:
        course_lib.datasets.UploadError: with the first offending name.
    """
    from course_lib.datasets import UploadError

    names = Counter(info.filename for info in members)
    repeated = [name for name, count in names.items() if count > 1]
    if repeated:
        raise UploadError(
            f"the ZIP lists {repeated[0][:80]!r} {names[repeated[0]]:,} times; each file may "
            "appear once. Make the ZIP again from a folder."
        )
    files = sorted((info for info in members if not info.is_dir()), key=lambda i: i.header_offset)
    for before, after in zip(files, files[1:], strict=False):
        # a local header is at least 30 bytes and the name, then the compressed data
        stored_name = before.orig_filename.encode(
            "utf-8" if before.flag_bits & 0x800 else "cp437", "replace"
        )
        end = before.header_offset + 30 + len(stored_name) + before.compress_size
        if after.header_offset < end:
            raise UploadError(
                f"the ZIP's entries {before.filename[:60]!r} and {after.filename[:60]!r} "
                "share the same bytes: a damaged or forged archive. Make the ZIP again "
                "from a folder."
            )


#: Bytes of each ZIP member read to find its image size (headers, EXIF thumbnails).
HEADER_BYTES = 256 * 1024


def declared_pixels(head: bytes, min_side: int) -> int:
    """Pixels the decoder will produce for an image whose file starts with ``head``
    (a JPEG decoded at 1/2, 1/4 or 1/8 scale counts as such); 0 if it is no image."""
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(head))
        width, height = image.size
        if image.format == "JPEG":
            image.draft("RGB", (min_side, min_side))
            width, height = image.size
    except Exception:  # a damaged or truncated header: the decoder will skip it anyway
        return 0
    return width * height


def zip_declared_pixels(archive, members: Sequence, min_side: int) -> int:
    """The pixels all images of an archive declare, read from their headers only (the
    first :data:`HEADER_BYTES` of each), so a ZIP of huge images is refused before any
    of them is decoded."""
    total = 0
    for info in members:
        try:
            with archive.open(info) as member:
                total += declared_pixels(member.read(HEADER_BYTES), min_side)
        except Exception:  # damaged entries are skipped later, with a note
            continue
    return total
