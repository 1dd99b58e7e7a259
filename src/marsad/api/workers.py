"""Several server processes on one port, each with its own listening socket (``SO_REUSEPORT``).

uvicorn's own ``workers=N`` shares one listening socket between its processes, and asyncio accepts every pending
connection of a burst in one wake-up (up to the backlog): the first worker to wake takes a burst of 32 clients and
the others idle. Measured on a 100k-article store, 32 clients, 2 workers: one process did 13.3 s of the 13.4 s of
server CPU. With one socket per worker the kernel spreads connections across the sockets by hash, so every worker
gets its share. uvicorn has no option for that (it serves the sockets it is given), hence this small supervisor:
it starts the workers, restarts one that dies, and stops them all on SIGINT/SIGTERM.
"""

from __future__ import annotations

import errno
import logging
import multiprocessing as mp
import os
import signal
import socket
import time
from typing import Any

from marsad.errors import ConfigError

log = logging.getLogger("marsad.serve")


def reuseport_supported() -> bool:
    return hasattr(socket, "SO_REUSEPORT")


def _bind(host: str, port: int, backlog: int, *, reuse_port: bool) -> socket.socket:
    family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(addr)
    except OSError:
        sock.close()
        raise
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock


def _port_free(host: str, port: int) -> None:
    """A one-line error when another program holds the port. Checked with a plain socket first: a second marsad
    (same user) that also sets SO_REUSEPORT would otherwise be let in and share the port's connections."""
    try:
        _bind(host, port, 1, reuse_port=False).close()
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise ConfigError(f"port {port} on {host} is already in use; choose another with --port",
                             code="E_PORT") from None
        raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror or e}", code="E_PORT") from None


def _worker(host: str, port: int, backlog: int, config: dict[str, Any], parent: int) -> None:
    import uvicorn

    from marsad.executors.local import die_with_parent

    die_with_parent(parent)  # a kill -9 of the supervisor must not leave workers serving the port
    sock = _bind(host, port, backlog, reuse_port=True)
    uvicorn.Server(uvicorn.Config(**config)).run(sockets=[sock])


def serve_workers(host: str, port: int, workers: int, config: dict[str, Any]) -> None:
    """Run ``workers`` uvicorn servers of ``config`` (keyword arguments of :class:`uvicorn.Config`; the app as an
    import string) on ``host:port`` until SIGINT or SIGTERM; a worker that dies is started again."""
    _port_free(host, port)
    backlog = int(config.get("backlog", 2048))
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker, like uvicorn's own workers
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def start() -> Any:
        p = ctx.Process(target=_worker, args=(host, port, backlog, config, os.getpid()), name="marsad-serve")
        p.start()
        return p

    procs = [start() for _ in range(workers)]
    started = [time.monotonic()] * workers
    quick_deaths = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, p in enumerate(procs):
                if p.is_alive() or stopping:
                    continue
                # a worker that cannot even start (the port taken meanwhile, a broken install) would be restarted
                # for ever: three deaths within seconds of starting end the server with the reason
                quick_deaths = quick_deaths + 1 if time.monotonic() - started[i] < 5 else 0
                if quick_deaths >= 3:
                    raise ConfigError(f"the server workers keep exiting at start (last exit code {p.exitcode}); "
                                     "see the messages above", code="E_SERVE")
                log.warning("server worker %s exited (code %s); starting another", p.pid, p.exitcode)
                procs[i], started[i] = start(), time.monotonic()
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()  # SIGTERM: uvicorn finishes the requests in flight (timeout_graceful_shutdown)
        deadline = time.monotonic() + 15
        for p in procs:
            p.join(max(0.1, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(5)
        for s, h in old.items():
            signal.signal(s, h)
