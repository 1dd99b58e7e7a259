"""Concurrent search load against ``marsad serve`` over loopback: p50/p95/p99 latency and throughput.

    python bench/bench_api.py --articles 100000 --clients 32 --requests 4000

Builds (or reuses, or grows) a store of ``--articles`` articles at ``--db``: the distinct texts through
``marsad.Store`` (real Arabic news text from ../shared/data/unlabelled/ant-all-2018.jsonl.gz, 31.5k articles), then
copies of the stored texts by direct SQL (``extend_copies``), each with a distinct id, date and closing sentence, to
reach the count; synthetic entities and events so the actor
and event-type filters have work to do; no pipeline, no dedup hook), starts the real server on a free loopback
port, and runs ``--clients`` concurrent clients issuing ``--requests`` searches in total: a mix of common and rare
words, two-word queries, phrase queries and filters (source, date range, actor, event type). The clients share
the machine with the server, so the figures are conservative. Target: p95 < 100 ms at >= 100k articles.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ACTORS = [
    "USA",
    "RUS",
    "CHN",
    "IRN",
    "SAU",
    "EGY",
    "TUR",
    "FRA",
    "GBR",
    "ISR",
    "SYR",
    "IRQ",
    "QAT",
    "ARE",
    "per:sergey-lavrov",
    "per:wang-yi",
    "org:un",
]
TYPES = [
    ("CONSULT", 1, 1.0),
    ("AGREE", 1, 3.0),
    ("AID", 2, 7.0),
    ("REQUEST", 3, -5.0),
    ("THREATEN", 3, -6.0),
    ("SANCTION", 4, -8.0),
    ("ASSAULT", 4, -9.0),
]


def shared_dir() -> Path:
    env = os.environ.get("MARSAD_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def load_texts(limit: int) -> list[dict]:
    path = shared_dir() / "data" / "unlabelled" / "ant-all-2018.jsonl.gz"
    out = []
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d.get("text"):
                    out.append({"title": d.get("title") or "", "text": d["text"], "src": d.get("src") or ""})
                if len(out) >= limit:
                    break
    if not out:  # no shared data: Zipf-distributed synthetic Arabic-letter words (weaker realism, same shape)
        rng = random.Random(1)
        letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
        vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 8))) for _ in range(50_000)]
        weights = [1 / (i + 1) for i in range(len(vocab))]
        for i in range(min(limit, 20_000)):
            words = rng.choices(vocab, weights, k=250)
            out.append({"title": " ".join(words[:8]), "text": " ".join(words), "src": f"src{i % 5}"})
    return out


def build_store(db: Path, n: int) -> None:
    from marsad.data import Article, Entity, Event, Span
    from marsad.store import Store

    texts = load_texts(n)
    rng = random.Random(7)
    t0 = time.perf_counter()

    def articles():  # the distinct texts; copies beyond them come from extend_copies
        for i in range(min(n, len(texts))):
            base = texts[i % len(texts)]
            copy = i // len(texts)
            day = 1 + (i * 7) % 28
            published = f"{2015 + copy % 4 + (i % 3)}-{1 + i % 12:02d}-{day:02d}"
            body = base["text"] + (f"\nنسخة {copy} رقم {i}." if copy else "")
            title = base["title"]
            text = f"{title}\n{body}"
            a1, a2 = rng.sample(ACTORS, 2)
            m = min(len(body), 20)
            ents = (
                Entity(
                    "e1", "GPE", a1, (Span(len(title) + 1, len(title) + 1 + m),), actor_id=a1, country=a1[:3]
                ),
                Entity(
                    "e2", "GPE", a2, (Span(len(title) + 1, len(title) + 1 + m),), actor_id=a2, country=a2[:3]
                ),
            )
            et, qc, gs = rng.choice(TYPES)
            evs = (
                Event(
                    "v1",
                    et,
                    Span(len(title) + 1, len(title) + 1 + m),
                    ("e1",),
                    ("e2",),
                    date=published,
                    quad_class=qc,
                    goldstein=gs,
                ),
            )
            art = Article.new(text, source=base["src"], title=title, published=published, id=f"b{i:07d}")
            yield art.evolve(
                body=body, entities=ents, events=evs, layers={"title": (Span(0, len(title), "title"),)}
            )

    with Store(db, hooks=[]) as store:
        summary = store.add(articles(), batch_size=2000)
    print(
        f"built {db}: {summary.stored} articles in {time.perf_counter() - t0:.0f} s "
        f"({len(texts)} distinct texts)",
        file=sys.stderr,
    )


def extend_copies(db: Path, n: int, *, batch: int = 5000) -> None:
    """Grow a store to ``n`` articles with copies of the articles it holds, by direct SQL: a copy gets its own id,
    date and closing line (in its body and FTS fields), its original's entities and events (the v5 filter tables
    follow through their triggers), and its original's compressed record (search never reads it). Written for
    this bench because the full path (Article objects, normalisation, packing) takes an hour for 100k on the
    shared 2-core machine; what search reads is the same."""
    import sqlite3

    from marsad.lang.ar.normalize import normalize
    from marsad.store import Store
    from marsad.store.core import body_of
    from marsad.store.index import index_fields

    with Store(db, hooks=[]):  # current schema
        pass
    conn = sqlite3.connect(db, isolation_level=None)
    # a bench store: a crash mid-build means building again, so no fsync; a big page cache for the FTS merges
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    cols = ("rowid, id, content_hash, source, url, title, body, n_chars, record, n_entities, n_quotes, n_events, "
            "ingested_at, text, body_spans")
    base = conn.execute(f"SELECT {cols} FROM articles ORDER BY rowid").fetchall()
    have = len(base)
    if have >= n or not have:
        return
    ents: dict[str, list[tuple]] = {}
    for r in conn.execute("SELECT article_id, entity_id, actor_id, name, type, country, sector, n_mentions "
                          "FROM entities"):
        ents.setdefault(r[0], []).append(r[1:])
    evs: dict[str, list[tuple]] = {}
    ev_cols = ("event_id, type, source_ids, target_ids, source_actors, target_actors, source_countries, "
               "target_countries, mode, negated, modality, symmetric, quad_class, goldstein, cameo, confidence, "
               "evidence_start, evidence_end, evidence_text")
    for r in conn.execute(f"SELECT article_id, {ev_cols} FROM events"):
        evs.setdefault(r[0], []).append(r[1:])
    fts: dict[int, tuple[str, str, str]] = {}
    t0 = time.perf_counter()
    next_rowid = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0] + 1
    conn.execute("BEGIN")
    for k, i in enumerate(range(have, n)):
        (rowid, aid0, chash, source, url, title, body, n_chars, record, n_e, n_q, n_v, ingested, text,
         spans) = base[i % have]
        body = body_of(text, body, spans)
        copy = i // have
        published = f"{2015 + copy % 4 + (i % 3)}-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}"
        line = f"نسخة {copy} رقم {i}."
        if rowid not in fts:
            fts[rowid] = index_fields(title, body)
        t, b, stems = fts[rowid]
        new_id, new_rowid = f"b{i:07d}", next_rowid + k
        conn.execute("INSERT INTO articles(rowid, id, content_hash, source, url, title, published, body, n_chars, "
                     "ingested_at, record, n_entities, n_quotes, n_events, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (new_rowid, new_id, f"{chash}:{i}", source, url, title, published, f"{body}\n{line}",
                      n_chars + len(line) + 1, ingested, record, n_e, n_q, n_v, f"{text}\n{line}"))
        conn.execute("INSERT INTO article_filters(rowid, id, source, published) VALUES (?,?,?,?)",
                     (new_rowid, new_id, source, published))
        conn.execute("INSERT INTO articles_fts(rowid, title, body, stems) VALUES (?,?,?,?)",
                     (new_rowid, t, f"{b}\n{normalize(line)}", stems))
        conn.executemany("INSERT INTO entities(article_id, entity_id, actor_id, name, type, country, sector, "
                         "n_mentions) VALUES (?,?,?,?,?,?,?,?)", [(new_id, *e) for e in ents.get(aid0, ())])
        conn.executemany(f"INSERT INTO events(article_id, {ev_cols.replace('mode,', 'date, mode,')}) "
                         f"VALUES ({','.join('?' * 21)})",
                         [(new_id, *v[:8], published, *v[8:]) for v in evs.get(aid0, ())])
        if (k + 1) % batch == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            print(f"  {have + k + 1} articles ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    print(f"extended {db} from {have} to {n} articles in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def count_articles(db: Path) -> int:
    import sqlite3

    try:
        return sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def query_mix(db: Path, k: int, seed: int = 3) -> list[dict]:
    """Search requests: words drawn from the store's own text by frequency band (common, mid, rare)."""
    import sqlite3

    from marsad.lang.ar.normalize import normalize

    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    from marsad.store.core import body_of
    from marsad.store.search import body_columns

    conn = sqlite3.connect(db)
    for text, body, spans in conn.execute(f"SELECT {body_columns(conn)} FROM articles a LIMIT 3000"):
        body = body_of(text, body, spans)
        counts.update(w for w in normalize(body).split() if len(w) > 2 and w.isalpha())
    ranked = [w for w, _ in counts.most_common()]
    common, mid, rare = ranked[20:200], ranked[200:3000], ranked[3000:20000] or ranked[-1000:]
    out = []
    for _ in range(k):
        r = rng.random()
        if r < 0.3:
            q = {"q": rng.choice(common)}
        elif r < 0.55:
            q = {"q": rng.choice(mid)}
        elif r < 0.7:
            q = {"q": rng.choice(rare)}
        elif r < 0.8:
            q = {"q": f"{rng.choice(mid)} {rng.choice(common)}"}
        elif r < 0.85:
            q = {"q": f'"{rng.choice(common)} {rng.choice(common)}"'}
        elif r < 0.9:
            q = {"q": rng.choice(mid), "actor": rng.choice(ACTORS)}
        elif r < 0.95:
            q = {"q": rng.choice(common), "from": "2016-01-01", "to": "2016-12-31"}
        else:
            q = {"event_type": rng.choice(TYPES)[0], "actor": rng.choice(ACTORS)}
        out.append(q)
    return out


