"""clue-miner: public-interest-litigation leads (公益诉讼线索) from public records."""

__version__ = "0.1.0"
