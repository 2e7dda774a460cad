"""The chapter's charts: which characters a text is made of, and what may come next."""

from __future__ import annotations

import pandas as pd

from course_lib import charts


def character_frequency_chart(frequencies: pd.DataFrame, *, height: int = 320):
    """Bars of the most frequent characters (from ``corpus.character_frequencies``)."""
    return charts.bar_chart(
        frequencies,
        category="character",
        value="share",
        title="Most frequent characters",
        value_title="share of the text",
        height=height,
    )


def next_token_chart(frame: pd.DataFrame, unit: str, temperature: float, *, height: int = 360):
    """Bars of the likeliest next tokens (from ``sampler.next_token_frame``) at ``temperature``."""
    return charts.bar_chart(
        frame,
        category="token",
        value="probability",
        title=f"Next {unit} at T = {temperature:g}",
        value_title="probability",
        height=height,
    )
