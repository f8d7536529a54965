"""``clues demo``, ``clues run`` and ``clues crawl``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from clue_miner.cli.output import (
    console,
    fail,
    leads_table,
    print_json,
    safe,
    safe_database_url,
    sources_table,
)
from clue_miner.config import database_url, default_sources_dir
from clue_miner.crawlers.sources import SourceConfigError, find_source, resolve_base_url

NIGHT_RUNNING_EXIT = 3  # another night holds the store's lease

SourcesOpt = Annotated[
    Path | None,
    typer.Option(
        "--sources", help="Folder of source YAML files (default: the project's sources/)."
    ),
]
BaseUrlOpt = Annotated[
    str | None,
    typer.Option("--base-url", help="Fills the {base_url} placeholder of source URLs."),
]
ServeOpt = Annotated[
    bool,
    typer.Option("--serve-sample", help="Serve the bundled sample site and use it as --base-url."),
]


@contextmanager
def _maybe_sample_site(serve: bool, base_url: str | None, port: int = 0) -> Iterator[str | None]:
    if not serve:
        yield base_url
        return
    from clue_miner.sample_site.build import build_site
    from clue_miner.sample_site.server import SampleSiteServer

    with SampleSiteServer(build_site(), port=port) as server:
        console.print(f"样例站点 Sample site: [link]{server.base_url}/index.html[/link]")
        yield server.base_url


def _show_progress() -> None:
    """Progress lines of the flow (logger ``clue_miner``) on stderr."""
    import logging

    from rich.logging import RichHandler

    from clue_miner.cli.output import err_console

    logger = logging.getLogger("clue_miner")
    if not logger.handlers:
        handler = RichHandler(console=err_console, show_path=False, show_level=False)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # Prefect's own console handler would print it twice


def _run_nightly(
    sources: Path, source_id: str | None, base_url: str | None, since: str | None = "auto"
) -> dict[str, object]:
    from clue_miner.crawlers.sources import load_sources

    try:  # check every source before Prefect starts, so a typo fails fast and clearly
        configs = resolve_base_url(load_sources(sources), base_url)
    except SourceConfigError as exc:
        fail(str(exc))
        raise
    if source_id is not None and source_id not in {c.id for c in configs}:
        fail(f"no source with id {source_id!r} in {sources}")
    from clue_miner.db import init_db
    from clue_miner.db.lease import NightAlreadyRunning, night_lease

    init_db()  # an unusable database fails here, in one line, before Prefect starts
    try:  # so does a night already running; the lease is held until the flow returns
        with night_lease(database_url()):
            from clue_miner.flows.nightly import nightly_flow

            _show_progress()
            return nightly_flow(
                sources_dir=str(sources), source_id=source_id, base_url=base_url, since=since
            )
    except NightAlreadyRunning as exc:
        fail(str(exc), code=NIGHT_RUNNING_EXIT)
        raise


def _print_summary(summary: dict[str, object]) -> None:
    from clue_miner.cli.queries import list_leads
    from clue_miner.db import session_scope

    with session_scope() as session:
        rows = list_leads(session)
    console.print(leads_table(rows))
    console.print(sources_table(summary["sources"]))  # type: ignore[arg-type]
    console.print(
        f"分析文档 analysed: {summary['documents_analysed']}  标记 flags: {summary['flags']}  "
        f"新线索 new leads: {summary['leads_new']}  更新 updated: {summary['leads_updated']}  "
        f"数据库 database: {safe_database_url()}"
    )


def demo(
    port: Annotated[int, typer.Option(help="Port for the sample site (0 = any free port).")] = 0,
    keep_serving: Annotated[
        bool, typer.Option("--keep-serving", help="Keep the sample site up until Ctrl-C.")
    ] = False,
) -> None:
    """Serve the bundled sample site, run the nightly flow once on it, print the leads."""
    with _maybe_sample_site(True, None, port) as base_url:
        started = time.monotonic()
        summary = _run_nightly(default_sources_dir(), None, base_url)
        _print_summary(summary)
        console.print(f"用时 took {time.monotonic() - started:.1f} s")
        if keep_serving:
            console.print("Ctrl-C 结束 / to stop")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


def run(
    sources: SourcesOpt = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source id.")] = None,
    base_url: BaseUrlOpt = None,
    serve_sample: ServeOpt = False,
    since: Annotated[
        str,
        typer.Option(
            help="auto: stop paging at entries older than each source's last successful "
            "crawl; all: page through everything; or a date YYYY-MM-DD."
        ),
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the run summary as JSON.")] = False,
) -> None:
    """Run the nightly flow once: crawl, analyse, link leads.

    One night per store at a time: while another night runs on the same database
    (the schedule, another terminal, another machine), this exits with code 3.
    """
    cutoff = None if since == "all" else since
    if cutoff not in (None, "auto"):
        _parse_date(str(cutoff))
    with _maybe_sample_site(serve_sample, base_url) as url:
        summary = _run_nightly(sources or default_sources_dir(), source, url, cutoff)
    if as_json:
        print_json(summary)
    else:
        _print_summary(summary)


def crawl(
    source: Annotated[str, typer.Option("--source", help="A source YAML file or a source id.")],
    sources: SourcesOpt = None,
    base_url: BaseUrlOpt = None,
    serve_sample: ServeOpt = False,
    since: Annotated[
        str | None,
        typer.Option(help="Stop paging at entries listed before this date (YYYY-MM-DD)."),
    ] = None,
) -> None:
    """Crawl one source (no analysis) and print its crawl-run counts and errors."""
    from clue_miner.crawlers.process import crawl_source
    from clue_miner.crawlers.runs import run_summary
    from clue_miner.db import init_db, session_scope
    from clue_miner.models import CrawlRun

    cutoff = _parse_date(since) if since else None
    try:
        config = find_source(source, sources or default_sources_dir())
        with _maybe_sample_site(serve_sample, base_url) as url:
            [config] = resolve_base_url([config], url)
            init_db()
            outcome = crawl_source(config, since=cutoff)
    except SourceConfigError as exc:
        fail(str(exc))
        return
    if outcome.crawl_run_id is None:
        fail(f"crawl of {config.id} did not start:\n{outcome.log_tail}")
        return
    with session_scope() as session:
        run_row = session.get_one(CrawlRun, outcome.crawl_run_id)
        console.print(sources_table([run_summary(run_row)]))
        for error in run_row.errors[:20]:
            console.print(
                f"  [yellow]{error['kind']}[/] {safe(error['url'])}: {safe(error['message'])}"
            )


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--since: not a date (YYYY-MM-DD): {value!r}")
        raise


def register(app: typer.Typer) -> None:
    app.command()(demo)
    app.command()(run)
    app.command()(crawl)
