"""The sections of the deep supervised learning page, one ``show()`` module each.

The page's settings and their widget-key prefix are declared here, once:
:data:`EXPERIMENTS` builds the page's :class:`course_lib.ui.Controls`, and the sections
import :data:`PREFIX` for their other widget keys (the upload, the trainer, the quiz).
"""

from course_lib.deep_supervised_learning.experiment import PlaygroundSettings

#: Widget-key prefix of every widget on the page.
PREFIX = "play_"
#: The page's settings class and its prefix (read by ``ui.Controls`` and the link tests).
EXPERIMENTS = {PlaygroundSettings: PREFIX}
