"""The analysis stage: normalise text, extract typed mentions, apply rule packs and classifiers.

Knows nothing about HTTP, Prefect or the web; everything here is ``text in, facts out``.
"""
