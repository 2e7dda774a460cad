"""One path from a setting to its widget: a page's settings, its widgets and its link.

A chapter page declares, once, which settings classes it shows and under which widget-key
prefix (``{TargetSettings: "fit_", FitSettings: "fit_", HandSettings: "hand_"}``), and
builds one :class:`Controls` from that mapping. The object then does the whole round trip:

1. :meth:`Controls.begin` seeds every widget with its default, reads a shared link once per
   visit (values moved onto a slider's stops are said so), and keeps the values of widgets
   in closed tabs;
2. :meth:`Controls.widget` draws one field with what :func:`course_lib.settings.setting`
   declared for it (range, stops, step, format, label, help);
3. :meth:`Controls.settings` reads a settings object back from the widgets;
4. :meth:`Controls.share_link` writes the page's settings into the URL;
5. :meth:`Controls.apply_preset` sets the widgets for a walkthrough step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import streamlit as st

from course_lib.settings import bounds, parse_query_params, snap, to_query_params

T = TypeVar("T")


class Controls:
    """A page's settings classes and their widget-key prefixes, and the widgets they drive.

    Args:
        experiments: each settings class on the page and its widget-key prefix (classes may
            share a prefix; a field name is then read from the first class that has it).
    """

    def __init__(self, experiments: Mapping[type, str]):
        self.experiments = dict(experiments)

    # -- where each field lives --------------------------------------------------------
    def key(self, settings_class: type, name: str) -> str:
        """The widget key of one field (``prefix + name``)."""
        return self.experiments[settings_class] + name

    def fields(self) -> dict[str, tuple[type, str]]:
        """Every widget key of the page and the ``(settings class, field)`` it holds."""
        found: dict[str, tuple[type, str]] = {}
        for settings_class, prefix in self.experiments.items():
            for field in dataclasses.fields(settings_class):
                found.setdefault(prefix + field.name, (settings_class, field.name))
        return found

    def defaults(self) -> dict[str, Any]:
        """Every widget key and its field's default."""
        return {
            key: settings_class.__dataclass_fields__[name].default
            for key, (settings_class, name) in self.fields().items()
        }

    # -- 1. defaults, the shared link, hidden widgets -------------------------------------
    def begin(self) -> None:
        """Call once per run, before any widget: defaults, a shared link, hidden values.

        Streamlit forgets the state of a widget that was not drawn in a run (a closed tab);
        writing each value back every run keeps it, so the walkthrough and the link see
        the settings of every section.
        """
        state = st.session_state
        seen_key = "_shared_" + "|".join(sorted(set(self.experiments.values())))
        notices_key = seen_key + "_notices"
        if not state.get(seen_key):
            state[seen_key] = True
            values, notices = self.read_link(
                {name: st.query_params.get(name) for name in st.query_params}
            )
            for key, value in values.items():
                state[key] = value
            state[notices_key] = notices
        for key, default in self.defaults().items():
            state[key] = state.get(key, default)
        notices = state.pop(notices_key, [])
        if notices:  # one notice, where the page starts; the link's text is escaped, never Markdown
            st.warning(
                "Some settings in this link were not used:\n\n"
                + "\n".join(f"- {notice}" for notice in notices),
                icon=":material/link_off:",
            )

    def read_link(self, params: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
        """The widget values a (possibly hand-edited) link gives, and a notice per change.

        Out-of-range or unknown values are ignored; a valid value between two slider stops
        moves to the nearest stop, and the notice names it. The notices quote the link's
        text escaped (:func:`course_lib.settings.escape_markdown`), a few fields by name.
        """
        values, notices = parse_query_params(self.experiments, params)
        fields = self.fields()
        for key, value in list(values.items()):
            settings_class, name = fields[key]
            values[key], note = snap(settings_class, name, value)
            if note:
                notices.append(note)
        return values, notices

    # -- 2. a widget ------------------------------------------------------------------------
    def widget(
        self,
        make: Callable[..., T],
        settings_class: type,
        name: str,
        label: str | None = None,
        **kwargs: Any,
    ) -> T:
        """Draw one settings field with the widget ``make`` (``st.slider``, ``column.radio``…).

        Range, stops, step, format, label and help come from the field's :func:`setting`;
        keyword arguments override them. A field with stops is drawn as a select slider
        over them. The value lives in the session state under :meth:`key`.
        """
        limits, key = bounds(settings_class, name), self.key(settings_class, name)
        default = settings_class.__dataclass_fields__[name].default
        st.session_state.setdefault(key, default)
        widget_name = getattr(make, "__name__", "")
        if limits.stops is not None:
            if widget_name == "slider":  # a free slider cannot offer stops
                make = make.__self__.select_slider
            kwargs.setdefault("options", limits.stops)
            if limits.format:
                kwargs.setdefault("format_func", lambda value: limits.format % value)
        elif limits.choices is not None:
            kwargs.setdefault("options", limits.choices)
        elif widget_name in ("slider", "number_input") and limits.minimum is not None:
            kind = type(default)
            kwargs.setdefault("min_value", kind(limits.minimum))
            kwargs.setdefault("max_value", kind(limits.maximum))
            if limits.step is not None:
                kwargs.setdefault("step", kind(limits.step))
            if limits.format:
                kwargs.setdefault("format", limits.format)
        return make(
            label or limits.label or name.replace("_", " ").capitalize(),
            key=key,
            help=limits.help or None,
            **kwargs,
        )

    # -- 3. read back -------------------------------------------------------------------------
    def settings(self, settings_class: type[T]) -> T:
        """The settings the widgets (or their remembered state) hold now."""
        state, prefix = st.session_state, self.experiments[settings_class]
        return settings_class(
            **{
                field.name: state[prefix + field.name]
                for field in dataclasses.fields(settings_class)
                if prefix + field.name in state
            }
        )

    # -- 4. the link ----------------------------------------------------------------------------
    def share_link(self) -> None:
        """Write every settings class's values into the URL; one "Copy link to this experiment".

        Only values off their defaults are written; parameters of other pages' prefixes and
        ``present`` are left alone.
        """
        prefixes = tuple(set(self.experiments.values()))
        for name in list(st.query_params):
            if name.startswith(prefixes):
                del st.query_params[name]
        for settings_class, prefix in self.experiments.items():
            for name, value in to_query_params(self.settings(settings_class), prefix).items():
                st.query_params[name] = value
        base = (st.context.url or "").split("?", 1)[0]
        query = "&".join(
            f"{name}={quote(str(value))}" for name, value in st.query_params.to_dict().items()
        )
        with st.popover("Copy link to this experiment", icon=":material/link:"):
            st.caption("Anyone who opens this link gets these settings (their own copy to train).")
            st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)

    # -- 5. walkthrough presets --------------------------------------------------------------------
    def apply_preset(
        self,
        preset: Mapping[str, Any],
        *,
        adjust: Callable[[str, Any], tuple[Any, str | None]] | None = None,
    ) -> list[str]:
        """Set the widgets to one complete experiment: the preset's values, defaults elsewhere.

        A preset names a field of the first class that declares it, or a full widget key
        (``"hand_hidden_units"``) for a field of a later class with the same name. Values
        are kept inside their ranges and moved onto slider stops, and each change is
        returned as a note; ``adjust(name, value) -> (value, note)`` applies limits that
        depend on the current data.
        """
        from course_lib.classroom import preset_field

        state = st.session_state
        for key, default in self.defaults().items():
            state[key] = default
        notes: list[str] = []
        for name, value in preset.items():
            settings_class, prefix, field = preset_field(self.experiments, name)
            value, note = _inside_range(settings_class, field, value)
            if note is None:
                value, note = snap(settings_class, field, value)
            if note:
                notes.append(note)
            if value is None:
                continue
            if adjust is not None:
                value, note = adjust(name, value)
                if note:
                    notes.append(note)
            state[prefix + field] = value
        return notes


def _inside_range(settings_class: type, field: str, value: Any) -> tuple[Any, str | None]:
    """``value`` kept inside the field's range (``None`` for an unknown choice), and a note."""
    limits = bounds(settings_class, field)
    if limits.choices is not None and value not in limits.choices:
        return None, f"{field} = {value!r} is not available here; kept the default."
    if limits.minimum is not None and value < limits.minimum:
        minimum = type(value)(limits.minimum)
        return minimum, f"{field} raised from {value} to its minimum {minimum}."
    if limits.maximum is not None and value > limits.maximum:
        maximum = type(value)(limits.maximum)
        return maximum, f"{field} lowered from {value} to its maximum {maximum}."
    return value, None
