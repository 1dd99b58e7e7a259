"""Search latency p50/p95 over a store of >= 100k articles.

The store is built from the real corpora (ANT politics sample + SaudiNewsNet, read and cleaned once with
``--upto clean``), then duplicated with altered ids and shifted dates until it holds ``--n`` articles (direct
inserts: copies reuse their original's compressed record, which search never reads). Queries are drawn from the
index vocabulary by document frequency (frequent / mid / rare words), two-word queries, title phrases, names
with clitics, and filtered queries; each is timed through ``Store.search`` (bm25 ranking, top 20, snippets).

    python bench/bench_search.py [--shared ../shared] [--n 100000] [--db /tmp/marsad-bench-search.db] [--rebuild]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def build(db: Path, shared: Path, n: int) -> None:
    from marsad.data import Article
    from marsad.readers import read_paths
    from marsad.stages import default_pipeline
    from marsad.store import Store
    from marsad.store.core import _now, pack_record
    from marsad.store.index import index_fields

    ant = shared / "data" / "ant-multisource"
    paths = [str(p) for p in sorted(ant.iterdir()) if p.is_dir()]
    paths += [str(p) for p in sorted((shared / "data" / "saudinewsnet").glob("*.zip"))]
    t0 = time.perf_counter()
    pipe = default_pipeline(upto="clean")
    base = {}
    for it in pipe.run(read_paths(paths)):
        if isinstance(it, Article) and it.id not in base:
            base[it.id] = it
    arts = list(base.values())
    prepared = [(a, pack_record(a), index_fields(a.title, a.body or a.text)) for a in arts]
    print(f"read + cleaned {len(arts)} distinct articles in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with Store(db, hooks=[]) as st:
        conn = st.conn
        copy = 0
        total = 0
        while total < n:
            conn.execute("BEGIN IMMEDIATE")
            for a, blob, (t, b, stems) in prepared:
                if total >= n:
                    break
                aid = a.id if copy == 0 else f"{a.id}-{copy:03d}"
                pub = a.published
                if pub and copy:
                    try:
                        pub = (date.fromisoformat(pub) + timedelta(days=7 * copy)).isoformat()
                    except ValueError:
                        pass
                cur = conn.execute(
                    "INSERT INTO articles(id, content_hash, source, url, title, published, published_time, body, "
                    "n_chars, ingested_at, record, text, body_spans) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        aid,
                        a.content_hash,
                        a.source,
                        a.url,
                        a.title,
                        pub,
                        a.published_time,
                        a.body,
                        len(a.text),
                        _now(),
                        blob,
                        a.text,
                        None,
                    ),
                )
                conn.execute(
                    "INSERT INTO articles_fts(rowid, title, body, stems) VALUES (?,?,?,?)",
                    (cur.lastrowid, t, b, stems),
                )
                conn.execute(
                    "INSERT INTO article_filters(rowid, id, source, published) VALUES (?,?,?,?)",
                    (cur.lastrowid, aid, a.source, pub),
                )
                total += 1
            conn.execute("COMMIT")
            copy += 1
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(
        f"built {total} articles ({copy} copies) in {time.perf_counter() - t0:.1f} s; "
        f"{db.stat().st_size / 1e6:.0f} MB"
    )


def queries(conn, rng: random.Random) -> dict[str, list[tuple[str, dict]]]:
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles_fts, row)")
    n_docs = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    rows = conn.execute(
        "SELECT term, doc FROM temp.vocab WHERE length(term) >= 3 AND term GLOB '*[ء-ي]*'"
    ).fetchall()
    rows.sort(key=lambda r: -r[1])
    frequent = [r[0] for r in rows[:300]]
    mid = [r[0] for r in rows if n_docs * 0.001 <= r[1] <= n_docs * 0.02]
    rare = [r[0] for r in rows if 20 <= r[1] <= 100]
    titles = [r[0] for r in conn.execute("SELECT title FROM articles WHERE title IS NOT NULL LIMIT 3000")]
    q: dict[str, list[tuple[str, dict]]] = {
        "frequent word": [(w, {}) for w in rng.sample(frequent, 40)],
        "mid-frequency word": [(w, {}) for w in rng.sample(mid, 40)],
        "rare word": [(w, {}) for w in rng.sample(rare, 40)],
        "two words": [(f"{rng.choice(mid)} {rng.choice(frequent)}", {}) for _ in range(30)],
        "title phrase": [],
        "names with clitics": [
            (w, {})
            for w in (
                "الصين",
                "روسيا",
                "السعودية",
                "ايران",
                "امريكا",
                "سوريا",
                "الامم المتحده",
                "بريطانيا",
                "تركيا",
                "قطر",
            )
        ],
        "word + date + source": [],
    }
    for t in rng.sample(titles, 30):
        words = t.split()
        if len(words) >= 3:
            i = rng.randrange(len(words) - 1)
            q["title phrase"].append((f'"{words[i]} {words[i + 1]}"', {}))
    keys = conn.execute(
        "SELECT source, published FROM articles WHERE published IS NOT NULL AND rowid % 97 = 0"
    ).fetchall()  # (source, date) pairs that exist
    for _ in range(30):
        source, pub = rng.choice(keys)
        start = date.fromisoformat(pub) - timedelta(days=15)
        q["word + date + source"].append(
            (
                rng.choice(frequent[:100] + mid[:200]),
                {
                    "date_from": start.isoformat(),
                    "date_to": (start + timedelta(days=30)).isoformat(),
                    "source": source,
                },
            )
        )
    return q


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(REPO.parent / "shared"))
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/marsad-bench-search.db")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from marsad.errors import QueryError
    from marsad.store import Store

    db = Path(args.db)
    if args.rebuild or not db.exists():
        build(db, Path(args.shared), args.n)
    with Store(db, hooks=[]) as st:
        n_docs = st.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        qs = queries(st.conn, random.Random(args.seed))
        for q, kw in list(qs["frequent word"])[:5]:  # warm the page cache
            st.search(q, **kw)
        all_ms: list[float] = []
        print(f"store: {n_docs} articles, {db.stat().st_size / 1e6:.0f} MB ({db})")
        print(f"{'query class':22} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'hits (median)':>14}")
        for cls, items in qs.items():
            ms, hits = [], []
            for q, kw in items:
                t0 = time.perf_counter()
                try:
                    res = st.search(q, limit=20, **kw)
                except QueryError:
                    continue
                ms.append((time.perf_counter() - t0) * 1000)
                hits.append(len(res))
            all_ms += ms
            print(
                f"{cls:22} {len(ms):3d} {statistics.median(ms):8.1f} {_p(ms, 95):8.1f} {max(ms):8.1f} "
                f"{statistics.median(hits):14.0f}"
            )
        print(
            f"{'ALL':22} {len(all_ms):3d} {statistics.median(all_ms):8.1f} {_p(all_ms, 95):8.1f} "
            f"{max(all_ms):8.1f}"
        )
    print(
        f"\nreproduce: python bench/bench_search.py --n {args.n} --db {args.db}"
        + (" --rebuild" if args.rebuild else "")
    )


def _p(xs: list[float], pct: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(pct / 100 * (len(s) - 1))))]


if __name__ == "__main__":
    main()
