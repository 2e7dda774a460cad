"""No traceback reaches a student: a page-level guard that turns a bug into a sentence.

Every parser and action in ``course_lib`` turns the errors it expects into a plain
message. This guard is the last line, for the ones nobody expected: the router runs each
page inside :func:`guard`, so an exception shows one ``st.error`` in plain words (the
details go to the server's log, for the lecturer), the rest of the app keeps working and
the student's work in their session — trained models, uploads — is kept.

Streamlit's own control flow (``st.stop()``, ``st.rerun()``, ``st.switch_page``) passes
through untouched: it is made of exceptions too.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from typing import ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

log = logging.getLogger("course_lib.ui.guard")
P = ParamSpec("P")

MESSAGE = (
    "Something went wrong on this page ({kind}). Your other work in this session is kept: "
    "change a setting or press the button again, or open another chapter. If it happens "
    "again, tell your lecturer what you did just before."
)


def message_for(error: BaseException) -> str:
    """The sentence a student sees for an unexpected ``error`` (no traceback, no values)."""
    kind = "out of memory" if isinstance(error, MemoryError) else type(error).__name__
    return MESSAGE.format(kind=kind)


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Run a page (or part of one); an unexpected exception becomes one plain ``st.error``."""
    try:
        yield
    except ScriptControlException:  # st.stop(), st.rerun(), st.switch_page(): not errors
        raise
    except Exception as error:  # a bug or an input nobody foresaw
        log.exception("Unexpected error on a page")
        st.error(message_for(error), icon=":material/error:")


def guarded(function: Callable[P, None]) -> Callable[P, None]:
    """:func:`guard` as a decorator, for an ``st.fragment``: a fragment's own reruns
    (the live training panel's chunks) do not pass through the router's guard."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with guard():
            function(*args, **kwargs)

    return run
