"""Monte Carlo Tree Search: PUCT selection, expansion, back-up, noise at the root only."""

import numpy as np
import pytest

from course_lib.reinforcement_learning import mcts
from course_lib.reinforcement_learning.board_games import CONNECT_FOUR, TIC_TAC_TOE, parse_board


def test_search_finds_a_mate_in_one_with_a_uniform_prior():
    board = parse_board(TIC_TAC_TOE, "xx- oo- ---")  # X to move wins at 2
    root = mcts.search(TIC_TAC_TOE, board, mcts.uniform_evaluator(TIC_TAC_TOE), 100, 1.5)
    stats = mcts.root_statistics(TIC_TAC_TOE, root)
    assert np.nanargmax(stats["visits"]) == 2
    assert stats["q"][2] == 1.0


def test_search_blocks_a_mate_in_one():
    board = parse_board(TIC_TAC_TOE, "xx- -o- ---")  # O to move must block at 2
    root = mcts.search(TIC_TAC_TOE, board, mcts.uniform_evaluator(TIC_TAC_TOE), 400, 1.5)
    assert np.nanargmax(mcts.root_statistics(TIC_TAC_TOE, root)["visits"]) == 2


@pytest.mark.parametrize("game", [TIC_TAC_TOE, CONNECT_FOUR])
@pytest.mark.parametrize("simulations", [1, 7, 60])
def test_visit_counts_sum_to_the_simulations(game, simulations):
    root = mcts.search(game, game.initial(), mcts.uniform_evaluator(game), simulations, 1.5)
    stats = mcts.root_statistics(game, root)
    assert np.nansum(stats["visits"]) == simulations == root.visits
    assert mcts.visit_distribution(game, root).sum() == pytest.approx(1.0)


def test_dirichlet_noise_changes_the_root_priors_only():
    game = TIC_TAC_TOE
    rng = np.random.default_rng(0)
    root = mcts.search(
        game, game.initial(), mcts.uniform_evaluator(game), 200, 1.5,
        dirichlet_alpha=0.3, noise_fraction=0.25, rng=rng,
    )  # fmt: skip
    root_priors = [child.prior for child in root.children]
    assert sum(root_priors) == pytest.approx(1.0)
    assert np.std(root_priors) > 0.01  # uniform no more
    stack = [child for child in root.children]
    while stack:
        node = stack.pop()
        for child in node.children:
            assert child.prior == pytest.approx(1 / len(node.children))
            stack.append(child)


def test_select_follows_the_puct_formula():
    game = TIC_TAC_TOE
    root = mcts.Node(game.initial(), None, 1.0)
    mcts.expand(game, root, np.full(9, 1 / 9))
    a, b = root.children[0], root.children[1]
    a.visits, a.value_sum = 10, 5.0  # Q = 0.5, visited a lot
    b.prior = 0.5  # an unvisited move the network likes
    root.visits = 10
    assert mcts.select_child(root, c_puct=1.5) is b  # 1.5·0.5·√10 ≈ 2.4 > 0.5 + 0.04
    assert mcts.select_child(root, c_puct=0.01) is a  # almost no exploration: Q wins


def test_backup_flips_the_sign_at_each_level():
    game = TIC_TAC_TOE
    path = [mcts.Node(game.initial(), None, 1.0) for _ in range(3)]
    mcts.backup(path, 1.0)  # good for the player to move at the leaf
    assert [n.value_sum for n in path] == [-1.0, 1.0, -1.0]
    assert all(n.visits == 1 for n in path)


def test_many_trees_side_by_side_match_one_at_a_time():
    game = TIC_TAC_TOE
    boards = [game.initial(), parse_board(game, "xx- oo- ---"), parse_board(game, "x-- -o- ---")]
    evaluate = mcts.uniform_evaluator(game)
    together = mcts.search_many(game, boards, evaluate, 50, 1.5)
    for board, root in zip(boards, together, strict=True):
        alone = mcts.search(game, board, evaluate, 50, 1.5)
        assert [c.visits for c in alone.children] == [c.visits for c in root.children]


def test_a_finished_game_has_no_moves_to_search():
    board = parse_board(TIC_TAC_TOE, "xxx oo- ---")
    root = mcts.search(TIC_TAC_TOE, board, mcts.uniform_evaluator(TIC_TAC_TOE), 10, 1.5)
    assert root.children == [] and mcts.visit_distribution(TIC_TAC_TOE, root).sum() == 0
