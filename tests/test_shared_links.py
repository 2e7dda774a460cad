"""Every setting of every page survives a shared link: out through the URL and back in.

Each chapter declares its settings classes and widget-key prefixes once, as ``EXPERIMENTS``
in ``app_pages/<chapter>_sections/__init__.py``. For every field this test picks a valid
value other than the default, writes it into a link as the page does
(:func:`course_lib.settings.to_query_params`) and reads it back as the page does
(:meth:`course_lib.ui.Controls.read_link`): it must come back unchanged and without a
notice. A value between two slider stops must come back on the nearest stop, with one
notice that names it.
"""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from course_lib.chapters import CHAPTERS
from course_lib.settings import bounds, to_query_params
from course_lib.ui.controls import Controls


def chapter_pages() -> list[tuple[str, str]]:
    """``(url path, page file)`` of every chapter page that exists, further pages included."""
    pages = []
    for chapter in CHAPTERS:
        if chapter.available:
            pages.append((chapter.url_path, chapter.page))
            pages += [(url_path, page) for page, url_path, _, _ in chapter.pages]
    return pages


def page_experiments():
    """``(page, EXPERIMENTS)`` for every chapter page."""
    found = []
    for url_path, page in chapter_pages():
        package = page.removesuffix(".py").replace("/", ".") + "_sections"
        found.append((url_path, importlib.import_module(package).EXPERIMENTS))
    return found


def link_fields():
    """``(page, experiments, widget key, settings class, field)`` for every setting."""
    cases = []
    for page, experiments in page_experiments():
        for key, (settings_class, name) in Controls(experiments).fields().items():
            cases.append(pytest.param(experiments, key, settings_class, name, id=f"{page}:{key}"))
    return cases


def other_values(settings_class: type, name: str) -> list:
    """Valid values of one field other than its default, most telling first."""
    default = settings_class.__dataclass_fields__[name].default
    limits = bounds(settings_class, name)
    if isinstance(default, bool):
        candidates = [not default]
    elif limits.choices is not None:
        candidates = list(limits.choices)
    elif limits.stops is not None:
        candidates = list(limits.stops)
    elif isinstance(default, int | float) and limits.minimum is not None:
        low, high = limits.minimum, limits.maximum
        middle = (low + high) / 2
        candidates = [high, low, middle, default + 1]
        candidates = [type(default)(c) for c in candidates if low <= c <= high]
    elif isinstance(default, str):
        candidates = [default + " changed", "x"]
    else:
        candidates = []
    return [value for value in candidates if value != default]


def changed_settings(settings_class: type, name: str):
    """The default settings with one field changed to a valid value (its own checks pass)."""
    for value in other_values(settings_class, name):
        try:
            return dataclasses.replace(settings_class(), **{name: value}), value
        except (TypeError, ValueError):  # a check across fields, e.g. low < high
            continue
    return None, None


def test_every_chapter_declares_its_experiments():
    pages = dict(page_experiments())
    assert len(pages) == len(chapter_pages()) >= 6  # five chapters and AlphaZero
    for page, experiments in pages.items():
        assert experiments, page
        assert all(dataclasses.is_dataclass(cls) for cls in experiments), page


@pytest.mark.parametrize(("experiments", "key", "settings_class", "name"), link_fields())
def test_a_setting_survives_a_shared_link(experiments, key, settings_class, name):
    changed, value = changed_settings(settings_class, name)
    if changed is None:
        pytest.fail(f"{settings_class.__name__}.{name}: no other valid value to share")
    prefix = experiments[settings_class]
    params = to_query_params(changed, prefix)
    assert key in params, f"{key} is not written into the link"
    values, notices = Controls(experiments).read_link(params)
    assert not notices
    assert values[key] == value and type(values[key]) is type(value)


def stop_cases():
    cases = []
    for page, experiments in page_experiments():
        for key, (settings_class, name) in Controls(experiments).fields().items():
            stops = bounds(settings_class, name).stops
            if stops and len(stops) > 1:
                cases.append(pytest.param(experiments, key, stops, id=f"{page}:{key}"))
    return cases


@pytest.mark.parametrize(("experiments", "key", "stops"), stop_cases())
def test_a_value_between_two_stops_moves_to_the_nearest_with_a_notice(experiments, key, stops):
    low, high = sorted(stops)[-2:]
    between = (low + high) / 2 if isinstance(low, float) else (low + high) // 2
    if between in stops:
        pytest.fail(f"{key}: the stops {stops} leave no value between {low} and {high}")
    values, notices = Controls(experiments).read_link({key: str(between)})
    assert values[key] in (low, high)
    (notice,) = notices
    assert f"nearest, {values[key]:g}" in notice
