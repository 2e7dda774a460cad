"""The chapter's charts: what a policy does, how the episode return grows, seed against seed.

Altair only; the data come from :mod:`course_lib.reinforcement_learning.cartpole` (states,
policies) and from a trainer's history (one row per update).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from course_lib.reinforcement_learning.cartpole import ACTIONS, SOLVED_RETURN


# -- what a policy learnt ----------------------------------------------------------------
def policy_heatmap(frame: pd.DataFrame, title: str = "") -> alt.Chart:
    """The grid from :func:`cartpole.policy_grid` as a heatmap (blue: push left, orange: right)."""
    from course_lib import charts

    return charts.heatmap(
        frame,
        x="pole angle (°)",
        y="angular velocity (rad/s)",
        value="P(push right)",
        domain=(0.0, 1.0),
        title=title,
        size=300,
    )


# -- charts of training ------------------------------------------------------------------
def returns_chart(
    history: Sequence[dict[str, Any]],
    *,
    random_mean: float,
    random_std: float,
    window: int = 10,
    x: str = "update",
    height: int = 320,
) -> alt.LayerChart:
    """Episode return per update: the mean with its min–max band, a moving average,
    the random policy's band (mean ± std) and the 475 "solved" line.

    ``history`` rows carry ``epoch`` (the update), ``episode_return``,
    ``episode_return_min`` and ``episode_return_max``.
    """
    frame = pd.DataFrame(
        {
            x: [row["epoch"] for row in history],
            "episode return": [row["episode_return"] for row in history],
            "min": [row.get("episode_return_min", row["episode_return"]) for row in history],
            "max": [row.get("episode_return_max", row["episode_return"]) for row in history],
        }
    )
    frame["moving average"] = frame["episode return"].rolling(window, min_periods=1).mean()
    last = int(frame[x].max()) if len(frame) else 1
    x_scale = alt.Scale(domain=[0, max(last, 5)], nice=False)
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:Q", title=x, scale=x_scale, axis=alt.Axis(tickMinStep=1))
    )
    band = base.mark_area(opacity=0.15, color="#0b5394").encode(
        y=alt.Y("min:Q", title="episode return", scale=alt.Scale(domain=[0, 510])),
        y2="max:Q",
        tooltip=[alt.Tooltip(f"{x}:Q"), alt.Tooltip("min:Q"), alt.Tooltip("max:Q")],
    )
    long = frame.melt(
        id_vars=[x], value_vars=["episode return", "moving average"], var_name="curve"
    )
    lines = (
        alt.Chart(long)
        # dots while there are few updates, so even the first one shows
        .mark_line(strokeWidth=3, point=alt.OverlayMarkDef(size=40) if last <= 60 else False)
        .encode(
            x=alt.X(f"{x}:Q", scale=x_scale),
            y=alt.Y("value:Q"),
            color=alt.Color(
                "curve:N",
                title=None,
                scale=alt.Scale(
                    domain=["episode return", "moving average"], range=["#6fa8dc", "#0b5394"]
                ),
                legend=alt.Legend(orient="top"),
            ),
            strokeWidth=alt.condition(
                alt.datum.curve == "moving average", alt.value(4), alt.value(2)
            ),
            tooltip=[
                alt.Tooltip(f"{x}:Q"),
                alt.Tooltip("curve:N"),
                alt.Tooltip("value:Q", format=".1f"),
            ],
        )
    )
    return alt.layer(
        _random_band(random_mean, random_std, last), band, lines, _solved_line()
    ).properties(height=height, title="Episode return per update")


def _random_band(mean: float, std: float, last: int) -> alt.LayerChart:
    data = pd.DataFrame({"low": [max(0.0, mean - std)], "high": [mean + std], "mean": [mean]})
    rect = (
        alt.Chart(data)
        .mark_rect(color="#999", opacity=0.25)
        .encode(
            y="low:Q",
            y2="high:Q",
            tooltip=[alt.Tooltip("mean:Q", title="random policy mean", format=".1f")],
        )
    )
    text = (
        alt.Chart(data)
        # at the left edge: a fixed x to the right would widen a chart in a narrow column
        # and squeeze its plot to a sliver
        .mark_text(align="left", dx=4, dy=-12, fontSize=15, color="#555")
        .encode(y="high:Q", x=alt.value(0), text=alt.value("random policy"))
    )
    return alt.layer(rect, text)


def _solved_line() -> alt.LayerChart:
    data = pd.DataFrame({"value": [SOLVED_RETURN], "label": ["solved: 475"]})
    rule = (
        alt.Chart(data)
        .mark_rule(strokeDash=[8, 5], strokeWidth=2, color="#38761d")
        .encode(y="value:Q", tooltip=["label:N"])
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, dy=-10, fontSize=15, color="#38761d")
        .encode(y="value:Q", x=alt.value(0), text="label:N")
    )
    return alt.layer(rule, text)


def seeds_chart(frame: pd.DataFrame, *, height: int = 340) -> alt.LayerChart:
    """Learning curves of the same settings on several seeds, one colour per seed.

    ``frame`` columns: ``seed``, ``update``, ``episode_return`` (the moving average is
    drawn, so the differences between seeds are not drowned in noise).
    """
    data = frame.copy()
    data["moving average"] = data.groupby("seed")["episode_return"].transform(
        lambda s: s.rolling(3, min_periods=1).mean()
    )
    data["seed"] = data["seed"].astype(str)
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("update:Q", title="update"),
            y=alt.Y(
                "moving average:Q",
                title="episode return (moving average)",
                scale=alt.Scale(domain=[0, 510]),
            ),
            color=alt.Color("seed:N", title="seed", legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("seed:N"),
                alt.Tooltip("update:Q"),
                alt.Tooltip("moving average:Q", format=".1f"),
            ],
        )
    )
    return alt.layer(lines, _solved_line()).properties(
        height=height, title="Same settings, different seeds"
    )


def probabilities_chart(probabilities: Sequence[float], action: int | None) -> alt.Chart:
    """P(left) and P(right) in one state as two bars; the action taken is outlined."""
    frame = pd.DataFrame(
        {
            "action": list(ACTIONS),
            "probability": [float(p) for p in probabilities],
            "taken": [action == 0, action == 1],
        }
    )
    return (
        alt.Chart(frame, title="The policy in this state")
        .mark_bar(stroke="#222")
        .encode(
            y=alt.Y("action:N", title=None, sort=list(ACTIONS)),
            x=alt.X("probability:Q", title="probability", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "action:N",
                legend=None,
                scale=alt.Scale(domain=list(ACTIONS), range=["#0b5394", "#e69138"]),
            ),
            strokeWidth=alt.condition(alt.datum.taken, alt.value(3), alt.value(0)),
            tooltip=[alt.Tooltip("action:N"), alt.Tooltip("probability:Q", format=".3f")],
        )
        .properties(height=140)
    )
