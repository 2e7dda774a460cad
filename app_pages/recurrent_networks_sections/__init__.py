"""The recurrent-networks page's sections, and the settings it shows (declared once).

``EXPERIMENTS`` maps each settings class of the page to its widget-key (and shared-link)
prefix: the page builds its one :class:`course_lib.ui.Controls` from it.
"""

from course_lib.recurrent_networks.model import TextSettings
from course_lib.recurrent_networks.sampler import GenerationSettings

#: Widget-key prefix of the training settings (and of the page's other widgets).
PREFIX = "rnn_"
#: Widget-key prefix of the generation settings (section 4).
GENERATION_PREFIX = "gen_"
#: The text the generator wrote last (section 4), which section 5 colours.
WRITTEN_KEY = PREFIX + "written"
#: Every settings class on the page and its prefix: one shared link for both.
EXPERIMENTS = {TextSettings: PREFIX, GenerationSettings: GENERATION_PREFIX}
