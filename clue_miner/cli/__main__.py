"""``python -m clue_miner.cli`` is the same as ``clues``."""

from clue_miner.cli import main

main()
