"""Slow clients against `marsad serve`: can idle connections that never finish their headers keep real requests out?

    python bench/bench_slow_clients.py                       # 2 clients x 10,000 connections, 60 s (loopback only)
    python bench/bench_slow_clients.py --clients 2 --connections 2000 --seconds 15 --json

Each client process opens up to ``--connections`` connections to a `marsad serve` on 127.0.0.1, sends a partial
request line and headers on each and never finishes them, and reopens every connection the server closes, for
``--seconds``. Meanwhile this process sends a normal request (GET /api/articles?limit=1) every 0.25 s and records
how long the answer took. The server has a header timeout and a connection cap (marsad.api.security); before them
two such clients drove it to its descriptor limit and new requests waited 15-20 s.

Bounded by construction: loopback only, at most clients x connections sockets, at most --seconds of load.
Prints one JSON object (--json) or a short report.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raise_fd_limit(n: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, n))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return want


def slow_client(port: int, connections: int, seconds: float, out: mp.Queue, nice: int = 0) -> None:
    """Hold up to ``connections`` header-less connections open for ``seconds``, reopening closed ones."""
    if nice:
        os.nice(nice)  # (clients share this machine's cores with the server; see --nice)
    limit = _raise_fd_limit(connections + 64)
    connections = min(connections, limit - 64)
    sel = selectors.DefaultSelector()
    opened = closed = failed = peak = 0
    end = time.monotonic() + seconds
    live: set[socket.socket] = set()
    while time.monotonic() < end:
        while len(live) < connections and time.monotonic() < end:
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=1)
                s.sendall(b"GET /api/articles HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                s.setblocking(False)
                sel.register(s, selectors.EVENT_READ)
                live.add(s)
                opened += 1
            except OSError:
                failed += 1
                break
        peak = max(peak, len(live))
        for key, _ in sel.select(timeout=0.05):
            s = key.fileobj
            try:
                data = s.recv(4096)  # type: ignore[union-attr]
            except OSError:
                data = b""
            if not data:  # closed by the server: reopen on the next pass
                sel.unregister(s)
                s.close()  # type: ignore[union-attr]
                live.discard(s)  # type: ignore[arg-type]
                closed += 1
    for s in live:
        s.close()
    out.put({"opened": opened, "closed_by_server": closed, "connect_failures": failed, "peak_open": peak})


ERRORS: dict[str, int] = {}


def probe(port: int) -> tuple[float, int]:
    import http.client

    t = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/api/articles?limit=1")
        r = c.getresponse()
        r.read()
        c.close()
        if r.status != 200:
            ERRORS[f"HTTP {r.status}"] = ERRORS.get(f"HTTP {r.status}", 0) + 1
        return time.monotonic() - t, r.status
    except (OSError, http.client.HTTPException) as e:
        ERRORS[type(e).__name__] = ERRORS.get(type(e).__name__, 0) + 1
        return time.monotonic() - t, 0


def run(*, clients: int, connections: int, seconds: float, header_timeout: float, max_connections: int,
        nice: int = 0) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="marsad-slow-"))
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_DB"}
    subprocess.run([sys.executable, "-m", "marsad", "ingest", str(REPO / "examples"), "--db", str(tmp / "s.db"),
                    "--upto", "clean"], check=True, capture_output=True, env=env)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "marsad", "serve", "--db", str(tmp / "s.db"), "--port", str(port),
         "--header-timeout", str(header_timeout), "--max-connections", str(max_connections)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    try:
        for _ in range(300):
            if probe(port)[1] == 200:
                break
            time.sleep(0.2)
        ERRORS.clear()
        q: mp.Queue = mp.get_context("spawn").Queue()
        procs = [mp.get_context("spawn").Process(target=slow_client, args=(port, connections, seconds, q, nice))
                 for _ in range(clients)]
        for p in procs:
            p.start()
        lat: list[float] = []
        bad = 0
        fds_peak = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            took, status = probe(port)
            lat.append(took)
            bad += status != 200
            try:
                fds_peak = max(fds_peak, len(os.listdir(f"/proc/{server.pid}/fd")))
            except OSError:
                pass
            time.sleep(0.25)
        stats = [q.get(timeout=seconds + 60) for _ in procs]
        for p in procs:
            p.join(30)
        lat.sort()
        return {
            "clients": clients, "connections_per_client": connections, "seconds": seconds,
            "header_timeout_s": header_timeout, "max_connections": max_connections, "client_nice": nice,
            "client_stats": stats, "server_fds_peak": fds_peak,
            "probes": len(lat), "probe_failures": bad, "probe_errors": dict(ERRORS),
            "probe_p50_s": round(lat[len(lat) // 2], 4) if lat else None,
            "probe_max_s": round(lat[-1], 4) if lat else None,
            "ok": bool(lat) and bad == 0 and lat[-1] < 1.0,
        }  # fmt: skip
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--connections", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--header-timeout", type=float, default=10.0)
    ap.add_argument("--max-connections", type=int, default=1000)
    ap.add_argument("--nice", type=int, default=0,
                    help="Run the clients at this nice level: on a small machine they otherwise take the cores the "
                         "server needs, which measures CPU contention rather than the server (remote clients don't)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.seconds > 60 or a.clients > 2 or a.connections > 10_000:
        ap.error("bounded run: at most 2 clients x 10,000 connections x 60 s")
    res = run(clients=a.clients, connections=a.connections, seconds=a.seconds, header_timeout=a.header_timeout,
              max_connections=a.max_connections, nice=a.nice)
    if a.json:
        print(json.dumps(res))
        return
    print(f"{res['clients']} clients x {res['connections_per_client']} header-less connections for {res['seconds']:g} s:"
          f" {sum(c['opened'] for c in res['client_stats'])} opened, "
          f"{sum(c['closed_by_server'] for c in res['client_stats'])} closed by the server; server descriptors peak "
          f"{res['server_fds_peak']}; {res['probes']} normal requests, {res['probe_failures']} failed, "
          f"p50 {res['probe_p50_s']} s, max {res['probe_max_s']} s {res['probe_errors'] or ''} -> "
          f"{'OK' if res['ok'] else 'FAIL'}")


if __name__ == "__main__":
    main()
