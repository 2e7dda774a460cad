"""AlphaZero: the network, its numpy copy, self-play, training, the arena, the budget."""

import dataclasses

import numpy as np
import pytest

from course_lib.reinforcement_learning import alphazero, solver
from course_lib.reinforcement_learning.alphazero import AlphaZeroSettings
from course_lib.reinforcement_learning.board_games import CONNECT_FOUR, TIC_TAC_TOE
from course_lib.settings import validate

SMALL = AlphaZeroSettings(
    games_per_iteration=8, simulations=10, evaluation_games=2, train_steps=16, iterations=3
)


@pytest.mark.parametrize("game", [TIC_TAC_TOE, CONNECT_FOUR])
def test_the_numpy_copy_computes_what_keras_computes(game):
    model = alphazero.build_network(game, 16, 8, seed=3)
    network = alphazero.NumpyNetwork.from_keras(game, model)
    rng = np.random.default_rng(0)
    boards, board = [], game.initial()
    for _ in range(5):
        board = game.play(board, int(rng.choice(game.legal_moves(board))))
        boards.append(board)
    planes = np.stack([game.planes(b) for b in boards])
    logits, value = model(planes)
    mine_logits, mine_value = network.forward(planes)
    np.testing.assert_allclose(mine_logits, np.asarray(logits), atol=1e-5)
    np.testing.assert_allclose(mine_value, np.asarray(value)[:, 0], atol=1e-5)
    priors, _ = network(boards)
    np.testing.assert_allclose(priors.sum(axis=1), 1.0, rtol=1e-6)


def test_the_same_seed_gives_the_same_network():
    a = alphazero.build_network(TIC_TAC_TOE, 16, 8, seed=5).get_weights()
    b = alphazero.build_network(TIC_TAC_TOE, 16, 8, seed=5).get_weights()
    c = alphazero.build_network(TIC_TAC_TOE, 16, 8, seed=6).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


def test_self_play_records_every_position_in_its_symmetries():
    game = TIC_TAC_TOE
    network = alphazero.NumpyNetwork.from_keras(game, alphazero.build_network(game, 16, 8, 1))
    rng = np.random.default_rng(0)
    planes, pi, z = alphazero.self_play(game, network, 3, 8, 1.5, 0.6, 0.25, 9, rng)
    assert len(planes) == len(pi) == len(z) and len(planes) % 8 == 0
    assert planes.shape[1:] == (3, 3, 2)
    np.testing.assert_allclose(pi.sum(axis=1), 1.0, atol=1e-6)
    assert set(np.unique(z)) <= {-1.0, 0.0, 1.0}
    # the policy target never points at an occupied square
    occupied = planes.sum(axis=-1).reshape(len(planes), 9) > 0
    assert (pi[occupied] == 0).all()


def test_symmetries_move_the_policy_with_the_board():
    game = TIC_TAC_TOE
    board = game.play(game.initial(), 0)  # X in the top-left corner
    planes = game.planes(board)[None]
    pi = np.zeros((1, 9), np.float32)
    pi[0, 8] = 1  # O answers in the opposite corner
    all_planes, all_pi, _ = alphazero.with_symmetries(game, planes, pi, np.zeros(1, np.float32))
    for p, target in zip(all_planes, all_pi, strict=True):
        corner = int(np.flatnonzero(p[..., 1].ravel())[0])
        assert target[8 - corner] == 1  # still the corner opposite X's


def test_a_short_seeded_run_improves_the_optimal_move_rate():
    trainer = alphazero.AlphaZeroTrainer(dataclasses.replace(SMALL, iterations=12))
    before = solver.optimal_move_rate(trainer.network.policy)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(max_seconds=30)
    assert trainer.epochs_done == 12 and trainer.status == "finished"
    after = trainer.history[-1]["optimal_move_rate"]
    assert after > before + 0.05
    assert [row["epoch"] for row in trainer.history] == list(range(1, 13))
    row = trainer.history[-1]
    for key in ("search_optimal_move_rate", "losses_vs_perfect", "wins_vs_random", "policy_loss"):
        assert key in row


def test_reset_gives_the_same_start_again():
    trainer = alphazero.AlphaZeroTrainer(SMALL)
    first = [w.copy() for w in trainer.network.weights["dense_0"]]
    trainer.step()
    assert not np.array_equal(trainer.network.weights["dense_0"][0], first[0])
    trainer.reset()
    assert np.array_equal(trainer.network.weights["dense_0"][0], first[0])
    assert trainer.history == [] and trainer.generation == 0


def test_the_arena_keeps_the_best_network_until_a_new_one_wins():
    trainer = alphazero.AlphaZeroTrainer(dataclasses.replace(SMALL, arena=True, arena_games=6))
    assert trainer.playing.startswith("the best network (generation 0)")
    rows = trainer.step() + trainer.step()
    for row in rows:
        assert isinstance(row["replaced"], bool) and 0 <= row["arena_win_share"] <= 1
    assert trainer.generation == sum(row["replaced"] for row in trainer.history)
    if not trainer.history[-1]["replaced"] and not trainer.history[0]["replaced"]:
        assert trainer.network is trainer.best and trainer.best is not trainer.latest


def test_arena_rule():
    assert alphazero.arena_accepts({"wins": 11, "draws": 5, "losses": 9})
    assert not alphazero.arena_accepts({"wins": 10, "draws": 0, "losses": 10})
    assert not alphazero.arena_accepts({"wins": 0, "draws": 20, "losses": 0})


def test_connect_four_trains_one_iteration():
    settings = dataclasses.replace(
        alphazero.CONNECT_FOUR_SETTINGS, games_per_iteration=2, simulations=4,
        evaluation_games=2, train_steps=2, hidden_units=16, filters=4,
    )  # fmt: skip
    trainer = alphazero.AlphaZeroTrainer(settings)
    (row,) = trainer.step()
    assert 0 <= row["wins_vs_random"] <= 1 and 0 <= row["wins_vs_minimax"] <= 1
    assert "optimal_move_rate" not in row


def test_the_budget_refuses_absurd_settings_and_names_the_knob():
    assert alphazero.budget_refusal(AlphaZeroSettings()) is None
    assert alphazero.budget_refusal(alphazero.CONNECT_FOUR_SETTINGS) is None
    message = alphazero.budget_refusal(AlphaZeroSettings(simulations=10_000))
    assert message.startswith("10,000 simulations") and "lower simulations to" in message
    message = alphazero.budget_refusal(AlphaZeroSettings(hidden_units=4096, replay_iterations=500))
    assert message is not None and "hidden units" in message
    seconds, memory = alphazero.estimate_cost(AlphaZeroSettings())
    assert 0 < seconds < 5 and 0 < memory < 50 * 2**20


def test_defaults_are_valid():
    validate(AlphaZeroSettings())
    validate(alphazero.CONNECT_FOUR_SETTINGS)


def test_save_and_load_round_trip(tmp_path):
    network = alphazero.NumpyNetwork.from_keras(
        TIC_TAC_TOE, alphazero.build_network(TIC_TAC_TOE, 16, 8, 1)
    )
    path = tmp_path / "net.npz"
    alphazero.save_network(network, path, {"made_by": "test"})
    loaded = alphazero.load_network(path)
    boards = list(solver.reachable_positions()[:20])
    np.testing.assert_array_equal(loaded.policy(boards), network.policy(boards))
    assert path.with_suffix(".json").is_file()
