"""The tic-tac-toe solver and the simple players that score the learner."""

import numpy as np

from course_lib.reinforcement_learning import solver
from course_lib.reinforcement_learning.board_games import CONNECT_FOUR, TIC_TAC_TOE, parse_board


def test_there_are_4520_positions_to_move_in():
    positions = solver.reachable_positions()
    assert len(positions) == solver.POSITION_COUNT == 4520
    assert all(not TIC_TAC_TOE.is_over(board) for board in positions)


def test_known_values():
    assert solver.value(TIC_TAC_TOE.initial()) == 0  # perfect play draws
    # X (to move) has two in a row on top: it wins by completing it
    board = parse_board(TIC_TAC_TOE, "xx- oo- ---")
    assert solver.value(board) == 1 and solver.optimal_moves(board) == {2}
    # O to move must block X's top row, and then the game is a draw
    board = parse_board(TIC_TAC_TOE, "xx- -o- ---")
    assert solver.optimal_moves(board) == {2} and solver.value(board) == 0
    # every first move keeps the draw
    assert solver.optimal_moves(TIC_TAC_TOE.initial()) == frozenset(range(9))


def test_a_corner_answered_off_centre_loses():
    board = parse_board(TIC_TAC_TOE, "x-- -o- ---")
    assert solver.value(board) == 0
    assert solver.value(parse_board(TIC_TAC_TOE, "xo- --- ---")) == 1  # X to move wins


def test_the_optimal_move_rate_of_a_perfect_and_a_random_policy():
    def perfect(boards):
        scores = np.zeros((len(boards), 9))
        for i, board in enumerate(boards):
            scores[i, min(solver.optimal_moves(board))] = 1
        return scores

    assert solver.optimal_move_rate(perfect) == 1.0
    rng = np.random.default_rng(0)
    rate = solver.optimal_move_rate(lambda boards: rng.random((len(boards), 9)))
    assert 0.5 < rate < 0.7  # many positions have several best moves


def test_the_perfect_player_never_loses_to_random():
    rng = np.random.default_rng(1)
    perfect, random = solver.perfect_player(rng), solver.random_player(TIC_TAC_TOE, rng)
    game = TIC_TAC_TOE
    for start in range(20):
        board, players = game.initial(), (perfect, random) if start % 2 else (random, perfect)
        while not game.is_over(board):
            board = game.play(board, players[len([p for p in board if p]) % 2](board))
        perfect_side = 1 if start % 2 else -1
        assert game.winner(board) in (0, perfect_side)


def test_depth_two_minimax_takes_a_win_and_blocks_one():
    game, rng = CONNECT_FOUR, np.random.default_rng(0)
    player = solver.minimax_player(game, 2, rng)
    # X has three in the bottom row (columns 0-2), X to move: it wins in column 3
    board = game.initial()
    for move in (0, 0, 1, 1, 2, 2):
        board = game.play(board, move)
    assert player(board) == 3
    # now O to move must block column 3
    board = game.initial()
    for move in (0, 0, 1, 1, 2):
        board = game.play(board, move)
    assert player(board) == 3
