"""Deep learning in the AI cosmos: the first lecture's map, milestones and scale.

Data and chart builders for the Home page. No TensorFlow here: Home must open fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from course_lib import charts


@dataclass(frozen=True)
class Field:
    name: str
    definition: str


#: Each field contains the next one: AI ⊃ machine learning ⊃ deep learning.
FIELDS: tuple[Field, ...] = (
    Field("Artificial intelligence", "the automated reproduction of human cognitive activities"),
    Field(
        "Machine learning",
        "the automated extraction of generalized knowledge from data and experience",
    ),
    Field(
        "Deep learning",
        "the automated extraction of generalized knowledge from data and experience, "
        "using multi-layered representations",
    ),
)


@dataclass(frozen=True)
class Milestone:
    year: int
    name: str
    what: str
    chapter: int  # the course chapter it belongs to


#: ImageNet as the lecture counts it (AlexNet's 2012 challenge), quoted by every page.
IMAGENET_IMAGES = "about 1.46 million"
IMAGENET_CLASSES = 1000

#: One source for the dates and sizes every page quotes, as the lecture gives them.
MILESTONES: tuple[Milestone, ...] = (
    Milestone(
        2012,
        "AlexNet",
        f"A deep convolutional network wins ImageNet ({IMAGENET_IMAGES} images, "
        f"{IMAGENET_CLASSES} classes) by a wide margin: the start of the deep learning era.",
        3,
    ),
    Milestone(
        2016,
        "AlphaGo",
        "Monte Carlo tree search guided by deep networks trained on human games, then "
        "self-play, beats Lee Sedol 4–1 at Go.",
        5,
    ),
    Milestone(
        2018,
        "AlphaZero",
        "Learns chess, shogi and Go by self-play from the rules alone, with no human games.",
        5,
    ),
    Milestone(
        2020,
        "AlphaFold",
        "Predicts the 3-D structure of proteins from their amino-acid sequence with "
        "near-experimental accuracy.",
        2,
    ),
    Milestone(
        2020,
        "GPT-3",
        "A 175-billion-parameter language model writes text and solves tasks from a few "
        "examples in its prompt.",
        4,
    ),
)

#: Trainable parameters of well-known networks (as reported in their papers).
PARAMETER_COUNTS: tuple[tuple[str, int, float], ...] = (
    ("LeNet-5", 1998, 6.0e4),
    ("AlexNet", 2012, 6.0e7),
    ("VGG-16", 2014, 1.38e8),
    ("ResNet-50", 2015, 2.56e7),
    ("BERT-Large", 2018, 3.4e8),
    ("GPT-2", 2019, 1.5e9),
    ("GPT-3", 2020, 1.75e11),
)


def milestone(name: str) -> Milestone:
    """The milestone called ``name`` (pages quote its year from here, never by hand)."""
    return next(m for m in MILESTONES if m.name == name)


def nested_fields_chart() -> alt.LayerChart:
    """AI ⊃ ML ⊃ DL as nested rounded regions (hover one for its definition)."""
    regions = pd.DataFrame(
        {
            "field": [f.name for f in FIELDS],
            "definition": [f.definition for f in FIELDS],
            "x0": [0, 6, 12],
            "x1": [100, 94, 88],
            "y0": [0, 6, 12],
            "y1": [100, 68, 36],
            "label_y": [91, 59, 27],
        }
    )
    colours = alt.Scale(domain=[f.name for f in FIELDS], range=["#dbe7f5", "#9fc2e7", "#0b5394"])
    area = (
        alt.Chart(regions)
        .mark_rect(cornerRadius=28, stroke="#0b5394", strokeWidth=2)
        .encode(
            x=alt.X("x0:Q", axis=None, scale=alt.Scale(domain=[0, 100])),
            x2="x1:Q",
            y=alt.Y("y0:Q", axis=None, scale=alt.Scale(domain=[0, 100])),
            y2="y1:Q",
            color=alt.Color("field:N", scale=colours, legend=None),
            tooltip=[alt.Tooltip("field:N"), alt.Tooltip("definition:N")],
        )
    )
    names = (
        alt.Chart(regions)
        .mark_text(align="left", fontSize=22, fontWeight="bold", dx=12)
        .encode(
            x="x0:Q",
            y="label_y:Q",
            text="field:N",
            color=alt.condition(
                alt.datum.field == "Deep learning", alt.value("white"), alt.value("#0b2545")
            ),
        )
    )
    return alt.layer(area, names).properties(height=340, width="container")


def milestones_frame() -> pd.DataFrame:
    """One row per milestone, with ``lane`` (+1 above / -1 below the axis) for drawing."""
    frame = pd.DataFrame([m.__dict__ for m in MILESTONES])
    # two milestones share 2020: alternate the labels above and below so none hides another
    frame["lane"] = [1 if i % 2 == 0 else -1 for i in range(len(frame))]
    frame["axis"] = 0
    frame["label_y"] = frame["lane"] * 1.3
    frame["year_label"] = frame["year"].astype(str)
    return frame


def timeline_chart() -> alt.LayerChart:
    """The milestones on a time axis; hover a dot for what happened."""
    frame = milestones_frame()
    x = alt.X(
        "year:Q",
        title=None,
        scale=alt.Scale(domain=[2011, 2021.3]),
        axis=alt.Axis(format="d", values=list(range(2011, 2022)), labelFontSize=15),
    )
    y = alt.Y("axis:Q", axis=None, scale=alt.Scale(domain=[-1.9, 1.9]))
    tooltip = [
        alt.Tooltip("name:N"),
        alt.Tooltip("year_label:N", title="year"),
        alt.Tooltip("what:N"),
    ]
    base = alt.Chart(frame)
    stems = base.mark_rule(strokeWidth=2, color="#888").encode(x=x, y=y, y2="label_y:Q")
    dots = base.mark_circle(size=320, color="#e69138", opacity=1).encode(x=x, y=y, tooltip=tooltip)
    labels = base.mark_text(fontSize=19, fontWeight="bold", baseline="middle").encode(
        x=x,
        y=alt.Y("label_y:Q", axis=None, scale=alt.Scale(domain=[-1.9, 1.9])),
        text="name:N",
        tooltip=tooltip,
    )
    return alt.layer(stems, dots, labels).properties(height=220)


def parameter_counts_frame() -> pd.DataFrame:
    return pd.DataFrame(PARAMETER_COUNTS, columns=["network", "year", "parameters"])


def in_words(count: float) -> str:
    """A parameter count for people: ``6e7`` → ``"60 million"``."""
    for size, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if count >= size:
            return f"{count / size:.3g} {word}"
    return f"{count:.0f}"


def parameter_chart() -> alt.Chart:
    """Parameter counts on a log scale: GPT-3 has about 3000× AlexNet's."""
    frame = parameter_counts_frame()
    frame["label"] = frame["network"] + " (" + frame["year"].astype(str) + ")"
    frame["in_words"] = frame["parameters"].map(in_words)
    chart = charts.bar_chart(
        frame,
        category="label",
        value="parameters",
        value_title="trainable parameters (log scale)",
        sort_descending=False,
        log_scale=True,
        height=300,
    )
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=6, fontSize=15)
        .encode(
            y=alt.Y("label:N", sort=None),
            x=alt.X("parameters:Q", scale=alt.Scale(type="log")),
            text="in_words:N",
        )
    )
    return alt.layer(chart, text)
