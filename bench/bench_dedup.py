"""Throughput and memory of near-duplicate checks against a store holding many articles.

    python bench/bench_dedup.py                     # 100,000 stored (30,000 distinct texts), 2,000 timed x 3
    python bench/bench_dedup.py --stored 20000 --synthetic

The store is a real SQLite file (WAL and page cache as marsad.store opens it: ``tune_writer``) with the dedup tables. It is filled with
``--stored`` articles made of ``--distinct`` texts (real news text from ../shared/data: SaudiNewsNet, ANT; or
synthetic Arabic-script text with ``--synthetic``) repeated under altered ids, so the index holds many copies, as a
syndicated corpus does. The fill writes the index rows in bulk; the timed part then runs, one article at a time on one core, for ``--timed`` new articles:

* ``signature``: normalise, shingle, MinHash, band keys;
* ``near-dup check``: signature + LSH lookup + exact scoring of the candidates (what the issue's target is about);
* ``full on_insert``: everything the store hook does per article (both indexes, links, groups, stories);
* ``datasketch``: the same articles through datasketch (``MinHash`` of the word 3-grams with the hook's number of
  permutations, ``MinHashLSH`` with its bands and rows, query + insert), its index filled with the same stored
  articles: the side-by-side reference of issue 20 (the hook: ≤ 1.5× its time per article).

It prints medians over ``--repeats`` runs, articles/s, the candidates per article and the process RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from marsad.data import Article
from marsad.dedup import minhash
from marsad.dedup.hook import DedupHook, features, near_duplicates
from marsad.dedup.text import pack_vector, shingle_hashes, term_key, words
from marsad.store.core import tune_writer

REPO = Path(__file__).resolve().parents[1]


def shared_texts(limit: int) -> Iterator[str]:
    base = Path(os.environ.get("MARSAD_SHARED") or REPO.parent / "shared") / "data"
    zips = sorted((base / "saudinewsnet").glob("*.zip")) + sorted((base / "unlabelled").glob("*.zip"))
    n = 0
    for p in zips:
        with zipfile.ZipFile(p) as z:
            for name in z.namelist():
                if name.endswith(".json"):
                    for d in json.loads(z.read(name).decode("utf-8")):
                        if d.get("content"):
                            yield d["content"]
                            n += 1
                            if n >= limit:
                                return
    for p in sorted((base / "unlabelled").glob("*.jsonl.gz")):
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for line in fh:
                t = json.loads(line).get("text")
                if t:
                    yield t
                    n += 1
                    if n >= limit:
                        return


def synthetic_texts(limit: int, seed: int = 0) -> Iterator[str]:
    rng = random.Random(seed)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 7))) for _ in range(20000)]
    for _ in range(limit):
        yield " ".join(rng.choice(vocab) for _ in range(rng.randint(150, 450)))


def stored_day(i: int, n_distinct: int, n: int, per_day: int) -> str:
    """The publication day of distinct text ``i`` (and of all its copies). ``per_day`` 0: the texts cycle through
    the 28 days of 2015-08 (the original store: at 100k stored about 3,600 articles a day, each text's ~3.3 copies
    on one day); else the texts follow each other from 2015-06-01 so that a day holds about ``per_day`` stored
    articles, a text's copies on its day (syndication the same day)."""
    if not per_day:
        return f"2015-08-{1 + i % 28:02d}"
    return (date(2015, 6, 1) + timedelta(days=int(i * (n / n_distinct) / per_day))).isoformat()


