"""Classroom pieces every chapter shares: walkthrough steps, quiz questions, notebooks.

A chapter module declares its content as data next to its model code:

- ``WALKTHROUGH: tuple[Step, ...]`` — 4 to 8 steps the lecturer advances with Next/Back.
  Each step sets some of the page's settings (``preset``: field name → value of the
  page's settings dataclass) and says in two or three sentences what to look at and why.
- ``QUIZ: tuple[Question, ...]`` — 3 to 5 questions about what the page just showed.
- ``notebook_cells(settings) -> list[Cell]`` — a plain-Keras notebook that reproduces
  the current experiment (data, model, training, plots), for the course's Colab labs.

This module knows nothing of Streamlit; ``course_lib.ui`` draws these.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal


@dataclass(frozen=True)
class Claim:
    """What a walkthrough step says the screen will show, as a predicate that is checked.

    Attributes:
        says: the claim in words, as the step's text makes it ("test loss within 20 % of
            the training loss", "two presses give different text").
        check: ``check(result) -> bool`` over the numbers the chapter's
            ``lesson.step_result(step)`` returns after running the step's preset.
    """

    says: str
    check: Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True)
class Step:
    """One step of a guided walkthrough.

    Attributes:
        title: a few words, shown as the step's heading.
        text: two or three sentences: what to look at and why (the lecture's point).
        preset: a complete experiment, as ``{field name: value}`` of the page's settings
            dataclasses; every field not named is at its default (so Back restores the
            step before exactly). On a page with several experiments a name may carry its
            widget prefix (``"hand_hidden_units"``) to say which one.
        section: the part of the page the step is about (e.g. a tab's label), which
            the page opens; ``None`` leaves the page as it is.
        claim: what must be true once the preset has run (checked by the chapter's tests
            and by ``benchmarks/walkthroughs.py``); ``None`` for a step that only shows.
    """

    title: str
    text: str
    preset: Mapping[str, Any] = field(default_factory=dict)
    section: str | None = None
    claim: Claim | None = None


def preset_field(experiments: Mapping[type, str], name: str) -> tuple[type, str, str]:
    """Which setting a walkthrough preset name means: ``(settings class, prefix, field)``.

    ``experiments`` maps the page's settings classes to their widget-key prefixes. A plain
    field name belongs to the first class that declares it; a name that starts with a
    prefix (``"hand_hidden_units"``) is that prefix's field.

    Raises:
        KeyError: when no class on the page has such a field (a typo in a preset).
    """
    for settings_class, prefix in experiments.items():
        if name in _field_names(settings_class):
            return settings_class, prefix, name
    for settings_class, prefix in experiments.items():
        if name.startswith(prefix) and name[len(prefix) :] in _field_names(settings_class):
            return settings_class, prefix, name[len(prefix) :]
    raise KeyError(f"walkthrough preset {name!r}: no settings field of that name on the page")


def _field_names(settings_class: type) -> set[str]:
    return {f.name for f in fields(settings_class)}


@dataclass(frozen=True)
class Question:
    """A multiple-choice question with instant feedback.

    Attributes:
        prompt: the question, grounded in what the page shows.
        options: the possible answers.
        answer: index of the right option in ``options``.
        explanation: why it is right, in two or three sentences.
    """

    prompt: str
    options: Sequence[str]
    answer: int
    explanation: str

    def __post_init__(self) -> None:
        if not 0 <= self.answer < len(self.options):
            raise ValueError("answer must index one of the options")

    def check(self, chosen: int) -> bool:
        return chosen == self.answer


@dataclass(frozen=True)
class Cell:
    """One notebook cell: ``kind`` is ``"markdown"`` or ``"code"``."""

    kind: Literal["markdown", "code"]
    source: str


@functools.cache
def source_of(part: Callable[..., Any] | type | Any) -> str:
    """The source of one of the app's functions, classes or modules, as a notebook shows it.

    Read once per process: :func:`inspect.getsource` tokenizes the whole file each time,
    and pages that offer a notebook or show their code would pay it on every rerun.
    """
    return inspect.getsource(part)


def markdown(source: str) -> Cell:
    return Cell("markdown", source.strip("\n"))


def code(source: str) -> Cell:
    return Cell("code", source.strip("\n"))


def notebook(cells: Sequence[Cell], *, title: str) -> bytes:
    """A Jupyter notebook (``.ipynb`` bytes) from cells, runnable on Colab.

    The first cell is the title; the kernel is plain Python 3.
    """
    import nbformat

    book = nbformat.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.metadata["language_info"] = {"name": "python"}
    book.cells.append(nbformat.v4.new_markdown_cell(f"# {title}"))
    for cell in cells:
        if cell.kind == "markdown":
            book.cells.append(nbformat.v4.new_markdown_cell(cell.source))
        else:
            book.cells.append(nbformat.v4.new_code_cell(cell.source))
    nbformat.validate(book)
    return nbformat.writes(book).encode("utf-8")


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``"1 epoch"``, ``"2 epochs"``: a number and its noun, singular or plural as English says."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
