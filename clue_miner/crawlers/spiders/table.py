"""The ``table`` spider: registries published as HTML tables or spreadsheet attachments.

Each page is stored as a document like the listing spider does; in addition every table
row under a header that names the configured columns becomes a record with mapped fields
(``table.columns`` in the source YAML).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response, TextResponse

from clue_miner.crawlers.attachments import AttachmentError, spreadsheet_rows
from clue_miner.crawlers.items import RecordsItem
from clue_miner.crawlers.selectors import select
from clue_miner.crawlers.spiders.listing import ListingSpider
from clue_miner.crawlers.tables import map_rows


class TableSpider(ListingSpider):
    name = "table"

    def detail_extras(self, response: TextResponse) -> Iterator[Any]:
        table = self.config.table
        assert table is not None
        if not table.rows:
            return
        rows = [
            [
                " ".join(t.strip() for t in cell.xpath(".//text()").getall() if t.strip())
                for cell in row.xpath("./th|./td")
            ]
            for row in select(response.selector, table.rows)
        ]
        records = map_rows(rows, table.columns)
        if not records:
            yield self.problem("parse", response.url, "no table rows under the configured headers")
            return
        yield RecordsItem(response.url, None, records)

    def attachment_extras(
        self, response: Response, document_url: str, filename: str
    ) -> Iterator[Any]:
        table = self.config.table
        assert table is not None
        if not table.attachments:
            return
        try:
            rows = spreadsheet_rows(filename, response.body)
        except AttachmentError:
            return  # already counted when its text was read
        if rows is None:
            return
        records = map_rows(rows, table.columns)
        if records:
            yield RecordsItem(document_url, response.url, records)
