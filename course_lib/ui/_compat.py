"""The helpers pages used before :class:`Controls` (removed once every page uses Controls)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from course_lib.ui import classroom
from course_lib.ui.controls import Controls

T = TypeVar("T")


def remember_settings(experiments: Mapping[type, str]) -> None:
    import streamlit as st

    for key, default in Controls(experiments).defaults().items():
        st.session_state[key] = st.session_state.get(key, default)


def shared_settings(experiments: Mapping[type, str]) -> None:
    Controls(experiments).begin()


def setting_widget(
    make: Callable[..., T], settings_class: type, name: str, label: str, *, prefix: str, **kwargs
) -> T:
    return Controls({settings_class: prefix}).widget(make, settings_class, name, label, **kwargs)


def settings_from_widgets(settings_class: type[T], prefix: str) -> T:
    return Controls({settings_class: prefix}).settings(settings_class)


def share_link(*experiments: tuple[Any, str]) -> None:
    Controls({type(settings): prefix for settings, prefix in experiments}).share_link()


def walkthrough(
    steps: Sequence[Any],
    *,
    key: str,
    experiments: Mapping[type, str],
    adjust: Callable[[str, Any], tuple[Any, str | None]] | None = None,
    section_key: str | None = None,
) -> None:
    classroom.walkthrough(
        steps, key=key, controls=Controls(experiments), adjust=adjust, section_key=section_key
    )
