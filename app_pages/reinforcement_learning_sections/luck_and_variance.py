"""Section 6 of the reinforcement-learning lesson: luck and variance.

The same settings trained on a few seeds, one after the other through the live training
panel, their learning curves side by side, and a summary table: one curve proves little
in reinforcement learning.
"""

import streamlit as st

from app_pages.reinforcement_learning_sections import PREFIX
from course_lib import budget, ui
from course_lib.reinforcement_learning import agents, charts, seeds
from course_lib.reinforcement_learning.seeds import SweepSettings

#: The sweep's knobs, in the column left of the training panel.
SWEEP_FIELDS = ("seed_count", "seed_updates")
#: The seeds chart's height: under the Start button on a 1366 × 768 screen too.
CHART_HEIGHT = 380


def show(controls: ui.Controls, settings: agents.AgentSettings) -> None:
    """Draw the seed sweep's knobs, its training panel and, as it runs, its curves and table.

    Args:
        controls: the page's controls; ``settings`` the agent of section 3 (its seed first).
    """
    st.header("6 · Luck and variance", divider="gray")
    st.markdown(
        "Run the *same* settings with different seeds: different start states, different "
        "random actions, different initial weights. Reinforcement learning results vary a lot "
        "from run to run — one curve proves little."
    )
    knobs, picture = st.columns([1, 3])  # the knobs beside the picture: knobs | Start + chart
    for name in SWEEP_FIELDS:
        controls.widget(knobs.slider, SweepSettings, name)
    sweep_settings = controls.settings(SweepSettings)
    agent, seed_list = seeds.sweep_of(settings, sweep_settings)
    knobs.caption(
        f"Seeds {', '.join(map(str, seed_list))}, one after the other, with the settings of "
        "section 3."
    )
    if refusal := budget.check(budget.rl_run(agent, seeds=len(seed_list))):
        st.error(refusal, icon=":material/block:")  # over this server's budget: not started
        return
    sweep: seeds.SeedSweep = ui.session_trainer(
        f"{PREFIX}sweep", (agent, seed_list), lambda: seeds.SeedSweep(agent, seed_list)
    )

    def curves(sweep: seeds.SeedSweep) -> None:
        if sweep.history:
            runs = sweep.runs()
            ui.chart(charts.seeds_chart(runs, height=CHART_HEIGHT))
            st.dataframe(seeds.seeds_summary(runs))

    with picture:
        ui.training_panel(sweep, key=f"{PREFIX}seeds", metrics=(), live_view=curves, unit="update")
