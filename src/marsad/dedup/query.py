"""Reading duplicates and stories back (used by ``marsad show``, ``marsad stories`` and the HTTP API)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'dedup_docs'").fetchone() is not None


def describe(conn: sqlite3.Connection, article_id: str) -> dict[str, Any]:
    """An article's copies (with similarity), its original when it is a reprint, and its story.

    ``{"article_id", "indexed", "dup_group", "original", "is_original", "agency", "copies": [{id, source,
    published, jaccard, containment, cosine, direct}], "story": {id, title, n_articles, n_sources, first_published,
    last_published}}``. ``direct`` says whether the copy was linked to this article itself or through another copy.
    """
    empty: dict[str, Any] = {
        "article_id": article_id,
        "indexed": False,
        "copies": [],
        "story": None,
        "original": None,
        "is_original": None,
        "agency": None,
        "dup_group": None,
        "contains": [],
        "contained_in": [],
    }
    if not has_tables(conn):
        return empty
    r = conn.execute(
        "SELECT dup_group, story, agency FROM dedup_docs WHERE article_id = ?", (article_id,)
    ).fetchone()
    if r is None:
        return empty
    group, story_id, agency = r[0], r[1], r[2]
    direct = {}
    contains: list[dict[str, Any]] = []
    contained_in: list[dict[str, Any]] = []
    for row in conn.execute(
        "SELECT l.a, l.b, l.jaccard, l.containment, l.cosine, l.kind, l.container, d.source, d.published "
        "FROM dedup_links l JOIN dedup_docs d ON d.article_id = (CASE WHEN l.a = ? THEN l.b ELSE l.a END) "
        "WHERE l.kind IN ('dup', 'part') AND (l.a = ? OR l.b = ?) ORDER BY d.rank_key",
        (article_id, article_id, article_id),
    ):
        other = row[1] if row[0] == article_id else row[0]
        if row[5] == "dup":
            direct[other] = (row[2], row[3], row[4])
        else:
            item = {
                "id": other,
                "source": row[7],
                "published": row[8],
                "containment": row[3],
                "jaccard": row[2],
            }
            (contains if row[6] == article_id else contained_in).append(item)
    copies = []
    for row in conn.execute(
        "SELECT article_id, source, published, agency FROM dedup_docs WHERE dup_group = ? AND article_id != ? "
        "ORDER BY rank_key",
        (group, article_id),
    ):
        sims = direct.get(row[0])
        copies.append({
            "id": row[0], "source": row[1], "published": row[2], "direct": sims is not None,
            "jaccard": sims[0] if sims else None, "containment": sims[1] if sims else None,
            "cosine": sims[2] if sims else None, "original": row[0] == group,
        })  # fmt: skip
    group_agency = conn.execute("SELECT agency FROM dedup_docs WHERE article_id = ?", (group,)).fetchone()
    return {
        "article_id": article_id,
        "indexed": True,
        "dup_group": group,
        "original": group if copies else None,
        "is_original": group == article_id if copies else None,
        "agency": (group_agency[0] if group_agency else None) or agency,
        "copies": copies,
        "contains": contains,  # round-up: copies of these articles are inside this one
        "contained_in": contained_in,  # a copy of this article is inside these (longer) articles
        "story": story_summary(conn, story_id),
    }


def story_summary(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    r = conn.execute(
        "SELECT id, title, first_published, last_published, n_articles, n_sources, sources FROM stories WHERE id = ?",
        (story_id,),
    ).fetchone()
    if r is None:
        return None
    return {"id": r[0], "title": r[1], "first_published": r[2], "last_published": r[3], "n_articles": r[4],
            "n_sources": r[5], "sources": json.loads(r[6])}  # fmt: skip


def list_stories(
    conn: sqlite3.Connection,
    *,
    min_articles: int = 2,
    limit: int = 50,
    offset: int = 0,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """Stories with at least ``min_articles`` articles, largest first (then most recent, then id)."""
    if not has_tables(conn):
        return []
    q = ("SELECT id FROM stories WHERE n_articles >= ?"
         + (" AND last_published >= ?" if since else "") + (" AND first_published <= ?" if until else "")
         + " ORDER BY n_articles DESC, n_sources DESC, last_published DESC, id LIMIT ? OFFSET ?")  # fmt: skip
    args: list[Any] = (
        [min_articles] + ([since] if since else []) + ([until] if until else []) + [limit, offset]
    )
    return [s for (sid,) in conn.execute(q, args).fetchall() if (s := story_summary(conn, sid))]


def story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    """One story: summary, its articles (with copy groups) and its events merged GDELT-style: one row per
    (type, source, target, date) with NumArticles and NumSources."""
    s = story_summary(conn, story_id) if has_tables(conn) else None
    if s is None:
        return None
    arts = [
        {"id": r[0], "source": r[1], "published": r[2], "title": r[3], "dup_group": r[4], "agency": r[5]}
        for r in conn.execute(
            "SELECT article_id, source, published, title, dup_group, agency FROM dedup_docs WHERE story = ? "
            "ORDER BY published, rank_key",
            (story_id,),
        )
    ]
    events = [
        {"type": r[0], "source": r[1], "target": r[2], "date": r[3], "num_articles": r[4], "num_sources": r[5],
         "num_mentions": r[6]}
        for r in conn.execute(
            "SELECT e.type, e.source, e.target, e.date, COUNT(DISTINCT e.article_id), COUNT(DISTINCT d.source), "
            "COUNT(*) FROM dedup_events e JOIN dedup_docs d ON d.article_id = e.article_id WHERE d.story = ? "
            "GROUP BY e.key ORDER BY COUNT(DISTINCT e.article_id) DESC, e.key",
            (story_id,),
        )
    ]  # fmt: skip
    s["articles"] = arts
    s["n_copy_groups"] = len({a["dup_group"] for a in arts})
    s["events"] = events
    return s


def story_of(conn: sqlite3.Connection, article_id: str) -> str | None:
    if not has_tables(conn):
        return None
    r = conn.execute("SELECT story FROM dedup_docs WHERE article_id = ?", (article_id,)).fetchone()
    return r[0] if r else None


def groups(conn: sqlite3.Connection) -> dict[str, list[tuple[str, ...]]]:
    """All duplicate groups and stories as sorted tuples of article ids (order-independence checks, exports)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for col in ("dup_group", "story"):
        by: dict[str, list[str]] = {}
        for aid, g in conn.execute(f"SELECT article_id, {col} FROM dedup_docs"):
            by.setdefault(g, []).append(aid)
        out[col] = sorted(tuple(sorted(v)) for v in by.values())
    return out