def timed_day(n: int, per_day: int) -> str:
    """The timed articles' day: 2015-08-15, or with ``per_day`` the middle day of the stored span."""
    return "2015-08-15" if not per_day else (date(2015, 6, 1) + timedelta(days=n // per_day // 2)).isoformat()


def fill(conn: sqlite3.Connection, distinct: list[str], n: int, per_day: int = 0) -> None:
    """Write the dedup index rows of ``n`` stored articles in bulk: each distinct text's features are computed once
    and its rows repeated under altered ids until ``n`` (so the index holds exact and near copies, as syndicated
    news does). No linking here: the fill is not what is measured. The rows are written in the layout of the
    hook's tables (number-keyed ``dedup_vecs``/``dedup_bands``/``dedup_postings``, or the text-id keyed tables of
    older trees), so this file fills a store for either."""
    DedupHook().migrate(conn)
    numbered = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'dedup_vecs'").fetchone() is not None
    rows = []
    for i, t in enumerate(distinct):
        day = stored_day(i, len(distinct), n, per_day)
        a = Article.new(t, id=f"s{i:07d}", source=f"src{i % 13}", published=day)
        rows.append(features(a.evolve(body=t)))
    conn.execute("BEGIN")
    for k in range(n):
        f = rows[k % len(rows)]
        aid = f"s{k:07d}"
        conn.execute(
            "INSERT INTO dedup_docs(article_id, source, published, day, rank_key, agency, agency_own, title, n_words,"
            " shingles, terms, title_terms, entities, numbers, dup_group, comp, story, terms_bin, title_bin)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,'','',?,?,?,?,?,?,?)",
            (aid, f.source, f.published, f.day, f.rank_key, f.agency, int(f.agency_own), f.title, f.n_words,
             f.shingles.tobytes(), "[]", json.dumps(sorted(f.numbers)), aid, aid, "st-" + aid,
             None if numbered else pack_vector(f.tvec), pack_vector(f.title_vec)),
        )  # fmt: skip
        if numbered:
            ref: object = conn.execute(
                "INSERT INTO dedup_vecs(article_id, tvec) VALUES (?,?)", (aid, pack_vector(f.tvec))
            ).lastrowid
            bands, postings = "dedup_bands", "dedup_postings"
        else:
            ref, bands, postings = aid, "dedup_lsh", "dedup_terms"
        conn.executemany(f"INSERT OR IGNORE INTO {bands} VALUES (?,?)", [(key, ref) for key in f.band_keys])
        conn.executemany(f"INSERT OR IGNORE INTO {postings} VALUES (?,?,?)",
                         [(term_key(t), f.day, ref) for t in f.top])  # fmt: skip
        if k % 20000 == 19999:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
            print(f"  filled {k + 1}", file=sys.stderr, flush=True)
    conn.execute("COMMIT")


def ds_minhash(text: str):  # noqa: ANN201
    """datasketch's MinHash of the same word 3-grams (normalised words, as the hook's), the hook's permutations."""
    from datasketch import MinHash

    ws = words(text)
    m = MinHash(num_perm=minhash.NUM_PERM)
    m.update_batch([" ".join(ws[i : i + 3]).encode("utf-8") for i in range(max(1, len(ws) - 2))])
    return m


def datasketch_index(distinct: list[str], n: int):  # noqa: ANN201
    """datasketch's LSH holding ``n`` articles made of the ``distinct`` texts (as :func:`fill`)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(num_perm=minhash.NUM_PERM, params=(minhash.BANDS, minhash.ROWS))
    sigs = [ds_minhash(t) for t in distinct]
    for k in range(n):
        lsh.insert(f"s{k:07d}", sigs[k % len(sigs)])
    return lsh


def near_dup_check(conn: sqlite3.Connection, a: Article) -> int:
    return len(near_duplicates(conn, a))


class _timer:
    """Append (n / wall seconds, n / CPU seconds) to ``out`` on exit."""

    def __init__(self, out: list[tuple[float, float]], n: int) -> None:
        self.out, self.n = out, n

    def __enter__(self) -> None:
        self.w, self.c = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        w, c = time.perf_counter() - self.w, time.process_time() - self.c
        self.out.append((self.n / w, self.n / max(c, 1e-9)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--stored", type=int, default=100_000)
    ap.add_argument("--timed", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--distinct", type=int, default=30_000, help="Distinct texts behind the stored articles.")
    ap.add_argument(
        "--per-day",
        type=int,
        default=0,
        help="A more realistic store (labelled in the output; not the issue's measurement, which is the default 0): "
        "the stored articles' days follow each other so that a day holds about this many (SaudiNewsNet, 14 Saudi "
        "sources: ~1,600 a day), each text's copies on its day, the timed articles on the middle day. The default "
        "puts every stored article on one of 28 days (~3,600 a day at 100k stored).",
    )
    ap.add_argument("--db", default=None, help="Keep the filled database here (default: a temporary file).")
    ap.add_argument("--reuse", action="store_true",
                    help="Time against the database at --db as it is when it holds --stored articles (filled by an "
                         "earlier run with the same --stored/--distinct/--synthetic; the timed part rolls back, so it "
                         "stays so): the fill is skipped.")
    args = ap.parse_args()

    need = args.distinct + args.timed * args.repeats
    corpus = list(synthetic_texts(need) if args.synthetic else shared_texts(need))
    if len(corpus) < need:
        sys.exit(
            f"only {len(corpus)} texts found, {need} needed (set MARSAD_SHARED, lower --distinct, or --synthetic)"
        )
    distinct, new = corpus[: args.distinct], corpus[args.distinct :]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or os.path.join(tmp, "bench.db")
        conn = sqlite3.connect(path, isolation_level=None)
        tune_writer(conn)  # as marsad.store opens a store it writes
        t0 = time.perf_counter()
        have = 0
        if args.reuse and args.db:
            with contextlib.suppress(sqlite3.Error):
                have = conn.execute("SELECT COUNT(*) FROM dedup_docs").fetchone()[0]
        if have != args.stored:
            if have:
                sys.exit(f"{path} holds {have} articles, not --stored {args.stored}: give another --db")
            fill(conn, distinct, args.stored, args.per_day)
        else:  # (the vocabulary as the fill leaves it: its features computed once)
            DedupHook().migrate(conn)  # as a store opens it (a file of an older layout is brought up to date)
            for i, t in enumerate(distinct):
                features(Article.new(t, id=f"s{i:07d}", published="2015-08-01").evolve(body=t))
        fill_s = time.perf_counter() - t0
        db_mb = os.path.getsize(path) / 1e6
        rates: dict[str, list[tuple[float, float]]] = {
            "signature": [],
            "near-dup check": [],
            "full on_insert": [],
            "datasketch": [],
        }
        lsh = datasketch_index(distinct, args.stored)
        found: list[int] = []
        hook = DedupHook()
        when = timed_day(args.stored, args.per_day)
        for r in range(args.repeats):
            batch = [
                Article.new(t, id=f"n{r}-{i}", source="new", published=when).evolve(body=t)
                for i, t in enumerate(new[r * args.timed : (r + 1) * args.timed])
            ]
            with _timer(rates["signature"], len(batch)):
                for a in batch:
                    minhash.band_keys(minhash.signature(shingle_hashes(words(a.body))))
            with _timer(rates["near-dup check"], len(batch)):
                found = [near_dup_check(conn, a) for a in batch]
            conn.execute("BEGIN")
            with _timer(rates["full on_insert"], len(batch)):
                if hasattr(hook, "prepare"):  # as marsad.store calls it, once per batch (older trees lack it)
                    hook.prepare(conn, batch)
                for a in batch:
                    hook.on_insert(conn, a)
            conn.execute("ROLLBACK")  # keep the stored count at --stored for every repeat
            with _timer(rates["datasketch"], len(batch)):
                for a in batch:
                    m = ds_minhash(a.body)
                    lsh.query(m)
                    lsh.insert(a.id, m)
            for a in batch:  # (out again, as the store's rollback)
                lsh.remove(a.id)
        conn.close()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"stored {args.stored} articles from {args.distinct} distinct texts "
          f"({'synthetic' if args.synthetic else 'shared news text'}), "
          f"fill {fill_s:.0f}s, db {db_mb:.0f} MB; timed {args.timed} new articles x {args.repeats}, one core")  # fmt: skip
    if args.per_day:
        print(f"  days: ~{args.per_day} stored articles a day from 2015-06-01, timed on {timed_day(args.stored, args.per_day)}"
              " (--per-day: the more realistic spread, not the issue's store)")  # fmt: skip
    else:
        print("  days: the stored articles on 28 days of 2015-08, timed on 2015-08-15 (the issue's store)")
    print(
        "  articles/s, median of the repeats: wall clock | CPU time of this process (the machine may be shared)"
    )
    for k, v in rates.items():
        wall = statistics.median(x[0] for x in v)
        cpu = statistics.median(x[1] for x in v)
        print(
            f"  {k:<15} {wall:8.0f} wall | {cpu:8.0f} cpu   ("
            + ", ".join(f"{x[0]:.0f}|{x[1]:.0f}" for x in v)
            + ")"
        )
    hook_cpu = statistics.median(x[1] for x in rates["full on_insert"])
    ds_cpu = statistics.median(x[1] for x in rates["datasketch"])
    print(f"  full on_insert / datasketch (CPU time per article): {ds_cpu / hook_cpu:.2f}x  (target <= 1.5)")
    print(f"  copies found per new article: mean {statistics.mean(found):.2f}, max {max(found)}")
    print(f"  peak RSS {rss_mb:.0f} MB")
    print("reproduce: python " + " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]))


if __name__ == "__main__":
    main()
