"""Scrapy settings of the clue-miner project; per-source values come from its YAML."""

from clue_miner import __version__

BOT_NAME = "clue-miner"
SPIDER_MODULES = ["clue_miner.crawlers.spiders"]
NEWSPIDER_MODULE = "clue_miner.crawlers.spiders"

USER_AGENT = (
    f"clue-miner/{__version__} (public-interest-litigation research crawler; "
    "+https://github.com/clue-miner/clue-miner)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20_000_000
DOWNLOAD_WARNSIZE = 0
REDIRECT_MAX_TIMES = 5
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"
ITEM_PIPELINES = {"clue_miner.crawlers.pipelines.StorePipeline": 300}
SPIDER_MIDDLEWARES = {"clue_miner.crawlers.middlewares.ProblemOnExceptionMiddleware": 50}
DOWNLOADER_MIDDLEWARES = {
    # Outside redirects (600) and decompression (590): records responses as received.
    "clue_miner.crawlers.middlewares.EvidenceMiddleware": 650,
    # After decompression: fixes missing or wrong charset declarations.
    "clue_miner.crawlers.middlewares.CharsetRepairMiddleware": 585,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "clue_miner.crawlers.middlewares.BackoffRetryMiddleware": 550,
}
FEED_EXPORT_ENCODING = "utf-8"
# Items and requests a callback yields, processed in parallel per response. Scrapy starts
# that many asyncio tasks for every response (default 100); a page yields at most a list
# page of links, and the store pipeline is synchronous, so more tasks only cost time.
CONCURRENT_ITEMS = 16
