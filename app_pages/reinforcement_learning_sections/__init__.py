"""The sections of the reinforcement-learning page, and the settings its controls hold.

Every widget of the page that holds a setting is keyed ``rl_<field>``; the page's
:class:`course_lib.ui.Controls` is built from :data:`EXPERIMENTS`.
"""

from course_lib.reinforcement_learning.agents import AgentSettings
from course_lib.reinforcement_learning.cartpole import PlaySettings
from course_lib.reinforcement_learning.seeds import SweepSettings

#: The page's widget-key prefix (one for all its settings classes).
PREFIX = "rl_"
EXPERIMENTS = {AgentSettings: PREFIX, PlaySettings: PREFIX, SweepSettings: PREFIX}
