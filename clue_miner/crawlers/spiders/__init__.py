"""Base spiders, one per kind of site; each source YAML names the one it uses."""

from clue_miner.crawlers.spiders.base import SourceSpider
from clue_miner.crawlers.spiders.listing import ListingSpider
from clue_miner.crawlers.spiders.table import TableSpider

SPIDERS: dict[str, type[SourceSpider]] = {"listing": ListingSpider, "table": TableSpider}

__all__ = ["SPIDERS", "ListingSpider", "SourceSpider", "TableSpider"]
