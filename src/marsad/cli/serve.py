"""``marsad serve``: the HTTP API and the web UI over one store."""

from __future__ import annotations

import os

import click

from marsad.cli.app import main


@main.command("serve")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              envvar="MARSAD_DB", help="The store to serve (made by `marsad ingest`).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind. The default is loopback only; binding elsewhere exposes the store.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", default=None, envvar="MARSAD_TOKEN", show_envvar=True,
              help="Enables POST /api/ingest for clients sending `Authorization: Bearer TOKEN`. "
                   "Without a token the write endpoint is disabled.")
@click.option("--max-body", default=5 * 1024 * 1024, show_default=True, type=click.IntRange(1024),
              help="Largest request body accepted, in bytes (larger ones get 413).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (each with its own read connections).")
@click.option("--cache-size", default=2048, show_default=True, type=click.IntRange(0),
              help="Search answers kept in memory while the store is unchanged (0 turns the cache off).")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve_cmd(db_path, host, port, token, max_body, workers, cache_size, log_level):
    """Serve the HTTP API (/api, OpenAPI at /openapi.json) and the Arabic web UI (/) for a store.

    \b
    Example:
      marsad serve --db marsad.db            # then open http://127.0.0.1:8000/
      MARSAD_TOKEN=secret marsad serve --db marsad.db   # also accept POST /api/ingest
    """
    from marsad.errors import require

    uvicorn = require("uvicorn", feature="marsad serve", extra="api")
    require("fastapi", feature="marsad serve", extra="api")
    require("jinja2", feature="the web UI of marsad serve", extra="api")
    from marsad.api.app import create_app
    from marsad.api.db import Database

    Database(db_path)  # a missing store is a one-line error, before the server starts
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"marsad: warning: serving on {host}, reachable beyond this machine", err=True)
    click.echo(f"marsad: serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    if workers > 1:
        # uvicorn needs an import string to fork workers; pass the settings through the environment.
        os.environ["MARSAD_DB"] = str(db_path)
        os.environ["MARSAD_MAX_BODY"] = str(max_body)
        os.environ["MARSAD_CACHE_SIZE"] = str(cache_size)
        if token:
            os.environ["MARSAD_TOKEN"] = token
        uvicorn.run("marsad.api.asgi:app", host=host, port=port, workers=workers, log_level=log_level,
                    server_header=False, timeout_graceful_shutdown=5)
        return
    app = create_app(db_path, token=token, max_body=max_body, cache_size=cache_size)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, timeout_graceful_shutdown=5)
