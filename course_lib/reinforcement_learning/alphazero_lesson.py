"""The AlphaZero lesson as data: the page's other knobs, the walkthrough, the quiz.

Each walkthrough step makes a claim about what the student will see; where it can be
checked, :data:`CLAIMS` holds a function that checks it (the tests call them all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from course_lib.classroom import Question, Step
from course_lib.reinforcement_learning import mcts, solver
from course_lib.reinforcement_learning.board_games import TIC_TAC_TOE, parse_board
from course_lib.settings import setting

NETWORKS = ("no network (uniform)", "pretrained network", "your network")
#: The position the search section opens on: O to move must block X's top row.
EXAMPLE_POSITION = "xx--o----"


#: The simulation counts the sliders offer: enough stops to see "more search, better move".
SIMULATION_STOPS = (1, 2, 5, 10, 25, 50, 100, 200, 400, 800, 2000)


@dataclass(frozen=True)
class SearchSettings:
    """The knobs of "search without learning": which guide, how long it thinks, where."""

    simulations: int = setting(
        50,
        minimum=1,
        maximum=2_000,
        stops=SIMULATION_STOPS,
        label="simulations",
        help="simulations of the search for this one move",
    )
    guide: str = setting(
        NETWORKS[0], choices=NETWORKS, help="what gives the priors P and values v to the search"
    )
    board: str = setting(
        EXAMPLE_POSITION, help="the position, row by row: x, o and - (a link may carry one)"
    )


@dataclass(frozen=True)
class PlaySettings:
    """The knobs of "play against it"."""

    first: str = setting("you", choices=("you", "the network"), help="who plays X and starts")
    simulations: int = setting(
        50,
        minimum=1,
        maximum=2_000,
        stops=SIMULATION_STOPS,
        label="its simulations",
        help="how many simulations it thinks per move",
    )
    opponent: str = setting(
        NETWORKS[1], choices=NETWORKS[1:], help="the pretrained network, or the one you trained"
    )


# -- the claims the walkthrough makes, checked ---------------------------------------------
def claim_perfect_play_draws() -> bool:
    """Tic-tac-toe has 4,520 positions to move in, and perfect play draws."""
    return len(solver.reachable_positions()) == 4520 and solver.value(TIC_TAC_TOE.initial()) == 0


def claim_a_random_network_scores_about_63_percent() -> bool:
    """An untrained network already picks an optimal move in well over half the positions."""
    from course_lib.reinforcement_learning.alphazero import NumpyNetwork, build_network

    rates = [
        solver.optimal_move_rate(NumpyNetwork.from_keras(TIC_TAC_TOE, model).policy)
        for model in (build_network(TIC_TAC_TOE, 64, 32, seed) for seed in (1, 2, 3))
    ]
    return all(0.5 < rate < 0.75 for rate in rates)


def claim_more_search_finds_the_block() -> bool:
    """Search alone (uniform priors, no learning) blocks X's row once it thinks enough."""
    board = parse_board(TIC_TAC_TOE, EXAMPLE_POSITION)
    evaluate = mcts.uniform_evaluator(TIC_TAC_TOE)
    root = mcts.search(TIC_TAC_TOE, board, evaluate, 800, 1.5)
    return int(np.nanargmax(mcts.root_statistics(TIC_TAC_TOE, root)["visits"])) == 2


def claim_the_arena_needs_55_percent() -> bool:
    """The new network replaces the best one after winning 55% of the decisive games."""
    from course_lib.reinforcement_learning.alphazero import arena_accepts

    return (
        arena_accepts({"wins": 11, "draws": 0, "losses": 9})
        and not arena_accepts({"wins": 10, "draws": 0, "losses": 10})
        and not arena_accepts({"wins": 0, "draws": 20, "losses": 0})
    )


def claim_the_pretrained_network_does_not_lose() -> bool:
    """The pretrained network with search never loses to the perfect player (20 games)."""
    from course_lib.reinforcement_learning.alphazero import (
        batch,
        load_network,
        match,
        search_player,
    )

    rng = np.random.default_rng(7)
    player = search_player(TIC_TAC_TOE, load_network(), 50, 1.5, rng)
    return match(TIC_TAC_TOE, player, batch(solver.perfect_player(rng)), 20)["losses"] == 0


