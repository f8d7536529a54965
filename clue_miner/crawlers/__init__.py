"""The crawl stage: a Scrapy project whose spiders are driven by ``sources/*.yml``."""
