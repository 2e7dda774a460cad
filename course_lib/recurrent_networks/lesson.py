"""The chapter in class: two guided walkthroughs and a quiz, as typed data.

``WALKTHROUGH`` presets are :class:`~course_lib.recurrent_networks.model.TextSettings`
values, ``GENERATION_WALKTHROUGH`` presets are
:class:`~course_lib.recurrent_networks.sampler.GenerationSettings` values; every preset is
a complete experiment (a field it does not name is at its default).
"""

from __future__ import annotations

from course_lib.classroom import Question, Step

#: The training walkthrough: each preset is a complete experiment (defaults elsewhere).
WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "Gibberish first",
        "Press Start with the defaults and read the sample after each epoch. First come "
        "spaces and frequent letters, then words like 'the' and 'self', then Python's "
        "indentation: the network learns frequencies before it learns context.",
        {"cell": "GRU", "hidden_units": 128, "layers": 1, "level": "character"},
    ),
    Step(
        "Beat the baselines",
        "The dashed lines are guesses without context: uniform (log₂ V bits) and the "
        "character frequencies (unigram). Once the validation curve is below the unigram "
        "line, the network is using what it has read.",
    ),
    Step(
        "A plain RNN",
        "Switch to SimpleRNN and train again. Its gradients through time shrink (or "
        "explode) quickly, so it remembers less; GRU and LSTM gates were invented for "
        "exactly this.",
        {"cell": "SimpleRNN"},
    ),
    Step(
        "Memory size",
        "A hidden state of 16 numbers must squeeze everything it has read into 16 "
        "numbers. Compare the curve with 128 units: more state, lower bits per character.",
        {"cell": "GRU", "hidden_units": 16},
    ),
    Step(
        "Short windows",
        "With sequences of 16 characters the network is trained to use at most 16 "
        "characters of context (backpropagation through time stops at the window). "
        "Compare its validation curve with the 64-character run.",
        {"hidden_units": 128, "sequence_length": 16},
    ),
    Step(
        "Words instead of characters",
        "At word level each token is a whole word: samples read well sooner, but rare "
        "words become �. The loss is now in bits per word, not per character.",
        {"sequence_length": 64, "level": "word"},
    ),
)
#: Check your understanding, after the training and the generation.
QUIZ: tuple[Question, ...] = (
    Question(
        "The vocabulary has 162 characters. What does a uniform guess cost?",
        ("162 bits", "log₂ 162 ≈ 7.3 bits per character", "1 bit", "0.5 bits"),
        1,
        "Choosing one of V equally likely symbols takes log₂ V bits. Any model that "
        "learnt something must be below this line.",
    ),
    Question(
        "At temperature 0, what does the generator do?",
        (
            "Samples uniformly at random",
            "Always takes the most likely next character",
            "Stops generating",
            "Uses the unigram frequencies",
        ),
        1,
        "Dividing the logits by T → 0 puts all probability on the largest one: greedy "
        "decoding. It is deterministic and tends to repeat itself.",
    ),
    Question(
        "Why must the hidden state be carried from one generated character to the next?",
        (
            "To save memory",
            "Otherwise the network forgets everything but the last character",
            "Keras requires it",
            "To make training faster",
        ),
        1,
        "The state is the network's memory of the text so far. Restarting from zeros at "
        "every step leaves it one character of context (tensorflow#27789).",
    ),
    Question(
        "The validation bits stop falling while the training bits keep falling. What is happening?",
        ("Underfitting", "Overfitting: it memorises the training text", "A bug", "Nothing"),
        1,
        "The validation text is the held-out end of the corpus; doing better only on the "
        "training part means memorising it rather than learning the language.",
    ),
)
#: The generation walkthrough (GenerationSettings presets), on the pretrained network.
GENERATION_WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "Temperature 0.2: safe and repetitive",
        "The pretrained network writes from 'def ' at a low temperature. The bar chart "
        "shows one character taking nearly all the probability, so the text is plausible "
        "Python that soon repeats itself.",
        {"network": "pretrained", "seed_text": "def ", "temperature": 0.2, "length": 400},
    ),
    Step(
        "Temperature 1.5: inventive and broken",
        "Same network, same beginning, temperature 1.5. The bars flatten: unlikely "
        "characters get picked, names are misspelt and brackets stop matching. Press "
        "Generate a few times and compare with 0.2.",
        {"network": "pretrained", "seed_text": "def ", "temperature": 1.5, "length": 400},
    ),
    Step(
        "Temperature 0: greedy decoding",
        "At T = 0 the generator always takes the most likely character. Generate twice: "
        "the text is identical every time and usually gets stuck in a loop.",
        {"network": "pretrained", "seed_text": "def ", "temperature": 0.0, "length": 400},
    ),
    Step(
        "A different beginning",
        "Start from 'class ' at T = 0.8, the default. The hidden state carries the seed "
        "forward: look for methods with 'self' and an indented body after the class line.",
        {"network": "pretrained", "seed_text": "class ", "temperature": 0.8},
    ),
)
