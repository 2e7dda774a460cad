"""The course map: the five chapters of the lecture and the page that teaches each.

The router registers a chapter's page only when its file exists, and Home lists a
chapter without a link until then: no placeholder pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    page: str  # path of the page file, relative to the repository root
    url_path: str
    icon: str  # a Material Symbols name, as st.Page expects it
    lecture: str  # what the lecture says, in one line
    activity: str  # what the student does on the page, in one sentence

    #: further pages of the chapter, each ``(page, url_path, title, icon)`` (e.g. AlphaZero)
    pages: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def available(self) -> bool:
        return (ROOT / self.page).is_file()

    @property
    def label(self) -> str:
        return f"{self.number} · {self.title}"


CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        1,
        "Fundamentals",
        "app_pages/fundamentals.py",
        "fundamentals",
        ":material/functions:",
        'A neural network is "just a function", learnt from data by backpropagation.',
        "Move sliders until a sum of sigmoids becomes sin(x), then let backpropagation find "
        "the weights and follow every derivative through a tiny network.",
    ),
    Chapter(
        2,
        "Deep supervised learning",
        "app_pages/deep_supervised_learning.py",
        "deep-supervised-learning",
        ":material/scatter_plot:",
        "From shallow to deep: optimisation, generalisation and overfitting.",
        "Train a network of your chosen depth on 2-D data and watch its decision boundary "
        "bend, its test loss turn up when it overfits, and dropout pull it back.",
    ),
    Chapter(
        3,
        "Deep convolutional networks",
        "app_pages/convolutional_networks.py",
        "convolutional-networks",
        ":material/image_search:",
        'ImageNet and AlexNet: "is there a cat in this picture?"',
        "Build and train a CNN, see which images it confuses and what its filters respond "
        "to, and test it on a digit you draw yourself.",
    ),
    Chapter(
        4,
        "Deep recurrent networks",
        "app_pages/recurrent_networks.py",
        "recurrent-networks",
        ":material/text_fields:",
        "Sequences and a hidden state carried from step to step.",
        "Train a character-level RNN, sample text from it at different temperatures, and "
        "watch single hidden units light up as they read.",
    ),
    Chapter(
        5,
        "Deep reinforcement learning",
        "app_pages/reinforcement_learning.py",
        "reinforcement-learning",
        ":material/sports_esports:",
        "An agent learns a policy from reward; AlphaGo and AlphaZero closed the loop.",
        "Try to balance a pole on a cart yourself, then watch a network learn a policy that "
        "beats you.",
        pages=(
            (
                "app_pages/alphazero.py",
                "alphazero",
                "5b · AlphaZero: learning a game by self-play",
                ":material/grid_on:",
            ),
        ),
    ),
)
