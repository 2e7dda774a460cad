"""Settings are data: one frozen dataclass per experiment, with its ranges.

Each experiment's knobs (hidden units, learning rate, temperature, …) are fields of a
frozen dataclass declared with :func:`setting`, which records the allowed range or
choices and a one-line help text next to the default. That one declaration is the
single source of truth for:

- the widgets (a page reads ``bounds(Settings, "learning_rate")`` for its slider);
- validation (:func:`validate` clamps or rejects out-of-range values);
- shareable links (:func:`to_query_params` / :func:`from_query_params`).

Example::

    @dataclass(frozen=True)
    class FitSettings:
        hidden_units: int = setting(64, minimum=1, maximum=512, help="neurons in the hidden layer")
        activation: str = setting("tanh", choices=("sigmoid", "tanh", "relu"), help="g(z)")
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

S = TypeVar("S")


def setting(
    default: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: Sequence[Any] | None = None,
    stops: Sequence[float] | None = None,
    step: float | None = None,
    format: str | None = None,
    label: str = "",
    help: str = "",
) -> Any:
    """A dataclass field with everything its widget needs, declared once.

    Args:
        default: the value a fresh page starts with (immutable).
        minimum, maximum: the valid range (links and presets outside it are refused).
        choices: the only valid values (a select box, radio buttons or a select slider).
        stops: the values a slider offers inside the range (powers of two, decades); a
            valid value between two stops moves to the nearest one (:func:`snap`).
        step, format: a plain slider's step and number format (``"%.3f"``).
        label: the widget's label (the page may still pass its own).
        help: one line that says what the knob is, in the lecture's words.
    """
    if stops is not None and default not in stops:
        raise ValueError(f"the default {default!r} must be one of the stops {stops}")
    metadata = {
        "minimum": minimum,
        "maximum": maximum,
        "choices": tuple(choices) if choices else None,
        "stops": tuple(stops) if stops else None,
        "step": step,
        "format": format,
        "label": label,
        "help": help,
    }
    if isinstance(default, list | dict | set):
        raise TypeError("settings defaults must be immutable (use a tuple)")
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Bounds:
    """What :func:`setting` declared for one field."""

    minimum: float | None
    maximum: float | None
    choices: tuple[Any, ...] | None
    help: str
    stops: tuple[float, ...] | None = None
    step: float | None = None
    format: str | None = None
    label: str = ""


def bounds(settings_class: type, name: str) -> Bounds:
    """The range, choices, slider stops, step, format, label and help declared for one field."""
    field = {f.name: f for f in dataclasses.fields(settings_class)}[name]
    meta = field.metadata
    return Bounds(
        meta.get("minimum"),
        meta.get("maximum"),
        meta.get("choices"),
        meta.get("help", ""),
        meta.get("stops"),
        meta.get("step"),
        meta.get("format"),
        meta.get("label", ""),
    )


def snap(settings_class: type, name: str, value: Any) -> tuple[Any, str | None]:
    """``value`` moved onto the nearest of the field's slider stops, and a note saying so.

    Nearest on a log scale when every stop is positive (learning rates and sizes are
    log-spaced: 0.02 goes to 0.03, not 0.01). Returns ``(value, None)`` when the field has
    no stops or the value is one of them.
    """
    stops = bounds(settings_class, name).stops
    if stops is None or value in stops or not isinstance(value, int | float):
        return value, None
    if all(stop > 0 for stop in stops) and value > 0:

        def distance(stop: float) -> float:
            return abs(math.log(stop) - math.log(value))
    else:

        def distance(stop: float) -> float:
            return abs(stop - value)

    nearest = min(stops, key=distance)
    return (
        nearest,
        f"{name} = {value:g} is not a stop of its slider: moved to the nearest, {nearest:g}.",
    )


def _coerce(value: Any, kind: type, field_bounds: Bounds) -> Any:
    """Convert and check one value; raise ValueError saying what is wrong with it."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError("it is not true or false")
    if kind in (int, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("it is not a number") from None
        if not math.isfinite(number):
            raise ValueError("it is not a finite number")
        if kind is int and number != int(number):
            raise ValueError("it is not a whole number")
        value = int(number) if kind is int else number
    elif kind is str:
        value = str(value)
    if field_bounds.choices is not None and value not in field_bounds.choices:
        raise ValueError(f"it is not one of {', '.join(map(str, field_bounds.choices))}")
    if field_bounds.minimum is not None and value < field_bounds.minimum:
        raise ValueError(f"it is below the minimum {field_bounds.minimum}")
    if field_bounds.maximum is not None and value > field_bounds.maximum:
        raise ValueError(f"it is above the maximum {field_bounds.maximum}")
    return value


def _field_type(settings_class: type, field: dataclasses.Field) -> type:
    hints = {"int": int, "float": float, "str": str, "bool": bool}
    annotation = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    return hints.get(str(annotation), type(field.default))


def validate(settings: S) -> S:
    """Raise ValueError if any field is outside its declared range or choices."""
    for field in dataclasses.fields(settings):
        kind = _field_type(type(settings), field)
        if kind in (int, float, str, bool):
            value = getattr(settings, field.name)
            try:
                _coerce(value, kind, bounds(type(settings), field.name))
            except ValueError as error:
                raise ValueError(f"{field.name}={value!r}: {error}") from None
    return settings


def to_query_params(settings: Any, prefix: str = "") -> dict[str, str]:
    """The fields that differ from their defaults, as strings for ``st.query_params``."""
    defaults = type(settings)()
    params = {}
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if value != getattr(defaults, field.name) and isinstance(value, bool | int | float | str):
            params[prefix + field.name] = (
                str(value).lower() if isinstance(value, bool) else str(value)
            )
    return params


#: Characters that make Markdown out of text in the middle of a line: links and images
#: ``[…](…)``, autolinks (``https:``, ``www.``, ``a@b.c``), emphasis, code, tables, maths.
MARKDOWN_CHARACTERS = frozenset("\\`*[]()!|~$:@.")
#: GFM finds bare links (``https://…``, ``www.…``, ``a@b.c``) in the text *after* the
#: backslash escapes are read, so these also get an invisible zero-width space before them.
AUTOLINK_CHARACTERS = frozenset(":@.")
ZERO_WIDTH_SPACE = "\u200b"
#: A link with more bad fields than this gets one summary notice for the rest.
MAX_LINK_NOTICES = 5


def escape_markdown(text: str) -> str:
    """User text made literal for ``st.warning``/``st.markdown`` (inside a sentence).

    Every character that would make a link, an autolink, emphasis, code or maths is
    backslash-escaped, so ``[log in](https://…)`` shows as typed, not as a link; a bare
    URL or address is broken by an invisible zero-width space. An underscore inside a word
    (``hidden_units``) never makes emphasis and is left as is.
    """
    text = str(text)
    out = []
    for i, c in enumerate(text):
        intraword = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        if c in AUTOLINK_CHARACTERS:  # links are found after escapes are read: break them
            out.append(ZERO_WIDTH_SPACE + "\\" + c)
        elif c in MARKDOWN_CHARACTERS or (c == "_" and not intraword):
            out.append("\\" + c)
        else:
            out.append(c)
    return "".join(out)


def parse_query_params(
    experiments: Mapping[type, str], params: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """The valid values a (possibly hand-edited) URL gives, and a notice per value ignored.

    ``experiments`` maps each settings class of a page to its widget-key prefix (e.g.
    ``{TargetSettings: "fit_", FitSettings: "fit_", HandSettings: "hand_"}``; classes may
    share a prefix). A parameter ``prefix + field`` is read as that field of the first
    class with that prefix that declares it. Wrong types, out-of-range values and names
    that no class has are ignored and explained in the notices; parameters with none of
    the prefixes (e.g. ``present``) are left alone. Nothing raises.

    The notices quote the URL's text escaped (:func:`escape_markdown`): they are safe to
    show with ``st.warning``. At most :data:`MAX_LINK_NOTICES` fields are named; the rest
    are summed up in one more notice.

    Returns:
        ``(values, notices)``: values keyed by widget key (``prefix + field``).
    """
    fields = {}
    for settings_class, prefix in experiments.items():
        for field in dataclasses.fields(settings_class):
            fields.setdefault(prefix + field.name, (settings_class, field))
    prefixes = tuple(set(experiments.values()))
    values: dict[str, Any] = {}
    notices: list[str] = []
    for key, raw in params.items():
        prefix = max((p for p in prefixes if key.startswith(p)), key=len, default=None)
        if prefix is None:
            continue
        name = escape_markdown(key[len(prefix) :][:40])
        shown = escape_markdown(repr(raw if len(str(raw)) <= 40 else str(raw)[:40] + "…"))
        if key not in fields:
            notices.append(f"Ignored {name}={shown} from the link: this page has no such setting.")
            continue
        settings_class, field = fields[key]
        kind = _field_type(settings_class, field)
        try:
            values[key] = _coerce(raw, kind, bounds(settings_class, field.name))
        except (TypeError, ValueError) as error:
            notices.append(
                f"Ignored {name}={shown} from the link: {error}. Using {field.default!r}."
            )
    if len(notices) > MAX_LINK_NOTICES:
        more = len(notices) - MAX_LINK_NOTICES
        notices = notices[:MAX_LINK_NOTICES] + [
            f"…and {more:,} more field{'s' if more > 1 else ''} of the link ignored: the page "
            "uses its defaults for them."
        ]
    return values, notices


def from_query_params(
    settings_class: type[S], params: Mapping[str, str], prefix: str = ""
) -> tuple[S, list[str]]:
    """Settings from a URL's parameters (defaults for the rest) and the notices."""
    values, notices = parse_query_params({settings_class: prefix}, params)
    return settings_class(**{key[len(prefix) :]: value for key, value in values.items()}), notices
