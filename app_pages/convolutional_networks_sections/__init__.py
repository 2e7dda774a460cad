"""The sections of the convolutional-networks page, and the settings they share.

:data:`EXPERIMENTS` declares, once, the page's settings class and the prefix of its widget
keys (``cnn_filters``, ``cnn_trainer``, ``cnn_quiz_q0``…); every section imports
:data:`PREFIX` from here.
"""

from course_lib.convolutional_networks.model import CNNSettings

#: The prefix of every widget and session-state key of the page.
PREFIX = "cnn_"
#: The page's settings classes and their widget-key prefixes (for ``ui.Controls``).
EXPERIMENTS = {CNNSettings: PREFIX}
