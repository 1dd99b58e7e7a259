"""Synthetic Arabic-script corpus with known copies, round-ups and same-story pairs (no third-party text)."""

from __future__ import annotations

import random
import sqlite3

from marsad.data import Article

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def vocabulary(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice(LETTERS) for _ in range(rng.randint(4, 7))))
    return sorted(out)


VOCAB = vocabulary(3000, 7)


def text(rng: random.Random, n: int, topic: list[str] | None = None) -> str:
    words = [rng.choice(VOCAB) for _ in range(n)]
    for w in topic or []:  # topic words three times each, spread through the text
        for _ in range(3):
            words.insert(rng.randrange(len(words) + 1), w)
    lines = [" ".join(words[i : i + 20]) + "." for i in range(0, len(words), 20)]
    return "\n".join(lines)


def edit(rng: random.Random, s: str, rate: float = 0.05) -> str:
    words = s.split(" ")
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(VOCAB)
    return " ".join(words)


def art(
    aid: str, body: str, *, source: str = "paper", published: str = "2015-08-10", title: str | None = None
) -> Article:
    a = Article.new(body, id=aid, source=source, published=published, title=title or aid)
    return a.evolve(body=body)


def corpus(seed: int = 1) -> tuple[list[Article], dict[str, set[frozenset[str]]]]:
    """Articles and the expected relations: 'dup' pairs, 'part' pairs (round-up holds item), 'story' pairs."""
    rng = random.Random(seed)
    arts: list[Article] = []
    exp: dict[str, set[frozenset[str]]] = {"dup": set(), "part": set(), "story": set()}
    items = []
    for i in range(6):  # six wire items, each reprinted twice (lightly edited) on the same or next day
        t = text(rng, 120)
        wire = art(f"w{i}", f"الرياض - واس\n{t}", source="was")
        arts.append(wire)
        items.append(t)
        for j in range(2):
            day = "2015-08-1" + str(j)
            arts.append(art(f"w{i}r{j}", edit(rng, t), source=f"paper{j}", published=day))
            exp["dup"].add(frozenset({f"w{i}", f"w{i}r{j}"}))
    # a round-up carrying items 0 and 1: contains both, must not make them one story
    arts.append(art("roundup", items[0] + "\n" + items[1] + "\n" + text(rng, 60), source="paper2"))
    exp["part"] |= {frozenset({"roundup", "w0"}), frozenset({"roundup", "w1"})}
    for k in range(3):  # independent write-ups of one event: shared topic words, no shared text
        topic = rng.sample(VOCAB, 20)
        arts.append(art(f"s{k}a", text(rng, 60, topic), source="x"))
        arts.append(art(f"s{k}b", text(rng, 60, topic), source="y", published="2015-08-11"))
        exp["story"].add(frozenset({f"s{k}a", f"s{k}b"}))
    for k in range(8):  # unrelated filler
        arts.append(art(f"u{k}", text(rng, 100), source="z"))
    arts.append(art("empty", "", source="z"))  # nothing to compare: never linked
    return arts, exp


DEDUP_TABLES = ("dedup_docs", "dedup_links", "stories", "dedup_events")
# the candidate indexes and vectors by article id (their article numbers depend on the order of storing)
NUMBERED = {
    "dedup_vecs": "SELECT article_id, tvec FROM dedup_vecs",
    "dedup_bands": "SELECT b.key, v.article_id FROM dedup_bands b JOIN dedup_vecs v ON v.num = b.num",
    "dedup_postings": "SELECT p.term, p.day, v.article_id FROM dedup_postings p JOIN dedup_vecs v ON v.num = p.num",
}


def ingest(articles, conn=None):
    """The dedup hook alone on a plain SQLite connection (one transaction, ``on_insert`` per article)."""
    from marsad.dedup.hook import DedupHook

    conn = conn or sqlite3.connect(":memory:", isolation_level=None)
    hook = DedupHook()
    hook.migrate(conn)
    conn.execute("BEGIN")
    for a in articles:
        hook.on_insert(conn, a)
    conn.execute("COMMIT")
    return conn


def dump(conn) -> dict[str, list[tuple]]:
    """Every row of the hook's tables, sorted: two stores compare equal when they hold the same rows."""
    out = {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}").fetchall())) for t in DEDUP_TABLES}
    out.update((t, sorted(map(tuple, conn.execute(q).fetchall()))) for t, q in NUMBERED.items())
    return out
