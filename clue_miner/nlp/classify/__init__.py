"""Per-category text classifiers (jieba words + character n-grams, calibrated logistic
regression) trained on the labelled corpus in ``nlp/corpus/``."""
