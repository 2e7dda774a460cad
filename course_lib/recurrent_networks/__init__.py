"""Chapter 4, Deep recurrent networks: a network that reads text and learns to write it.

In the order of the lecture:

- :mod:`.corpus`: the texts (Python's standard library offline, Shakespeare, an upload),
  the vocabulary, the training windows and the two baselines to beat;
- :mod:`.model`: the settings, Embedding → recurrent cell(s) → logits, and its training
  (live on the page, or in one ``model.fit`` for the notebook: the same batches);
- :mod:`.sampler`: writing one token at a time, carrying the hidden state; temperature;
- :mod:`.look_inside`: one hidden unit over the text;
- :mod:`.pretrained`: the model shipped in ``assets/text`` (``python -m`` rebuilds it);
- :mod:`.charts`, :mod:`.lesson` (walkthroughs, quiz) and :mod:`.lab` (the notebook,
  made of the functions above).
"""
