"""The source registry: the issue's minimal schema works as written; bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from clue_miner.crawlers.sources import (
    SourceConfigError,
    find_source,
    load_source,
    load_sources,
    resolve_base_url,
)

MINIMAL = """\
id: fengnan-rsj-penalties
name: 丰南区人力资源和社会保障局 行政处罚公示
publisher: 唐山市丰南区人力资源和社会保障局
region: {adcode: "130207", name: 河北省唐山市丰南区}
record_type: penalty_notice   # permit_announcement | permit_registry | enterprise_filing | news | judgment | complaint | notice
spider: listing
start_urls: ["http://127.0.0.1:8000/xzcf/index.html"]
list: {links: "ul.list li a::attr(href)", next_page: "//a[text()='下一页']/@href"}
detail: {title: "h1::text", date: ".pubdate::text", body: "div.content", attachments: "a.attach::attr(href)"}
"""


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


def test_the_minimal_schema_of_the_issue_loads_as_written(tmp_path: Path) -> None:
    config = load_source(write(tmp_path, "fengnan-rsj-penalties.yml", MINIMAL))
    assert config.id == "fengnan-rsj-penalties"
    assert config.region.adcode == "130207"
    assert config.list_.next_page == "//a[text()='下一页']/@href"
    assert config.detail.attachments == "a.attach::attr(href)"
    assert config.start_urls == ["http://127.0.0.1:8000/xzcf/index.html"]
    assert len(config.sha256) == 64


def test_the_bundled_sources_all_load() -> None:
    configs = load_sources(Path(__file__).resolve().parents[2] / "sources")
    assert {c.record_type for c in configs} >= {"penalty_notice", "permit_announcement", "news"}
    assert all(c.needs_base_url for c in configs)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("record_type: penalty_notice", "record_type: gossip"), "record_type"),
        (('adcode: "130207"', 'adcode: "13020"'), "region.adcode"),
        (("spider: listing", "spider: magic"), "spider"),
        (('start_urls: ["http://127.0.0.1:8000/xzcf/index.html"]', "start_urls: []"), "start_urls"),
        (('links: "ul.list li a::attr(href)", ', ""), "list.links"),
        (
            ("publisher: 唐山市丰南区人力资源和社会保障局\n", "publisher: 唐山\nowner: 某人\n"),
            "owner",
        ),
    ],
)
def test_a_malformed_source_names_the_file_and_the_field(
    tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    path = write(tmp_path, "fengnan-rsj-penalties.yml", MINIMAL.replace(*change))
    with pytest.raises(SourceConfigError) as error:
        load_source(path)
    assert str(path) in str(error.value)
    assert f"field '{field}" in str(error.value)


def test_broken_yaml_and_a_mismatched_id_are_reported_before_any_crawl(tmp_path: Path) -> None:
    write(tmp_path, "good.yml", MINIMAL.replace("id: fengnan-rsj-penalties", "id: good"))
    broken = write(tmp_path, "broken.yml", "id: [unclosed\n")
    with pytest.raises(SourceConfigError, match=r"broken\.yml: cannot read YAML"):
        load_sources(tmp_path)
    broken.unlink()
    renamed = write(tmp_path, "other-name.yml", MINIMAL)
    with pytest.raises(SourceConfigError, match=r"other-name\.yml: field 'id'"):
        load_sources(tmp_path)
    renamed.unlink()
    assert [c.id for c in load_sources(tmp_path)] == ["good"]


def test_base_url_placeholder_needs_a_base_url(tmp_path: Path) -> None:
    body = MINIMAL.replace("http://127.0.0.1:8000", "{base_url}")
    config = load_source(write(tmp_path, "fengnan-rsj-penalties.yml", body))
    with pytest.raises(SourceConfigError, match="--base-url"):
        resolve_base_url([config], None)
    [resolved] = resolve_base_url([config], "http://127.0.0.1:5555/")
    assert resolved.start_urls == ["http://127.0.0.1:5555/xzcf/index.html"]


def test_a_source_is_found_by_path_or_by_id(tmp_path: Path) -> None:
    path = write(tmp_path, "fengnan-rsj-penalties.yml", MINIMAL)
    assert find_source(str(path), tmp_path / "elsewhere").id == "fengnan-rsj-penalties"
    assert find_source("fengnan-rsj-penalties", tmp_path).path == path
    with pytest.raises(SourceConfigError, match="no source with id 'nope'"):
        find_source("nope", tmp_path)
