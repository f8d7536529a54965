"""Evidence: responses kept in WARC files, read back byte for byte, never outside the store."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from clue_miner.crawlers.evidence import (
    EvidenceError,
    WarcEvidenceWriter,
    payload_digest,
    read_response,
    read_snapshot,
)


def test_responses_round_trip_with_headers_status_and_sha256(tmp_path: Path) -> None:
    writer = WarcEvidenceWriter("zhangjiakou-yjj-notices", tmp_path)
    page = "<html><body>危险化学品经营许可证发证公告</body></html>".encode("gbk")
    ok = writer.write_response(
        "http://127.0.0.1/a.htm", 200, "OK", [("Content-Type", "text/html; charset=GBK")], page
    )
    error = writer.write_response(
        "http://127.0.0.1/b.htm", 500, "Internal Server Error", [], b"oops"
    )
    writer.close()
    stored = read_response(ok.ref, tmp_path)
    assert (stored.url, stored.status, stored.body, stored.sha256) == (
        "http://127.0.0.1/a.htm",
        200,
        page,
        ok.sha256,
    )
    assert ("Content-Type", "text/html; charset=GBK") in stored.headers
    assert read_snapshot(error.ref, tmp_path) == b"oops"

    warc = tmp_path / ok.ref.removeprefix("warc:").rsplit("@", 1)[0]
    with gzip.open(warc, "rb") as raw:  # a standard WARC any reader can open
        assert raw.read(8) == b"WARC/1.0"
    with warc.open("rb") as fh:
        digests = [r.rec_headers.get_header("WARC-Payload-Digest") for r in ArchiveIterator(fh)]
    assert digests == [payload_digest(page), payload_digest(b"oops")]


@pytest.mark.parametrize(
    "ref", ["sha256/ab/cd", "warc:../../etc/passwd@0", "warc:warc/x.warc.gz@abc"]
)
def test_references_outside_the_store_or_malformed_are_refused(tmp_path: Path, ref: str) -> None:
    with pytest.raises(EvidenceError):
        read_snapshot(ref, tmp_path)
