"""The AlphaZero page in AppTest: it renders, searches, trains briefly, plays a game."""

from tests.conftest import app_page, run_training

PAGE = "app_pages/alphazero.py"


def test_the_page_renders_with_the_search_and_the_pretrained_opponent():
    at = app_page(PAGE, timeout=180)
    assert not at.exception
    assert at.title[0].value.startswith("AlphaZero")
    assert at.button(key="az_train_start").label == "Start"
    assert (
        any("Most visited: square **2**" in m.value for m in at.markdown)
        or at.session_state["az_search_simulations"] < 400
    )


def test_more_simulations_move_the_search_to_the_block():
    at = app_page(PAGE, timeout=180)
    at.select_slider(key="az_search_simulations").set_value(800).run()
    assert not at.exception
    assert any(
        "Most visited: square **2**" in m.value and "an optimal move" in m.value
        for m in at.markdown
    )


def test_an_impossible_board_in_the_link_gets_a_notice():
    at = app_page(PAGE, timeout=180, query={"az_search_board": "xxxxxxxxx"})
    assert not at.exception
    assert any("cannot happen" in w.value for w in at.warning)


def test_absurd_settings_are_refused_with_the_knob():
    at = app_page(PAGE, timeout=180, query={"az_simulations": "10000"})
    assert not at.exception
    assert any("lower simulations to" in e.value for e in at.error)


def test_train_briefly_then_play_by_clicking():
    at = app_page(PAGE, timeout=180)
    at.number_input(key="az_iterations").set_value(2).run()
    at.number_input(key="az_games_per_iteration").set_value(4).run()
    at = run_training(at, "az_train")
    assert not at.exception
    trainer = at.session_state["az_trainer"][1]
    assert trainer.epochs_done == 2
    assert any("Finished: 2 iterations" in s.value for s in at.success)
    # play: you start as X in the centre; the network answers at once
    at.button(key="az_play_cell_4").click().run()
    game = at.session_state["az_play_game"]
    assert game.board[4] == 1 and sum(1 for p in game.board if p) == 2
    taken = next(i for i, p in enumerate(game.board) if p == -1)
    at.button(key=f"az_play_cell_{taken}").click().run()
    assert any("That square is taken" in w.value for w in at.warning)
    for _ in range(5):
        if game.over:
            break
        free = next(i for i, p in enumerate(game.board) if p == 0)
        at.button(key=f"az_play_cell_{free}").click().run()
    assert game.over and game.result() in ("A draw", "It won")
    at.button(key="az_play_cell_0").click().run()
    assert any("The game is over" in w.value for w in at.warning)
    assert not at.exception
