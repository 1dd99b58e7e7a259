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
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Worker processes, each with its own read connections and listening socket (the kernel "
                   "spreads connections across them) [default: one per CPU core this process may use].")
@click.option("--cache-size", default=2048, show_default=True, type=click.IntRange(0),
              help="Search answers kept in memory while the store is unchanged (0 turns the cache off).")
@click.option("--log-level", default="warning", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this Host name (e.g. a reverse proxy's public name; repeatable). "
                   "Only loopback names and the --host address are answered otherwise (DNS rebinding).")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(0.5, 600),
              help="Seconds a client has to send its request headers before the connection is closed.")
@click.option("--max-connections", default=1000, show_default=True, type=click.IntRange(16, 100_000),
              help="Open connections at most; past it the oldest connection still without headers is closed.")
def serve_cmd(db_path, host, port, token, max_body, workers, cache_size, log_level, allow_hosts, header_timeout,
              max_connections):
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
    from marsad.api.security import HostCheck, bounded_h11_protocol, served_host_names

    Database(db_path)  # a missing store is a one-line error, before the server starts
    if workers is None:
        workers = default_workers()
    allowed = served_host_names(host, allow_hosts)
    # Slow clients: a header timeout and a connection cap (uvicorn has neither); the socket backlog bounds what
    # waits behind them. uvicorn's own limit_concurrency is off: it counts connections too and answered 503 to
    # real requests while idle ones were being closed (tasks are bounded by the connections anyway).
    limits = {"http": bounded_h11_protocol(header_timeout=header_timeout, max_connections=max_connections),
              "limit_concurrency": None, "timeout_keep_alive": 5, "backlog": 2048}
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"marsad: warning: serving on {host}, reachable beyond this machine", err=True)
    click.echo(f"marsad: serving {db_path} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    if workers > 1:
        # uvicorn needs an import string to fork workers; pass the settings through the environment.
        os.environ["MARSAD_DB"] = str(db_path)
        os.environ["MARSAD_MAX_BODY"] = str(max_body)
        os.environ["MARSAD_CACHE_SIZE"] = str(cache_size)
        os.environ["MARSAD_ALLOWED_HOSTS"] = ",".join(sorted(allowed))
        if token:
            os.environ["MARSAD_TOKEN"] = token
        os.environ["MARSAD_HEADER_TIMEOUT"] = str(header_timeout)
        os.environ["MARSAD_MAX_CONNECTIONS"] = str(max_connections)
        limits["http"] = "marsad.api.security:EnvBoundedH11Protocol"  # imported by each worker (picklable)
        from marsad.api.workers import reuseport_supported, serve_workers

        if reuseport_supported():  # one listening socket per worker: the kernel spreads the connections
            serve_workers(host, port, workers, {"app": "marsad.api.asgi:app", "host": host, "port": port,
                                                "log_level": log_level, "server_header": False,
                                                "timeout_graceful_shutdown": 5, **limits})
            return
        uvicorn.run("marsad.api.asgi:app", host=host, port=port, workers=workers, log_level=log_level,
                    server_header=False, timeout_graceful_shutdown=5, **limits)
        return
    app = HostCheck(create_app(db_path, token=token, max_body=max_body, cache_size=cache_size), allowed=allowed)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, timeout_graceful_shutdown=5,
                **limits)


def default_workers() -> int:
    """One worker process per CPU core this process may run on: a search is CPU work (SQLite and Python), so
    fewer workers leave cores idle and more only queue on the same cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
