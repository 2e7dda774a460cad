"""The chapter in class: two guided walkthroughs and a quiz, as typed data.

``WALKTHROUGH`` presets are :class:`~course_lib.recurrent_networks.model.TextSettings`
values, ``GENERATION_WALKTHROUGH`` presets are
:class:`~course_lib.recurrent_networks.sampler.GenerationSettings` values; every preset is
a complete experiment (a field it does not name is at its default).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from typing import Any

from course_lib.classroom import Claim, Question, Step
from course_lib.recurrent_networks.model import TextSettings

#: Epochs of every training step: under a minute each on 2 loaded cores.
STEP_EPOCHS = 6
#: The defaults, for STEP_EPOCHS epochs (steps 1 and 2 share this run).
_DEFAULT_RUN = {
    "cell": "GRU",
    "hidden_units": 128,
    "layers": 1,
    "level": "character",
    "epochs": STEP_EPOCHS,
}


def _val(result: Mapping[str, Any]) -> float:
    return result["val_bits"][-1]


def _beats_previous(result: Mapping[str, Any]) -> bool:
    """The previous run (the ghost curve) ends below this one."""
    return _val(result) > result["previous_val_bits"][-1]


#: Words an early sample of Python should contain, one of them at least.
KEYWORDS = ("the", "self", "return", "def", "in", "if", "for", "is", "not", "and")


def _has_words(sample: str) -> bool:
    return bool(set(re.findall(r"[a-z_]+", sample)) & set(KEYWORDS))


#: The training walkthrough: each preset is a complete experiment (defaults elsewhere).
#: A compare step's ghost curve is the step before's run (the panel keeps it when the
#: settings change), so each step changes one thing from the step before it.
WALKTHROUGH: tuple[Step, ...] = (
    Step(
        "Gibberish first",
        f"Press Start with the defaults and read the sample after each of the "
        f"{STEP_EPOCHS} epochs. First come spaces and frequent letters, then words like "
        "'the' and 'self': the network learns frequencies before it learns context.",
        _DEFAULT_RUN,
        claim=Claim(
            "the last sample contains a real word or keyword (the, self, return, in, …) "
            "and the validation bits are below the unigram line",
            lambda r: _has_words(r["sample"]) and _val(r) < r["unigram"],
        ),
    ),
    Step(
        "Beat the baselines",
        "The dashed lines are guesses without context: uniform (log₂ V bits) and the "
        "character frequencies (unigram). Once the validation curve is below the unigram "
        "line, the network is using what it has read.",
        _DEFAULT_RUN,
        claim=Claim(
            "the validation curve crosses below the unigram line within the first 3 epochs",
            lambda r: min(r["val_bits"][:3]) < r["unigram"],
        ),
    ),
    Step(
        "Short windows",
        "With sequences of 16 characters the network is trained to use at most 16 "
        "characters of context (backpropagation through time stops at the window). The "
        "grey ghost curve is the previous run, the same network with 64-character windows.",
        {**_DEFAULT_RUN, "sequence_length": 16},
        claim=Claim("16-character windows end above the 64-character ghost curve", _beats_previous),
    ),
    Step(
        "A plain RNN",
        "Switch to SimpleRNN (still 128 units, 16-character windows) and train again. Its "
        "gradients through time shrink (or explode) quickly, so it remembers less: its "
        "curve ends above the GRU's ghost. GRU and LSTM gates were invented for this.",
        {**_DEFAULT_RUN, "sequence_length": 16, "cell": "SimpleRNN"},
        claim=Claim("SimpleRNN ends above the GRU ghost curve", _beats_previous),
    ),
    Step(
        "Memory size",
        "A hidden state of 16 numbers must squeeze everything it has read into 16 "
        "numbers. The ghost curve is the previous run, the same SimpleRNN with 128 units: "
        "more state, lower bits per character.",
        {**_DEFAULT_RUN, "sequence_length": 16, "cell": "SimpleRNN", "hidden_units": 16},
        claim=Claim(
            "after the same epochs, 16 units end above the 128-unit ghost curve",
            _beats_previous,
        ),
    ),
    Step(
        "Words instead of characters",
        "At word level each token is a whole word from a vocabulary of the 500 most "
        "frequent; every other word becomes �, so early samples are mostly � and common "
        "words. The loss is now in bits per word: it beats the word-unigram line within "
        "these epochs, but samples that read well need a larger vocabulary and far longer "
        "training.",
        {**_DEFAULT_RUN, "level": "word", "max_words": 500, "sequence_length": 16},
        claim=Claim(
            "the validation bits per word are below the word-unigram line",
            lambda r: _val(r) < r["unigram"],
        ),
    ),
)


@functools.lru_cache(maxsize=8)
def _train(settings: TextSettings) -> dict[str, Any]:
    """Train ``settings`` on the page's corpus with the page's trainer; the numbers."""
    from course_lib.recurrent_networks import corpus, model

    text = corpus.load_offline_corpus()
    data = corpus.prepare_data(text.text, settings)
    trainer = model.make_trainer(data, settings, text.seed_text)
    trainer.start()
    while trainer.is_running:
        trainer.run_chunk(5.0)
    metric = "val_" + model.bits_metric(settings.level)
    return {
        "val_bits": [row[metric] for row in trainer.history],
        "unigram": data.baselines["unigram"],
        "uniform": data.baselines["uniform guess"],
        "sample": trainer.history[-1]["sample"],
        "status": str(trainer.status),
    }


def step_settings(step: Step) -> TextSettings:
    """The complete experiment of a training step: its preset over the defaults."""
    return dataclasses.replace(TextSettings(), **step.preset)


def step_result(step: Step) -> dict[str, Any]:
    """Run a walkthrough step's preset headless, as the page would, and return its numbers.

    A training step trains the page's :func:`~.model.make_trainer` for the preset's epochs
    on the page's default corpus; a compare step also returns the run of the step before
    it (the ghost curve the panel keeps) as ``previous_val_bits``. A generation step
    presses Generate twice on the pretrained network, each press with a fresh seed, as
    the page does, and returns both texts.
    """
    if "network" in step.preset:
        return _generate_twice(step)
    result = dict(_train(step_settings(step)))
    index = WALKTHROUGH.index(step) if step in WALKTHROUGH else 0
    if index > 0:
        result["previous_val_bits"] = _train(step_settings(WALKTHROUGH[index - 1]))["val_bits"]
    return result


def _generate_twice(step: Step) -> dict[str, Any]:
    from course_lib.recurrent_networks import pretrained, sampler

    generation = dataclasses.replace(sampler.GenerationSettings(), **step.preset)
    shipped = pretrained.load_pretrained()
    writer = sampler.Sampler(shipped.model, shipped.vocabulary)
    temperature, _ = sampler.check_temperature(generation.temperature)
    texts = [
        "".join(
            writer.generate(
                generation.seed_text, generation.length, temperature, seed=sampler.draw_seed()
            )
        )
        for _ in range(2)
    ]
    return {"texts": texts, "different": texts[0] != texts[1]}


#: Check your understanding, after the training and the generation.
QUIZ: tuple[Question, ...] = (
    Question(
        "The vocabulary has 162 tokens (161 characters and �). What does a uniform guess cost?",
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
        "Generate a few times: each press draws a fresh sampling seed (shown under the "
        "text), so every press writes something new.",
        {"network": "pretrained", "seed_text": "def ", "temperature": 1.5, "length": 400},
        claim=Claim("two presses give different text", lambda r: r["different"]),
    ),
    Step(
        "Temperature 0: greedy decoding",
        "At T = 0 the generator always takes the most likely character. Generate twice: "
        "the seed changes but the text is identical every time and usually gets stuck in a loop.",
        {"network": "pretrained", "seed_text": "def ", "temperature": 0.0, "length": 400},
        claim=Claim("two presses give the same text", lambda r: not r["different"]),
    ),
    Step(
        "A different beginning",
        "Start from 'class ' at T = 0.8, the default. The hidden state carries the seed "
        "forward: look for methods with 'self' and an indented body after the class line.",
        {"network": "pretrained", "seed_text": "class ", "temperature": 0.8},
    ),
)
