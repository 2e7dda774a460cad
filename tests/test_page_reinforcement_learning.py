"""The reinforcement-learning page in AppTest: it renders, a human plays, an agent trains."""

from tests.conftest import app_page, run_training

PAGE = "app_pages/reinforcement_learning.py"


def test_the_page_renders_with_the_pretrained_policy():
    at = app_page(PAGE, timeout=180)
    assert not at.exception
    assert at.title[0].value.startswith("Deep reinforcement learning")
    assert at.radio(key="rl_watch").value == "pretrained agent"
    assert any("Return **500**" in m.value for m in at.markdown)
    assert at.button(key="rl_train_start").label == "Start"


def test_play_a_few_steps_then_a_new_episode_after_the_end():
    at = app_page(PAGE, timeout=180)
    at.button(key="rl_right").click().run()
    at.button(key="rl_right").click().run()
    game = at.session_state["rl_game"]
    assert game.episode_return == 2 and not game.done
    at.select_slider(key="rl_steps_per_press").set_value(5).run()
    for _ in range(40):
        if game.done:
            break
        at.button(key="rl_right").click().run()
    assert game.done and game.returns
    assert any("Episode over" in w.value for w in at.warning)
    at.button(key="rl_left").click().run()
    assert not game.done and 1 <= game.episode_return <= 5
    assert not at.exception


def test_train_briefly_then_watch_your_agent_and_compare_seeds():
    at = app_page(PAGE, timeout=180)
    at.slider(key="rl_updates").set_value(5).run()
    at.slider(key="rl_num_envs").set_value(4).run()
    at = run_training(at, "rl_train")
    assert not at.exception
    trainer = at.session_state["rl_trainer"][1]
    assert trainer.epochs_done == 5
    assert any("Finished: 5 updates" in s.value for s in at.success)
    at.radio(key="rl_watch").set_value("your agent").run()
    assert not at.exception
    assert at.slider(key="rl_frame").max >= 1
    at.slider(key="rl_seed_count").set_value(2).run()
    at.slider(key="rl_seed_updates").set_value(5).run()
    at.button(key="rl_seeds_run").click().run()
    assert not at.exception
    runs = at.session_state["rl_seeds"]
    assert sorted(runs["seed"].unique()) == [1, 2] and len(runs) == 10


def test_a_huge_learning_rate_is_stopped_with_an_explanation():
    at = app_page(PAGE, timeout=180)
    at.select_slider(key="rl_learning_rate").set_value(10.0).run()
    at.slider(key="rl_updates").set_value(20).run()
    at = run_training(at, "rl_train")
    assert not at.exception
    assert any("learning rate" in e.value for e in at.error)
    assert at.session_state["rl_trainer"][1].status == "diverged"
