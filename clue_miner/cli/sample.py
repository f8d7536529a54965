"""``clues sample serve``: the bundled sample public-records site."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from clue_miner.cli.output import console

sample_app = typer.Typer(help="The bundled sample public-records site.", no_args_is_help=True)


@sample_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 = any free port).")] = 8000,
) -> None:
    """Serve the sample site on 127.0.0.1 until Ctrl-C."""
    from clue_miner.sample_site.build import build_site
    from clue_miner.sample_site.server import SampleSiteServer

    with SampleSiteServer(build_site(), port=port) as server:
        console.print(
            f"样例站点 Sample site: {server.base_url}/index.html  (Ctrl-C 结束 / to stop)"
        )
        console.print(f"clues run --base-url {server.base_url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
