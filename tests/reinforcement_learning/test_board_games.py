"""The rules of tic-tac-toe and Connect Four, and reading boards from links."""

import numpy as np
import pytest

from course_lib.reinforcement_learning.board_games import (
    CONNECT_FOUR,
    TIC_TAC_TOE,
    O,
    X,
    parse_board,
)


def test_tic_tac_toe_turns_moves_and_a_win():
    game = TIC_TAC_TOE
    board = game.initial()
    assert game.to_move(board) == X and game.legal_moves(board) == list(range(9))
    for move in (0, 3, 1, 4):
        board = game.play(board, move)
    assert game.to_move(board) == X and game.winner(board) is None
    board = game.play(board, 2)
    assert game.winner(board) == X and game.legal_moves(board) == []
    with pytest.raises(ValueError, match="not legal"):
        game.play(board, 8)


def test_a_full_board_without_a_line_is_a_draw():
    board = parse_board(TIC_TAC_TOE, "xox xoo oxx")
    assert TIC_TAC_TOE.winner(board) == 0


def test_connect_four_pieces_fall_and_four_in_a_column_wins():
    game = CONNECT_FOUR
    board = game.initial()
    for move in (3, 4, 3, 4, 3, 4):
        board = game.play(board, move)
    assert board[5 * 7 + 3] == X and board[4 * 7 + 3] == X and board[5 * 7 + 4] == O
    assert game.winner(board) is None
    board = game.play(board, 3)
    assert game.winner(board) == X
    assert len(game.lines) == 69


def test_a_full_column_is_not_a_legal_move():
    game = CONNECT_FOUR
    board = game.initial()
    for _ in range(6):
        board = game.play(board, 0)
    assert 0 not in game.legal_moves(board) and len(game.legal_moves(board)) == 6


def test_planes_show_the_board_from_the_player_to_move():
    game = TIC_TAC_TOE
    board = game.play(game.initial(), 4)  # X in the centre, O to move
    planes = game.planes(board)
    assert planes.shape == (3, 3, 2)
    assert planes[1, 1, 1] == 1 and planes[..., 0].sum() == 0  # the centre is the opponent's


@pytest.mark.parametrize("game, count", [(TIC_TAC_TOE, 8), (CONNECT_FOUR, 2)])
def test_symmetries_map_boards_to_boards_with_the_same_winner(game, count):
    assert len(game.symmetries) == count
    rng = np.random.default_rng(0)
    board = game.initial()
    while not game.is_over(board):
        board = game.play(board, int(rng.choice(game.legal_moves(board))))
    for squares, moves in game.symmetries:
        image = tuple(np.asarray(board)[squares])
        assert game.winner(image) == game.winner(board)
        assert sorted(moves) == list(range(game.moves))


def test_the_tic_tac_toe_symmetries_are_the_8_of_the_square():
    images = {tuple(squares) for squares, _ in TIC_TAC_TOE.symmetries}
    assert len(images) == 8 and tuple(range(9)) in images


@pytest.mark.parametrize(
    "text, why",
    [
        ("xxx", "9 squares"),
        ("xxxxx-ooo", "as many pieces as O or one more"),
        ("xq-------", "only x, o and -"),
        ("xxxooo---", "both players have a line"),
        ("xxxoo-o--", "the game was already over"),
    ],
)
def test_impossible_tic_tac_toe_boards_are_refused_in_plain_words(text, why):
    with pytest.raises(ValueError, match=why):
        parse_board(TIC_TAC_TOE, text)


def test_a_floating_connect_four_piece_is_refused():
    text = "-" * 35 + "x" + "-" * 6
    assert parse_board(CONNECT_FOUR, text)[35] == X
    with pytest.raises(ValueError, match="floats"):
        parse_board(CONNECT_FOUR, "x" + "-" * 41)


def test_code_and_parse_round_trip():
    board = TIC_TAC_TOE.play(TIC_TAC_TOE.play(TIC_TAC_TOE.initial(), 4), 0)
    assert parse_board(TIC_TAC_TOE, TIC_TAC_TOE.code(board)) == board
