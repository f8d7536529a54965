"""The source registry: one YAML file per source, validated into a typed config.

A malformed file raises :class:`SourceConfigError` naming the file and the field, before
anything is crawled. URLs may contain the placeholder ``{base_url}``, filled in by
:func:`resolve_base_url` (``clues demo`` uses it for the bundled sample site).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from clue_miner.text_safety import Regex

RecordType = Literal[
    "penalty_notice",
    "permit_announcement",
    "permit_registry",
    "enterprise_filing",
    "news",
    "judgment",
    "complaint",
    "notice",
]
BASE_URL_PLACEHOLDER = "{base_url}"


def _valid_selector(query: str) -> str:
    """A CSS selector (with parsel's ::text/::attr) or an XPath starting with / or (."""
    from cssselect import SelectorError
    from lxml import etree
    from parsel.csstranslator import HTMLTranslator

    try:
        if query.lstrip().startswith(("/", "(")):
            etree.XPath(query)
        else:
            HTMLTranslator().css_to_xpath(query)
    except (SelectorError, etree.XPathSyntaxError) as exc:
        raise ValueError(f"not a valid selector {query!r}: {exc}") from exc
    return query


Selector = Annotated[str, Field(min_length=1), AfterValidator(_valid_selector)]


class SourceConfigError(ValueError):
    """A source YAML file that cannot be used; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Region(_Strict):
    adcode: str = Field(pattern=r"^\d{6}$")
    name: str = Field(min_length=2)


class PageSeries(_Strict):
    """TRS-style numbered list pages: page 0 is ``start_urls[0]``, pages 1..N-1 use
    ``template`` (``{n}`` is the page number); N comes from ``count_regex`` on page 0."""

    template: str = Field(pattern=r"\{n\}")
    count_regex: Regex


class ListSelectors(_Strict):
    links: Selector
    next_page: Selector | None = None
    pages: PageSeries | None = None
    dates: Selector | None = None


class DetailSelectors(_Strict):
    title: Selector
    body: Selector
    date: Selector | None = None
    attachments: Selector | None = None


class TableConfig(_Strict):
    """How a registry's rows become records: ``columns`` maps published headers to fields."""

    rows: Selector | None = None
    attachments: bool = True
    columns: dict[str, str] = Field(min_length=1)
    key: str | None = None

    @model_validator(mode="after")
    def _key_is_a_field(self) -> TableConfig:
        if self.key is not None and self.key not in self.columns.values():
            raise ValueError(f"key {self.key!r} is not one of the mapped fields")
        return self


class Assertions(_Strict):
    """Per-source expectations checked after every crawl (``min_documents`` after full
    crawls only: a ``since`` crawl stops paging early by design)."""

    min_documents: int | None = Field(default=None, ge=0)
    max_error_rate: float | None = Field(default=None, ge=0, le=1)


class CrawlSettings(_Strict):
    """Politeness and limits for one source."""

    download_delay: float = Field(default=0.0, ge=0)
    concurrency: int = Field(default=4, ge=1, le=16)
    max_pages: int = Field(default=200, ge=1)
    timeout: float = Field(default=30.0, gt=0)
    max_response_bytes: int = Field(default=20_000_000, ge=1024)
    retries: int = Field(default=2, ge=0, le=10)
    max_minutes: float = Field(default=240, gt=0)
    retry_backoff: float = Field(default=1.0, ge=0)


class SourceConfig(_Strict):
    """A validated ``sources/<id>.yml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=100)
    name: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    region: Region
    record_type: RecordType
    spider: Literal["listing", "table"]
    start_urls: list[str] = Field(min_length=1)
    list_: ListSelectors | None = Field(default=None, alias="list")
    detail: DetailSelectors
    table: TableConfig | None = None
    crawl: CrawlSettings = CrawlSettings()
    assertions: Assertions = Assertions()
    since: date | None = None
    enabled: bool = True
    resolved_base_url: str | None = None
    path: Path | None = Field(default=None, exclude=True)
    sha256: str = Field(default="", exclude=True)

    @property
    def fetches_attachments(self) -> bool:
        """Whether a document's text may still grow after it is stored (its attachments
        arrive later in the crawl)."""
        return self.spider == "table" or self.detail.attachments is not None

    @field_validator("start_urls")
    @classmethod
    def _urls_are_http(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not (url.startswith(("http://", "https://", BASE_URL_PLACEHOLDER))):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls

    @model_validator(mode="after")
    def _table_spider_needs_table(self) -> SourceConfig:
        if self.spider == "table" and self.table is None:
            raise ValueError("spider 'table' needs a 'table' section with 'columns'")
        return self

    @property
    def needs_base_url(self) -> bool:
        """True when a start URL still holds the ``{base_url}`` placeholder."""
        return any(BASE_URL_PLACEHOLDER in url for url in self.start_urls)

    def with_base_url(self, base_url: str) -> SourceConfig:
        """A copy whose start URLs have ``{base_url}`` replaced."""
        base = base_url.rstrip("/")
        urls = [url.replace(BASE_URL_PLACEHOLDER, base) for url in self.start_urls]
        return self.model_copy(update={"start_urls": urls, "resolved_base_url": base})

    def canonical_url(self, url: str) -> str:
        """The URL a document is stored under: for a source served from ``{base_url}``
        (such as the sample site on whatever port is free), the placeholder form, so a rerun
        on another port finds the same documents."""
        base = self.resolved_base_url
        if base and url.startswith(base + "/"):
            return BASE_URL_PLACEHOLDER + url[len(base) :]
        return url


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(top level)"


def load_source(path: Path) -> SourceConfig:
    """Read and validate one source file; errors name the file and the field."""
    try:
        raw_bytes = path.read_bytes()
        data = yaml.safe_load(raw_bytes.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SourceConfigError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SourceConfigError(f"{path}: expected a mapping of fields, got {type(data).__name__}")
    try:
        config = SourceConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"field '{_field_path(err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise SourceConfigError(f"{path}: {problems}") from exc
    if config.id != path.stem:
        raise SourceConfigError(f"{path}: field 'id': {config.id!r} must match the file name")
    digest = hashlib.sha256(raw_bytes).hexdigest()
    return config.model_copy(update={"path": path, "sha256": digest})


def load_sources(directory: Path) -> list[SourceConfig]:
    """All ``*.yml``/``*.yaml`` sources in ``directory``, sorted by id; all-or-nothing."""
    if not directory.is_dir():
        raise SourceConfigError(f"{directory}: no such sources folder")
    files = sorted([*directory.glob("*.yml"), *directory.glob("*.yaml")])
    configs = [load_source(path) for path in files]
    seen: dict[str, Path | None] = {}
    for config in configs:
        if config.id in seen:
            raise SourceConfigError(f"{config.path}: field 'id': duplicate of {seen[config.id]}")
        seen[config.id] = config.path
    return sorted(configs, key=lambda c: c.id)


def find_source(ref: str, directory: Path) -> SourceConfig:
    """A source by file path, or by id within ``directory``."""
    path = Path(ref)
    if path.suffix in {".yml", ".yaml"} and path.exists():
        return load_source(path)
    for config in load_sources(directory):
        if config.id == ref:
            return config
    raise SourceConfigError(f"no source with id {ref!r} in {directory}")


def resolve_base_url(configs: list[SourceConfig], base_url: str | None) -> list[SourceConfig]:
    """Fill ``{base_url}``; a placeholder with no base URL given is a clear error."""
    resolved = []
    for config in configs:
        if config.needs_base_url:
            if not base_url:
                raise SourceConfigError(
                    f"{config.path}: field 'start_urls': uses {BASE_URL_PLACEHOLDER}; pass "
                    "--base-url (or run `clues demo`, which serves the sample site)"
                )
            config = config.with_base_url(base_url)
        resolved.append(config)
    return resolved
