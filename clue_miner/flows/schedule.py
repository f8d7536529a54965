"""The nightly deployment: the flow served by Prefect on a cron schedule in a time zone,
one run at a time. Needs a Prefect API server (``PREFECT_API_URL``); ``clues schedule``
starts a local one on 127.0.0.1 when none is configured."""

from __future__ import annotations

import argparse

from clue_miner.flows.prefect_env import configure_prefect

configure_prefect()

from prefect.schedules import Cron  # noqa: E402

from clue_miner.flows.nightly import nightly_flow  # noqa: E402

DEPLOYMENT = "clues-nightly"


def serve_nightly(cron: str, timezone: str, sources_dir: str, base_url: str | None) -> None:
    """Serve the nightly flow until interrupted. The database comes from the environment
    (CLUES_DATABASE_URL), never from flow parameters, so no password is stored in Prefect."""
    nightly_flow.serve(
        name=DEPLOYMENT,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={"sources_dir": sources_dir, "base_url": base_url, "since": "auto"},
        global_limit=1,  # one nightly run at a time, whoever starts it
        limit=1,
        pause_on_shutdown=False,
        description="clue-miner: crawl → analyse → join records → leads, every night",
        tags=["clue-miner"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the nightly clue-miner deployment.")
    parser.add_argument("--cron", default="0 2 * * *")
    parser.add_argument("--timezone", default="Asia/Shanghai")
    parser.add_argument("--sources", required=True)
    parser.add_argument("--base-url", default=None)
    args = parser.parse_args()
    serve_nightly(args.cron, args.timezone, args.sources, args.base_url)


if __name__ == "__main__":
    main()
