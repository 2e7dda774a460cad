"""Altair charts of AlphaZero: the search on the board, and the learning per iteration."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from course_lib.reinforcement_learning.board_games import SYMBOLS, Board, BoardGame

#: What each search statistic is called on the page, and its colour scale.
STATISTICS = {
    "visits": ("visits N", "blues"),
    "q": ("value Q", "redyellowgreen"),
    "prior": ("prior P", "greens"),
}


def search_frame(game: BoardGame, board: Board, stats: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """One row per square: its piece, and the search statistics of the move there.

    Connect Four's moves are columns: each square shows the statistics of its column.
    """
    records = []
    for square, piece in enumerate(board):
        row, column = divmod(square, game.columns)
        move = column if game.gravity else square
        record = {"row": row, "column": column, "piece": SYMBOLS[piece] if piece else ""}
        for name in STATISTICS:
            value = stats[name][move]
            record[name] = None if np.isnan(value) else float(value)
        records.append(record)
    return pd.DataFrame.from_records(records)


def search_heatmap(
    game: BoardGame, board: Board, stats: Mapping[str, np.ndarray], statistic: str = "visits"
) -> alt.LayerChart:
    """The board with each legal move coloured by ``statistic`` (N, Q or P) and labelled."""
    frame = search_frame(game, board, stats)
    title, scheme = STATISTICS[statistic]
    frame["label"] = [
        piece
        or ("" if value is None else f"{value:.0f}" if statistic == "visits" else f"{value:.2f}")
        for piece, value in zip(frame["piece"], frame[statistic], strict=True)
    ]
    peak = max(1e-9, float(np.nanmax(np.abs(stats[statistic])))) if statistic != "q" else 1.0
    frame["dark"] = [  # white labels on the darkest colours
        value is not None and not piece and abs(value) / peak > 0.6
        for piece, value in zip(frame["piece"], frame[statistic], strict=True)
    ]
    size = 360 if not game.gravity else 420
    base = alt.Chart(frame).encode(
        x=alt.X("column:O", axis=None),
        y=alt.Y("row:O", axis=None),
    )
    domain = [-1, 1] if statistic == "q" else [0, max(1e-9, float(np.nanmax(stats[statistic])))]
    squares = base.mark_rect(stroke="#444", strokeWidth=2).encode(
        color=alt.condition(
            f"datum.{statistic} !== null",
            alt.Color(f"{statistic}:Q", scale=alt.Scale(scheme=scheme, domain=domain), title=title),
            alt.value("#f2f2f2"),
        ),
        tooltip=[
            alt.Tooltip("row:O"),
            alt.Tooltip("column:O"),
            alt.Tooltip("visits:Q", title="visits N"),
            alt.Tooltip("q:Q", title="value Q", format=".2f"),
            alt.Tooltip("prior:Q", title="prior P", format=".2f"),
        ],
    )
    labels = base.mark_text(fontSize=28 if not game.gravity else 18, fontWeight="bold").encode(
        text="label:N",
        color=alt.condition("datum.dark", alt.value("white"), alt.value("black")),
    )
    return (squares + labels).properties(
        width=size, height=size * game.rows / game.columns, title=f"{title} of each move"
    )


#: The per-iteration curves: history column → (label, group).
CURVES = {
    "optimal_move_rate": ("network alone", "optimal-move rate"),
    "search_optimal_move_rate": ("network + search", "optimal-move rate"),
    "losses_vs_perfect": ("lost to the perfect player", "share of games"),
    "draws_vs_perfect": ("drew with the perfect player", "share of games"),
    "wins_vs_random": ("beat the random player", "share of games"),
    "wins_vs_minimax": ("beat depth-2 minimax", "share of games"),
}


def iteration_frame(history: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The history as long rows: ``iteration``, ``curve``, ``group``, ``value``."""
    records = [
        {"iteration": row["epoch"], "curve": label, "group": group, "value": float(row[name])}
        for row in history
        for name, (label, group) in CURVES.items()
        if name in row
    ]
    return pd.DataFrame.from_records(records, columns=["iteration", "curve", "group", "value"])


def iteration_curves(
    history: Sequence[Mapping[str, Any]], group: str, *, reference: float | None = None
) -> alt.Chart:
    """One group of per-iteration curves (``"optimal-move rate"`` or ``"share of games"``)."""
    frame = iteration_frame(history)
    frame = frame[frame["group"] == group]
    lines = (
        alt.Chart(frame)
        .mark_line(point=len(history) < 40)
        .encode(
            x=alt.X("iteration:Q", title="iteration", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("value:Q", title=group, scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "curve:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=320)
            ),
            tooltip=["iteration:Q", "curve:N", alt.Tooltip("value:Q", format=".1%")],
        )
        .properties(height=260, title=group.capitalize() + " per iteration")
    )
    if reference is None:
        return lines
    rule = alt.Chart(pd.DataFrame({"value": [reference]})).mark_rule(strokeDash=[6, 4])
    return lines + rule.encode(y="value:Q")
