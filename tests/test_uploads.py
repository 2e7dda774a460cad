"""Bounded parsing: CSVs counted before they are parsed, ZIPs checked before they are
inflated, images decoded small, each refusal a sentence."""

import importlib.util
import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from course_lib import datasets, uploads
from course_lib.convolutional_networks import images
from course_lib.datasets import UploadError
from course_lib.deep_supervised_learning import data as playground_data
from course_lib.fundamentals import targets
from tests.conftest import ROOT


def _hostile():
    spec = importlib.util.spec_from_file_location("hostile", ROOT / "benchmarks" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile = _hostile()


# -- CSV ---------------------------------------------------------------------------------
def test_a_million_columns_are_refused_from_the_header_line():
    data = hostile.wide_csv(rows=5, columns=1_000_000)
    with pytest.raises(uploads.UploadProblem, match="1,000,000 columns; at most 100"):
        uploads.read_csv(data, header=False)
    with pytest.raises(ValueError, match="1,000,000 columns"):
        targets.read_csv_points(data)
    with pytest.raises(playground_data.CsvProblem, match="1,000,000 columns"):
        playground_data.load_csv(data)


def test_a_short_header_then_a_huge_row_is_refused():
    with pytest.raises(playground_data.CsvProblem, match="line 3 has"):
        playground_data.load_csv(hostile.ragged_csv(columns=100_000))


def test_case_colliding_headers_get_a_message_not_a_type_error():
    with pytest.raises(playground_data.CsvProblem, match="'x1' 2 times \\('x1', 'X1'\\)"):
        playground_data.load_csv(b"x1,X1,x2,label\n1,2,3,a\n4,5,6,b\n")
    with pytest.raises(playground_data.CsvProblem, match="names the column"):
        playground_data.load_csv(b"x1,x2,label,x2\n1,2,a,3\n4,5,b,6\n")


def test_quoted_commas_in_a_header_are_counted_exactly():
    frame, notices = uploads.read_csv(b'"a,b",c\n1,2\n', max_columns=2)
    assert list(frame.columns) == ["a,b", "c"] and notices == []


def test_rows_beyond_the_cell_budget_are_left_out_with_a_notice():
    data = b"x,y\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(100))
    frame, notices = uploads.read_csv(data, max_cells=40)
    assert len(frame) == 20
    assert notices == ["The file has more than 20 rows; only the first 20 are read."]


def test_numbers_are_read_as_floats_and_words_fall_back_to_text():
    frame, _ = uploads.read_csv(b"1,2\n3,4\n", header=False, float_columns={"*"})
    assert frame.dtypes.tolist() == [np.float64, np.float64]
    frame, _ = uploads.read_csv(b"1,2\n3,x\n", header=False, float_columns={"*"})
    assert frame.iat[1, 1] == "x"
    frame, _ = uploads.read_csv(b"X1 ,x2,label\n1,2,a\n", float_columns={"x1", "x2"})
    assert frame["X1 "].dtype == np.float64 and frame["label"].iat[0] == "a"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b'x,y\n"1,2\n', "could not be read as CSV"),
        (b"a,b\n1,2\n3,4,5\n", "rows differ in length"),
    ],
)
def test_pandas_errors_become_sentences(data, words):
    with pytest.raises(uploads.UploadProblem, match=words):
        uploads.read_csv(data)


# -- images ------------------------------------------------------------------------------
def test_a_large_jpeg_is_decoded_at_a_fraction_of_its_size():
    data = hostile.image_bytes(4000, 3000, fmt="JPEG", quality=70)
    image, decoded = uploads.decode_image_small(data, min_side=256)
    assert decoded <= 1000 * 750  # the decoder itself worked at 1/4 scale (or less)
    assert 256 <= min(image.size) <= 512 and image.mode == "RGB"


def test_a_large_png_is_reduced_right_after_decoding():
    image, decoded = uploads.decode_image_small(hostile.image_bytes(3000, 2000, "L"), min_side=100)
    assert decoded == 3000 * 2000
    assert 100 <= min(image.size) <= 200


def test_an_image_too_big_to_decode_is_refused_before_decoding():
    with pytest.raises(UploadError, match="5,000×5,000 pixels: 72 MB once decoded"):
        uploads.decode_image_small(hostile.image_bytes(5000, 5000))


def test_a_photo_is_decoded_once_per_upload(monkeypatch):
    data = hostile.image_bytes(900, 600, fmt="JPEG")
    calls = []
    real = uploads.decode_image_small

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(uploads, "decode_image_small", counting)
    first = uploads.decode_photo(data)
    second = uploads.decode_photo(data)
    assert len(calls) == 1
    assert first is not second and first.tobytes() == second.tobytes()
    first.paste((0, 0, 0), (0, 0, 50, 50))  # a caller's copy: the cache is not touched
    assert uploads.decode_photo(data).tobytes() == second.tobytes()


def test_photos_and_drawings_never_make_float64_images():
    photo = uploads.decode_photo(hostile.image_bytes(800, 800, noise=True))
    assert images.preprocess_photo(photo, (28, 28, 1), "mnist").dtype == np.uint8
    canvas = np.zeros((240, 240, 4), np.uint8)
    canvas[100:140, 60:180] = 255
    assert images.preprocess_drawing(canvas, (8, 8, 1), "digits").dtype == np.uint8


# -- ZIP ---------------------------------------------------------------------------------
def test_one_image_listed_thousands_of_times_is_refused_before_decoding():
    with pytest.raises(UploadError, match="'cats/a.png' 4,000 times"):
        datasets.load_image_zip(hostile.repeated_entry_zip(4000))


def test_entries_sharing_their_bytes_are_refused():
    with pytest.raises(UploadError, match="share the same bytes"):
        datasets.load_image_zip(hostile.repeated_entry_zip(50, same_name=False))


def test_the_decoded_pixel_budget_of_a_zip(monkeypatch):
    monkeypatch.setattr("course_lib.budget.MAX_ZIP_DECODED_PIXELS", 5 * 500 * 500)
    png = hostile.image_bytes(500, 500)
    data = hostile.zip_of({f"{'ab'[i % 2]}/{i}.png": png for i in range(12)})
    with pytest.raises(UploadError, match="once decoded"):
        datasets.load_image_zip(data)


def test_a_honest_zip_of_big_photos_still_loads():
    photo = hostile.image_bytes(2400, 1600, fmt="JPEG", quality=60, noise=True)
    data = hostile.zip_of({f"{c}/{i}.jpg": photo for c in ("cats", "dogs") for i in range(3)})
    loaded = datasets.load_image_zip(data, image_size=32)
    assert loaded.x_train.dtype == np.uint8 and loaded.image_shape == (32, 32, 3)
    assert loaded.num_classes == 2


def test_a_zip_written_by_python_passes_the_offset_check():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(6):
            archive.writestr(f"{'ab'[i % 2]}/é{i}.png", hostile.image_bytes(20, 20))
        archive.writestr("a/", b"")
    members = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).infolist()
    uploads.check_zip_entries(members)  # does not raise


def test_images_in_a_zip_are_stored_uint8():
    image = Image.new("RGB", (64, 64), (10, 200, 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    data = hostile.zip_of({f"{c}/{i}.png": buffer.getvalue() for c in "ab" for i in range(2)})
    loaded = datasets.load_image_zip(data, image_size=16)
    assert loaded.x_train.dtype == np.uint8
