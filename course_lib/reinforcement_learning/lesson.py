"""The chapter's lesson as data: the lecturer's walkthrough and the quiz.

Each walkthrough step's preset is a complete experiment of
:class:`~course_lib.reinforcement_learning.agents.AgentSettings`: the settings it does not
name are the defaults (the page's controls reset them), so Back restores exactly the step
before.
"""

from __future__ import annotations

from course_lib.classroom import Question, Step

WALKTHROUGH = (
    Step(
        "Watch the pretrained agent first",
        "Before training anything, replay the pretrained policy (section 4) and look at "
        "its heatmap (section 5): it pushes right when the pole leans or swings right. "
        "That is the target a network has to discover from reward alone.",
        {},
    ),
    Step(
        "PPO with the defaults",
        "In section 3, press Start. The episode return climbs from the random policy's "
        "~22 to the 475 line within a few dozen updates, while the entropy falls: the "
        "policy becomes decisive.",
        {
            "algorithm": "PPO",
            "learning_rate": 3e-3,
            "hidden_units": 64,
            "gamma": 0.99,
            "num_envs": 8,
            "updates": 60,
            "seed": 1,
        },
    ),
    Step(
        "REINFORCE: the plain policy gradient",
        "Now train REINFORCE: no critic, no clipping, one gradient step per batch of "
        "whole episodes. It learns too, but needs many more environment steps — the "
        "returns it learns from are noisy.",
        {"algorithm": "REINFORCE", "learning_rate": 1e-2, "updates": 80},
    ),
    Step(
        "Too large a learning rate",
        "With a learning rate of 1, one update pushes the policy to always pick the same "
        "action; it becomes certain, gets no gradient, and the run is stopped and rolled "
        "back. Size of step matters in RL as in supervised learning.",
        {"algorithm": "PPO", "learning_rate": 1.0, "updates": 20},
    ),
    Step(
        "Short-sighted agents",
        "Lower the discount γ to 0.8: the agent only cares about the next few steps. "
        "Compare how high and how stable the return gets with γ = 0.99.",
        {"algorithm": "PPO", "learning_rate": 3e-3, "gamma": 0.8, "updates": 60},
    ),
    Step(
        "Luck and variance",
        "Back to the defaults, then train on several seeds in section 6. Same code, same "
        "settings, different curves: judge an RL method by many seeds, not one.",
        {"algorithm": "PPO", "learning_rate": 3e-3, "gamma": 0.99, "seed": 1},
    ),
)
QUIZ = (
    Question(
        "What reward does CartPole give?",
        (
            "+1 when the agent pushes the right way",
            "+1 for every step the pole stays up",
            "+500 at the end of a successful episode",
            "−1 when the pole falls",
        ),
        1,
        "+1 per step, including the last: the episode return counts the steps the pole "
        "stayed up. Nobody tells the agent which push was right — it must work that out "
        "from the returns that followed.",
    ),
    Question(
        "Before training, the heatmap of P(push right) is about 0.5 everywhere. Why?",
        (
            "The environment is symmetric",
            "The last layer starts with tiny weights",
            "The heatmap is normalised",
            "The network has not seen the state yet",
        ),
        1,
        "The actor's last layer is initialised with a gain of 0.01, so its logits are "
        "nearly equal and the softmax gives about 50/50: a fair start for exploration.",
    ),
    Question(
        "What does PPO's critic add to the plain REINFORCE update?",
        (
            "A second action to choose from",
            "A prediction of the return to compare with",
            "A larger learning rate",
            "A replay of human games",
        ),
        1,
        "The critic V(s) predicts the return; the advantage is what happened minus that "
        "prediction. Actions are judged against expectations, which cuts the noise.",
    ),
    Question(
        "Two runs with the same settings but different seeds end at returns 500 and 180. "
        "What should you conclude?",
        (
            "The code has a bug",
            "The second seed's settings were wrong",
            "RL results vary: compare methods over several seeds",
            "Training longer always fixes it",
        ),
        2,
        "The seed changes the initial weights, the start states and the sampled actions. "
        "RL is noisy, so a method is judged by many seeds.",
    ),
)
