"""The sections of the AlphaZero page, one ``show()`` module each, and the page's settings."""

from course_lib import ui
from course_lib.reinforcement_learning.alphazero import AlphaZeroSettings
from course_lib.reinforcement_learning.alphazero_lesson import PlaySettings, SearchSettings

#: The page's settings classes and their widget-key prefixes (the shared link's names).
EXPERIMENTS = {AlphaZeroSettings: "az_", SearchSettings: "az_search_", PlaySettings: "az_play_"}
#: One path from each setting to its widget (state lives in the session, not here).
CONTROLS = ui.Controls(EXPERIMENTS)
