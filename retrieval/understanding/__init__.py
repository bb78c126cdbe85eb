"""Question understanding: the question model, its lexicon, the gazetteer and Chinese input."""
