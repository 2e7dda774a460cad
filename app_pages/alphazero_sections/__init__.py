"""The sections of the AlphaZero page, one ``show()`` module each."""
