"""The reinforcement-learning page in AppTest: it renders, a human plays, an agent trains."""

import numpy as np

from app_pages.reinforcement_learning_sections import train_an_agent, watch_it_balance
from course_lib.reinforcement_learning import cartpole, lesson
from tests.conftest import app_page, link_notices, run_training

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
    notebook, log, model = at.get("download_button")
    assert not notebook.proto.disabled  # the notebook: any time
    assert log.proto.disabled and model.proto.disabled  # nothing trained yet
    at.slider(key="rl_updates").set_value(5).run()
    at.slider(key="rl_num_envs").set_value(4).run()
    at = run_training(at, "rl_train")
    assert not at.exception
    trainer = at.session_state["rl_trainer"][1]
    assert trainer.epochs_done == 5
    assert any("Finished: 5 updates" in s.value for s in at.success)
    assert [b.proto.disabled for b in at.get("download_button")] == [False, False, False]
    at.radio(key="rl_watch").set_value("your agent").run()
    assert not at.exception
    assert at.slider(key="rl_frame").max >= 1
    at.slider(key="rl_seed_count").set_value(2).run()
    at.slider(key="rl_seed_updates").set_value(5).run()
    at = run_training(at, "rl_seeds")  # the sweep trains a chunk at a time, like section 3
    assert not at.exception
    runs = at.session_state["rl_sweep"][1].runs()
    assert sorted(runs["seed"].unique()) == [1, 2] and len(runs) == 10


def test_a_huge_learning_rate_is_stopped_with_an_explanation():
    at = app_page(PAGE, timeout=180)
    at.select_slider(key="rl_learning_rate").set_value(10.0).run()
    at.slider(key="rl_updates").set_value(20).run()
    at = run_training(at, "rl_train")
    assert not at.exception
    assert any("learning rate" in e.value for e in at.error)
    assert at.session_state["rl_trainer"][1].status == "diverged"


# -- the classroom: shared links, the walkthrough, the quiz, downloads ----------------------
def test_a_shared_link_sets_the_training_widgets_and_stays_in_the_url():
    query = {
        "rl_algorithm": "REINFORCE",
        "rl_hidden_units": "32",
        "rl_gamma": "0.95",
        "rl_entropy_coef": "0.01",
        "rl_learning_rate": "0.005",  # a valid rate the slider does not offer
    }
    at = app_page(PAGE, timeout=180, query=query)
    assert not at.exception
    assert at.radio(key="rl_algorithm").value == "REINFORCE"
    assert at.slider(key="rl_hidden_units").value == 32
    assert at.slider(key="rl_gamma").value == 0.95
    assert at.slider(key="rl_entropy_coef").value == 0.01
    assert at.select_slider(key="rl_learning_rate").value == 3e-3
    assert any(
        "learning_rate = 0.005 is not a stop of its slider" in notice and "0.003" in notice
        for notice in link_notices(at)
    )
    settings = at.session_state["rl_trainer"][0]
    assert (settings.algorithm, settings.hidden_units, settings.gamma) == ("REINFORCE", 32, 0.95)
    assert at.query_params["rl_hidden_units"] == "32"
    assert "rl_learning_rate" not in at.query_params  # 3e-3 is the default


def test_hand_edited_link_values_are_ignored_with_a_notice():
    query = {"rl_hidden_units": "1e99", "rl_algorithm": "<script>alert(1)</script>"}
    at = app_page(PAGE, timeout=180, query={**query, "rl_seed": "abc", "rl_nonsense": "3"})
    assert not at.exception
    warnings = " ".join(link_notices(at))
    assert "Ignored hidden_units" in warnings and "Ignored algorithm" in warnings
    assert "Ignored seed" in warnings
    assert at.slider(key="rl_hidden_units").value == 64
    assert at.radio(key="rl_algorithm").value == "PPO"
    assert at.number_input(key="rl_seed").value == 1


def widget_value(at, field: str):
    """The value of the widget for one field of AgentSettings."""
    key = f"rl_{field}"
    if field == "algorithm":
        return at.radio(key=key).value
    if field == "learning_rate":
        return at.select_slider(key=key).value
    if field == "seed":
        return at.number_input(key=key).value
    return at.slider(key=key).value


def assert_preset(at, step: int) -> None:
    assert any(f"Step {step + 1} of" in m.value for m in at.markdown)
    preset = lesson.WALKTHROUGH[step].preset
    assert {name: widget_value(at, name) for name in preset} == preset
    settings = at.session_state["rl_trainer"][0]  # and the trainer follows the widgets
    assert {name: getattr(settings, name) for name in preset} == preset