async def load(url: str, queries: list[dict], clients: int, path: str = "/api/articles"
               ) -> tuple[list[float], Counter, float]:
    """``clients`` keep-alive connections, each sending its next request when the last answer is in.

    A minimal HTTP/1.1 client on asyncio streams: the load generator shares the CPU with the server, and a
    full client library (httpx) spends more per request than the server's own routing does."""
    from urllib.parse import urlencode, urlsplit

    u = urlsplit(url)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    it = iter(queries)

    async def client() -> None:
        reader, writer = await asyncio.open_connection(u.hostname, u.port)
        try:
            for params in it:
                target = path + ("?" + urlencode(params) if params else "")
                t = time.perf_counter()
                writer.write(f"GET {target} HTTP/1.1\r\nHost: {u.netloc}\r\nAccept: application/json\r\n\r\n"
                             .encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length, chunked = 0, False
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                    elif line.lower().startswith(b"transfer-encoding:") and b"chunked" in line.lower():
                        chunked = True
                if chunked:  # a streamed answer (exports): chunks until the empty one
                    while True:
                        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                        await reader.readexactly(size + 2)
                        if size == 0:
                            break
                else:
                    await reader.readexactly(length)
                latencies.append(time.perf_counter() - t)
                statuses[status] += 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, statuses, time.perf_counter() - t0


def kind(p: dict) -> str:
    if "event_type" in p:
        return "actor + event type"
    if "actor" in p:
        return "word + actor"
    if "from" in p:
        return "word + date range"
    if p["q"].startswith('"'):
        return "phrase"
    return "two words" if " " in p["q"] else "one word"


def service_times(db: Path, queries: list[dict]) -> dict[str, list[float]]:
    """What one search costs the server itself (SQLite + snippets), without HTTP, queueing or the cache,
    by query kind."""
    from marsad.api import queries as Q
    from marsad.api.app import _day
    from marsad.api.db import Database

    d = Database(db, memo_size=0)
    out: dict[str, list[float]] = {}
    for p in queries:
        t = time.perf_counter()
        Q.search_articles(d, q=p.get("q"), date_from=_day(p.get("from"), False), date_to=_day(p.get("to"), True),
                          actor=p.get("actor"), event_type=p.get("event_type"))
        out.setdefault(kind(p), []).append((time.perf_counter() - t) * 1000)
    return out


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (uvicorn workers), 0 when unknown."""
    try:
        import psutil
    except ImportError:
        return 0.0
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
        return sum(sum(p.cpu_times()[:2]) for p in procs)
    except psutil.Error:
        return 0.0


def worker_cpu(pid: int) -> dict[int, float]:
    """CPU time (user + system) of each process in the server's tree, by pid (how evenly the workers share it)."""
    try:
        import psutil
    except ImportError:
        return {}
    try:
        procs = [psutil.Process(pid)]
        procs += procs[0].children(recursive=True)
        return {p.pid: sum(p.cpu_times()[:2]) for p in procs}
    except psutil.Error:
        return {}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, default=Path("/tmp/marsad-bench-api.db"))
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=4000)
    ap.add_argument("--workers", type=int, default=None,
                    help="server worker processes (default: marsad serve's default, one per core)")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--floor", action="store_true",
                    help="also time GET /api/stats (a cached answer through FastAPI: the HTTP stack's own floor) and "
                         "one search repeated (a kept answer of the search route's hot path) the same way")
    ap.add_argument("--cache-size", type=int, default=2048, help="server search cache (0: every search hits SQLite)")
    ap.add_argument("--uvicorn", action="store_true",
                    help="start the app with `python -m uvicorn marsad.api.asgi:app` instead of `marsad serve` "
                         "(same app, uvicorn's own protocol and connection handling)")
    ap.add_argument("--endpoints", type=int, default=0, metavar="N",
                    help="also time N requests each of /api/attention (by day/week/month, search words of the mix, "
                         "a source filter on every third) and /api/export (articles CSV, at most 200 rows)")
    args = ap.parse_args()

    sys.path.insert(0, str(REPO / "tests" / "api"))
    from api_corpus import free_port

    from marsad.cli.serve import default_workers

    have = count_articles(args.db) if args.db.exists() else 0
    if have == 0:
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.db) + suffix).unlink(missing_ok=True)
        build_store(args.db, args.articles)
    if count_articles(args.db) < args.articles:  # copies of the stored texts up to the count
        extend_copies(args.db, args.articles)
    from marsad.store import Store

    with Store(args.db, hooks=[]) as st:  # bring an older bench store to the current schema (as `ingest` would)
        version = st.version
    n = count_articles(args.db)
    queries = query_mix(args.db, args.requests + args.warmup)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if args.uvicorn:
        cmd = [sys.executable, "-m", "uvicorn", "marsad.api.asgi:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(args.workers or default_workers()), "--log-level", "warning", "--no-access-log"]
    else:
        cmd = [sys.executable, "-c", "from marsad.cli import main; main()", "serve", "--db", str(args.db), "--port",
               str(port), "--cache-size", str(args.cache_size)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
    env = {**os.environ, "MARSAD_DB": str(args.db), "MARSAD_CACHE_SIZE": str(args.cache_size)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        import httpx

        for _ in range(150):
            try:
                if httpx.get(url + "/api/stats", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                if proc.poll() is not None:
                    sys.exit(f"the server exited ({proc.returncode}): run `{' '.join(cmd[2:])}` to see why")
                time.sleep(0.2)
        asyncio.run(load(url, queries[: args.warmup], args.clients))
        server_cpu0, client_cpu0, load0 = cpu_seconds(proc.pid), time.process_time(), os.getloadavg()[0]
        per0 = worker_cpu(proc.pid)
        lat, statuses, wall = asyncio.run(load(url, queries[args.warmup :], args.clients))
        server_cpu = cpu_seconds(proc.pid) - server_cpu0
        per = {k: v - per0.get(k, 0.0) for k, v in worker_cpu(proc.pid).items()}
        client_cpu = time.process_time() - client_cpu0
        load1 = os.getloadavg()[0]
        extra: dict[str, tuple[list[float], Counter, float]] = {}
        if args.endpoints:
            words = [q for q in queries if q.get("q") and not q["q"].startswith('"')][: args.endpoints]
            sources = ["skynews", "bbc", "CNN"]  # stored as skynews, BBC, CNN: the filter ignores case
            att = [{"q": q["q"], "by": ("day", "week", "month")[i % 3],
                    **({"source": sources[(i // 3) % 3]} if i % 3 == 0 else {})} for i, q in enumerate(words)]
            exp = [{"q": q["q"], "what": "articles", "format": "csv", "max": 200} for q in words]
            extra["attention"] = asyncio.run(load(url, att, args.clients, "/api/attention"))
            extra["export (articles csv, 200)"] = asyncio.run(load(url, exp, args.clients, "/api/export"))
        floor = None
        if args.floor:
            c0 = cpu_seconds(proc.pid)
            flat, _, fwall = asyncio.run(load(url, [{}] * len(lat), args.clients, "/api/stats"))
            c1 = cpu_seconds(proc.pid)
            # the same for one search repeated: a kept answer (the search route's hot path, marsad.api.fast)
            hlat, _, hwall = asyncio.run(load(url, [queries[0]] * len(lat), args.clients))
            c2 = cpu_seconds(proc.pid)
            floor = ([x * 1000 for x in flat], fwall, (c1 - c0) / len(flat), [x * 1000 for x in hlat], hwall,
                     (c2 - c1) / len(hlat))
    finally:
        proc.terminate()
        proc.wait(10)
    ms = [x * 1000 for x in lat]
    by_kind = service_times(args.db, queries[args.warmup :][:600])
    service = [x for v in by_kind.values() for x in v]
    print(
        f"store: {n} articles ({args.db}, schema v{version}); server workers: "
        f"{args.workers or f'default ({default_workers()})'}; cache: {args.cache_size}; "
        f"clients: {args.clients}; "
        f"requests: {len(ms)}; statuses: {dict(statuses)}"
    )
    print(
        f"latency ms: p50 {statistics.median(ms):.1f}  p95 {pct(ms, 95):.1f}  p99 {pct(ms, 99):.1f}  "
        f"max {max(ms):.1f}"
    )
    print(f"throughput: {len(ms) / wall:.0f} req/s over {wall:.1f} s")
    for name, (elat, est, ewall) in extra.items():
        ems = [x * 1000 for x in elat]
        print(f"{name}: p50 {statistics.median(ems):.1f}  p95 {pct(ems, 95):.1f}  p99 {pct(ems, 99):.1f} ms, "
              f"{len(ems) / ewall:.0f} req/s, statuses {dict(est)}")
    if floor:
        fms, fwall, fcpu, hms, hwall, hcpu = floor
        print(f"floor (GET /api/stats, cached): p50 {statistics.median(fms):.1f}  p95 {pct(fms, 95):.1f} ms, "
              f"{len(fms) / fwall:.0f} req/s, server CPU {fcpu * 1000:.2f} ms/request")
        print(f"one search repeated (a kept answer): p50 {statistics.median(hms):.1f}  p95 {pct(hms, 95):.1f} ms, "
              f"{len(hms) / hwall:.0f} req/s, server CPU {hcpu * 1000:.2f} ms/request")
    print(f"CPU during the run: server {server_cpu:.1f} s ({server_cpu / len(ms) * 1000:.2f} ms/request), "
          f"load generator {client_cpu:.1f} s ({client_cpu / len(ms) * 1000:.2f} ms/request), "
          f"over {wall:.1f} s wall on {os.cpu_count()} cores")
    print("  server CPU by process (s): " + ", ".join(f"{v:.1f}" for v in sorted(per.values(), reverse=True)))
    print(f"service time in-process (one thread, no HTTP, no cache, {len(service)} queries): "
          f"p50 {statistics.median(service):.1f}  p95 {pct(service, 95):.1f}  mean {statistics.mean(service):.1f} ms")
    for k, v in sorted(by_kind.items()):
        print(f"    {k:20s} n={len(v):4d}  p50 {statistics.median(v):6.1f}  p95 {pct(v, 95):6.1f} ms")
    # closed loop: each client waits for its answer, so latency = what the server spends on the request + the
    # time it sits behind the other clients' requests (Little: clients / throughput)
    print(f"queueing: mean latency {statistics.mean(ms):.1f} ms = ~{statistics.mean(service):.1f} ms search "
          f"+ ~{max(0.0, statistics.mean(ms) - statistics.mean(service)):.1f} ms HTTP, threads and waiting for "
          f"the CPU ({args.clients} clients / {len(ms) / wall:.0f} req/s = {args.clients / (len(ms) / wall) * 1000:.0f} ms)")
    print(f"load average: {load0:.1f} at the start of the run, {load1:.1f} at its end, on {os.cpu_count()} cores")
    print(f"target p95 < 100 ms: {'met' if pct(ms, 95) < 100 else 'NOT met'}")
    print(
        f"reproduce: python bench/bench_api.py --db {args.db} --articles {args.articles} "
        f"--clients {args.clients} --requests {args.requests}" + (f" --workers {args.workers}" if args.workers else "")
        + " "
        f"--cache-size {args.cache_size}" + (f" --endpoints {args.endpoints}" if args.endpoints else "")
        + (" --uvicorn" if args.uvicorn else "")
    )


if __name__ == "__main__":
    main()
