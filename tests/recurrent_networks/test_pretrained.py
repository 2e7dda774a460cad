"""course_lib.recurrent_networks.pretrained: the model shipped in assets/text."""

from course_lib.recurrent_networks import corpus as corpora
from course_lib.recurrent_networks import pretrained
from course_lib.recurrent_networks import sampler as sampling


def test_the_pretrained_model_beats_the_unigram_baseline():
    shipped = pretrained.load_pretrained()
    info = shipped.info
    assert (
        info["validation_bits_per_character"] < info["baselines_bits_per_character"]["unigram"] - 1
    )
    corpus = corpora.load_offline_corpus()
    assert shipped.vocabulary == corpora.build_vocabulary(corpus.text)
    sampler = sampling.Sampler(shipped.model, shipped.vocabulary)
    assert len("".join(sampler.generate("def ", 50, temperature=0.5))) == 50