WALKTHROUGH = (
    Step(
        "Rules only",
        "AlphaZero is told the rules and nothing else: where a piece may go, when a game "
        "is won. Section 1 shows them, and an exact solver that knows the value of every "
        "one of the 4,520 positions: with perfect play, tic-tac-toe is a draw. The solver "
        "only scores the learner; it never teaches it.",
        {},
    ),
    Step(
        "A random network",
        "Before any training the network's move probabilities are noise. Still, it picks "
        "an optimal move in about 60% of positions: early on, most moves keep the draw. "
        "The hard positions are the ones with one good move.",
        {"az_search_guide": NETWORKS[0]},
    ),
    Step(
        "Search without learning",
        "In section 2 the search runs with no network at all: equal priors, value 0. With "
        "5 simulations it wanders; slide to 800 and the visits pile onto the square that "
        "blocks X. More search → a better move, but slowly.",
        {"az_search_simulations": 800, "az_search_guide": NETWORKS[0]},
    ),
    Step(
        "Self-play: search teaches the network",
        "Press Start in section 3. The network plays itself, each move chosen by its search; "
        "it then learns to predict the search's visit counts and the final result. The "
        "optimal-move rate climbs from about 60% past 97% within a minute. Set random "
        "openings to 0 and train again: it plateaus lower, never having seen the positions "
        "that only bad play reaches.",
        {"arena": False, "simulations": 25, "iterations": 150},
    ),
    Step(
        "The arena: a frozen copy",
        "Switch the arena on and train again. Now a best network plays the self-play games "
        "and a newly trained one replaces it only after winning 55% of the decisive games "
        "between them (AlphaGo Zero). AlphaZero dropped this and always plays the latest.",
        {"arena": True},
    ),
    Step(
        "Play it",
        "In section 4, play against the pretrained network: it answers with its search "
        "and shows what it thought. You can draw; you cannot win.",
        {"az_play_opponent": NETWORKS[1], "az_play_simulations": 50},
    ),
)

CLAIMS: dict[str, Callable[[], bool]] = {
    "Rules only": claim_perfect_play_draws,
    "A random network": claim_a_random_network_scores_about_63_percent,
    "Search without learning": claim_more_search_finds_the_block,
    "The arena: a frozen copy": claim_the_arena_needs_55_percent,
    "Play it": claim_the_pretrained_network_does_not_lose,
}

QUIZ = (
    Question(
        "What does AlphaZero learn tic-tac-toe from?",
        (
            "Games of human experts",
            "The solver's best moves",
            "Games it plays against itself, knowing only the rules",
            "A table of all positions",
        ),
        2,
        "Only the rules and self-play. The solver on this page scores the network after "
        "each iteration; it never gives it a move.",
    ),
    Question(
        "In PUCT, Q + c·P·√N/(1+n), what makes the search try a move it has rarely visited?",
        ("Q", "The exploration term c·P·√N/(1+n)", "The Dirichlet noise only", "Nothing"),
        1,
        "The second term grows with the parent's visits N and shrinks with the move's own "
        "visits n, scaled by the network's prior P: liked-but-untried moves get their turn.",
    ),
    Question(
        "What is the network trained to predict?",
        (
            "The solver's value of the position",
            "The search's visit distribution and the game's final result",
            "The next move of the opponent",
            "The number of simulations needed",
        ),
        1,
        "Policy target: the visit counts π of its own search (better than its raw guess); "
        "value target: the outcome z of the game. The network becomes a memory of its searches.",
    ),
    Question(
        "Why is Dirichlet noise added at the root in self-play only?",
        (
            "To make the network forget",
            "So that self-play also explores moves the network dismisses",
            "To speed up the search",
            "Because the rules require it",
        ),
        1,
        "Without noise the network would only ever see the moves it already likes. "
        "Against you it plays without noise: its best.",
    ),
)