def test_the_walkthrough_moves_the_widgets_to_each_steps_preset():
    at = app_page(PAGE, timeout=180)
    at.toggle(key="rl_walk_on").set_value(True).run()
    at.button(key="rl_walk_begin").click().run()
    assert_preset(at, 0)
    at.button(key="rl_walk_next").click().run()
    assert_preset(at, 1)
    at.slider(key="rl_hidden_units").set_value(16).run()  # the controls stay live
    at.button(key="rl_walk_next").click().run()
    assert_preset(at, 2)
    assert widget_value(at, "algorithm") == "REINFORCE"
    # not in this preset: back to its default (a preset is a complete experiment)
    assert widget_value(at, "hidden_units") == 64
    at.button(key="rl_walk_back").click().run()
    assert_preset(at, 1)
    assert widget_value(at, "algorithm") == "PPO" and widget_value(at, "hidden_units") == 64
    assert not at.exception


def test_the_quiz_gives_feedback():
    at = app_page(PAGE, timeout=180)
    at.radio(key="rl_quiz_q0").set_value(lesson.QUIZ[0].answer).run()
    assert any(s.value.startswith("Right.") for s in at.success)
    wrong = (lesson.QUIZ[1].answer + 1) % len(lesson.QUIZ[1].options)
    at.radio(key="rl_quiz_q1").set_value(wrong).run()
    assert any(e.value.startswith("Not quite.") for e in at.error)
    assert any("1 of 4 right so far" in c.value for c in at.caption)
    assert not at.exception


def test_every_setting_of_the_page_survives_a_shared_link():
    import dataclasses

    from app_pages.reinforcement_learning_sections import EXPERIMENTS
    from course_lib.settings import bounds, to_query_params
    from course_lib.ui import Controls

    controls = Controls(EXPERIMENTS)
    assert len(controls.fields()) == sum(len(dataclasses.fields(c)) for c in EXPERIMENTS)
    for settings_class, prefix in EXPERIMENTS.items():
        for field in dataclasses.fields(settings_class):
            limits = bounds(settings_class, field.name)
            offered = limits.choices or limits.stops or (limits.minimum, limits.maximum)
            value = next(v for v in offered if v != field.default)
            value = type(field.default)(value)
            settings = dataclasses.replace(settings_class(), **{field.name: value})
            values, notices = controls.read_link(to_query_params(settings, prefix))
            assert (values, notices) == ({prefix + field.name: value}, []), field.name


# -- the page's own facts: captions and the frame slider --------------------------------
def episode_of(steps: int, *, terminated: bool) -> cartpole.Episode:
    return cartpole.Episode(
        states=np.zeros((steps + 1, 4)),
        actions=np.zeros(steps, dtype=int),
        probabilities=np.full((steps, 2), 0.5),
        terminated=terminated,
    )


def test_the_episode_summary_says_the_return_and_why_it_ended():
    fell = watch_it_balance.episode_summary(episode_of(37, terminated=True))
    assert fell.startswith("Return **37** (ended at the pole fell or the cart left the track)")
    assert "(ended at 500 steps)" in watch_it_balance.episode_summary(
        episode_of(500, terminated=False)
    )


def test_the_frame_slider_covers_every_action_and_keeps_two_positions():
    assert watch_it_balance.frame_slider_end(episode_of(500, terminated=False)) == 499
    one_step = episode_of(1, terminated=True)
    assert watch_it_balance.frame_slider_end(one_step) == 1  # a slider needs a start and an end
    assert watch_it_balance.frame_to_show(one_step, 1) == 0  # …but only step 0 has an action
    assert watch_it_balance.frame_to_show(episode_of(10, terminated=True), 4) == 4


def test_the_returns_caption_counts_the_environment_steps():
    history = [{"env_steps": 1024}, {"env_steps": 12_288}]
    caption = train_an_agent.returns_caption(history)
    assert caption.startswith("12,288 environment steps so far.")
    assert "moving average over 10 updates" in caption


def test_a_held_key_pushes_for_the_time_held_however_the_ticks_arrive():
    from app_pages.reinforcement_learning_sections.hold_keys import TICK_MS
    from app_pages.reinforcement_learning_sections.play_it_yourself import steps_for_tick

    def held_for(tick_gaps_ms):
        steps, carried = steps_for_tick({"ms": tick_gaps_ms[0], "first": True}, 1)
        for gap in tick_gaps_ms[1:-1]:
            more, carried = steps_for_tick({"ms": gap}, 1, carried)
            steps += more
        more, _ = steps_for_tick({"ms": tick_gaps_ms[-1], "last": True}, 1, carried)
        return steps + more

    per_second = 1000 // TICK_MS
    assert per_second >= 10  # real time for a student: ten pushes a second or more
    on_time = [TICK_MS] * 25  # two seconds held, every tick on time
    late = [TICK_MS + 30] * 18 + [2000 - 18 * (TICK_MS + 30)]  # a busy server: late ticks
    assert held_for(on_time) == held_for(late) == 2000 // TICK_MS
