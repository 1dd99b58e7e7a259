"""The dedup store hook: near-duplicates, wire originals and stories, kept incrementally in the store's SQLite file.

Every stored article is compared with the stored articles that could match it, found through two indexes kept as
tables (so they survive restarts and commit or roll back with the article itself):

* ``dedup_bands``: MinHash LSH band keys of its word 3-gram shingles (near-duplicates at any distance in time);
* ``dedup_postings``: its heaviest content terms with the publication day (same-story candidates, and copies
  embedded in longer round-ups, within ``WINDOW_DAYS``).

Both hold the article's number (``dedup_vecs.num``, with its content-term vector) rather than its text id.

Each candidate pair is then scored from the stored features alone (exact shingle Jaccard and containment, TF-IDF
cosine with fixed IDF, title cosine). Whether two articles are linked depends only on the two articles, never on
what was stored before, and groups are connected components with canonical ids (the earliest member) — so
ingesting the same articles in any order, or twice, gives the same groups. That is the design rule here: no greedy
"assign to the first cluster that matches", no weights that drift with the corpus.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice

import numpy as np
import orjson

from marsad.data import Article, content_hash
from marsad.dedup import minhash
from marsad.dedup.text import (
    close_cosines,
    containment,
    cosine_vectors,
    pack_vector,
    sample32,
    shingle_hashes,
    term_key,
    term_keys,
    term_vector,
    term_weights,
    text_features,
    unpack_vector,
    words,
)
from marsad.dedup.wire import agency_of_source, credited_agency
from marsad.errors import ConfigError


@dataclass(frozen=True)
class Thresholds:
    """Decision rule for a pair (a, b); chosen by cross-validation on ../shared/data/pairs (see docs/dedup.md)."""

    dup_containment: float = 0.35  # share of the smaller text's 3-grams found in the other
    dup_cosine: float = (
        0.45  # ... and content-term cosine at least this (templates share phrasing, not content)
    )
    # A copy whose shared text is also this share of the *larger* article is a copy of the same item (it joins the
    # copy group); below it the larger article only contains the smaller (a round-up), and grouping through it would
    # chain unrelated items, so it is kept as a "part" link instead.
    group_overlap: float = 0.50
    story_cosine: float = 0.45  # same story: content-term cosine within the time window
    story_cosine_titled: float = 0.30  # ... or a weaker cosine when the titles agree
    story_title: float = 0.50
    story_min_entities: int = 4
    story_cosine_next_day: float = (
        0.55  # across days: daily templates (markets, weather) read alike, so more is asked
    )
    min_figures: int = 3  # two figure-heavy texts (3+ figures each) that share none report different facts
    story_entity_overlap: float = 0.6
    window_days: int = 2


DEFAULT = Thresholds()
MIN_WORDS = 8  # fewer words than this: nothing to compare (empty or caption-only pages are never linked)
TOP_TERMS = 16  # terms per article in the story posting table
MIN_SHARED_TERMS = 2  # candidate when two articles share this many of their top terms
# dedup_postings.day of an article without a known day (a key column cannot be NULL); no date's ordinal comes near it
NO_DAY = -(1 << 40)

# Bump when stored features change meaning (normalisation, shingle hashing, MinHash seeds, IDF table): an index
# built by another version would silently miss copies, so it must be rebuilt (``marsad stories --reindex``).
FEATURES_VERSION = "2"
# Bump when the tables change shape (dedup_meta.layout). A file of an older layout is rewritten by migrate(); one of
# a newer layout is refused (E_DEDUP_LAYOUT): writing it with rows of an older shape would fail or, worse, index
# articles where the newer code does not look. 1 (implicit: no row): candidate indexes keyed by the text id
# (dedup_lsh, dedup_terms); 2: keyed by dedup_vecs.num (dedup_bands, dedup_postings), vectors in dedup_vecs.
LAYOUT = 2
# Layout 1's index tables, kept empty with a trigger that refuses any row: a marsad of layout 1 (which has no layout
# check) opening a file of layout 2 then rejects each article with this message instead of indexing it where layout 2
# never reads (or failing on a missing column).
_LAYOUT1_GUARD = """
CREATE TABLE IF NOT EXISTS dedup_lsh (key INTEGER NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (key, article_id))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_terms (term INTEGER NOT NULL, day INTEGER NOT NULL, article_id TEXT NOT NULL,
    PRIMARY KEY (term, day, article_id)) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS dedup_lsh_layout BEFORE INSERT ON dedup_lsh BEGIN
    SELECT RAISE(ABORT, '[E_DEDUP_LAYOUT] the dedup index of this database has a newer layout than this marsad writes: upgrade marsad');
END;
CREATE TRIGGER IF NOT EXISTS dedup_terms_layout BEFORE INSERT ON dedup_terms BEGIN
    SELECT RAISE(ABORT, '[E_DEDUP_LAYOUT] the dedup index of this database has a newer layout than this marsad writes: upgrade marsad');
END;
"""
DEDUP_TABLES = (
    "dedup_docs",
    "dedup_vecs",
    "dedup_bands",
    "dedup_postings",
    "dedup_lsh",
    "dedup_terms",
    "dedup_links",
    "stories",
    "dedup_events",
    "dedup_meta",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dedup_docs (
    article_id   TEXT PRIMARY KEY,
    source       TEXT NOT NULL DEFAULT '',
    published    TEXT,
    day          INTEGER,              -- date.toordinal() of published, NULL when unknown
    rank_key     TEXT NOT NULL,        -- order for choosing an original: agency item first, then earliest
    agency       TEXT,                 -- wire agency code (own feed or credit in the text)
    agency_own   INTEGER NOT NULL DEFAULT 0,
    title        TEXT,
    n_words      INTEGER NOT NULL,
    shingles     BLOB NOT NULL,        -- sorted unique uint32 hashes of word 3-grams
    terms        TEXT NOT NULL,        -- JSON {stem: tf-idf weight}, L2-normalised ('' when terms_bin holds them)
    title_terms  TEXT NOT NULL,
    entities     TEXT NOT NULL DEFAULT '[]', -- JSON list of entity keys (actor id, else ~normalised name)
    numbers      TEXT NOT NULL DEFAULT '[]', -- JSON list of the figures in the body (2+ digits)
    dup_group    TEXT NOT NULL,        -- article id of the group's original (itself when not a copy)
    comp         TEXT NOT NULL,        -- component of strong links (copies and same-story pairs): earliest member
    anchor       TEXT,                 -- a round-up with no strong link joins the story of its best contained item
    story        TEXT NOT NULL,        -- story id
    terms_bin    BLOB,                 -- the term weights as text.pack_vector (sorted int64 keys + float64 weights)
    title_bin    BLOB
);
CREATE INDEX IF NOT EXISTS dedup_docs_comp ON dedup_docs(comp);
-- (terms_bin, title_bin are added by DedupHook.migrate to older files, whose rows keep their JSON and are read from it)
CREATE INDEX IF NOT EXISTS dedup_docs_anchor ON dedup_docs(anchor);
CREATE INDEX IF NOT EXISTS dedup_docs_dup ON dedup_docs(dup_group);
CREATE INDEX IF NOT EXISTS dedup_docs_story ON dedup_docs(story);
-- Layout 2 (dedup_meta.layout): every indexed article has a number, ``dedup_vecs.num``, and the two candidate indexes
-- hold that number instead of the text id. Their rows are narrower, a candidate's term vector is one rowid lookup
-- in a table of small rows (not the autoindex plus the wide dedup_docs row and its overflow pages), and the
-- posting counts group integers. The vector is stored here only (dedup_docs.terms_bin is NULL for these rows).
CREATE TABLE IF NOT EXISTS dedup_vecs (
    num        INTEGER PRIMARY KEY,    -- the article's number (an alias of the rowid: kept by VACUUM)
    article_id TEXT NOT NULL UNIQUE,
    tvec       BLOB NOT NULL           -- the content-term weights as text.pack_vector (sorted int64 keys + float64)
);
CREATE TABLE IF NOT EXISTS dedup_bands (
    key INTEGER NOT NULL,              -- MinHash LSH band key
    num INTEGER NOT NULL,              -- dedup_vecs.num
    PRIMARY KEY (key, num)
) WITHOUT ROWID;
-- One B-tree keyed (term, day, num): the story-candidate lookup reads a term's rows in the day window as one range
-- of it, and an insert writes one row.
CREATE TABLE IF NOT EXISTS dedup_postings (
    term INTEGER NOT NULL,             -- text.term_key of one of the article's TOP_TERMS heaviest terms
    day  INTEGER NOT NULL,             -- the article's day, NO_DAY when unknown
    num  INTEGER NOT NULL,             -- dedup_vecs.num
    PRIMARY KEY (term, day, num)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dedup_links (
    a           TEXT NOT NULL,         -- a < b
    b           TEXT NOT NULL,
    kind        TEXT NOT NULL,         -- dup (copies) | part (container holds a copy of the other) | story
    container   TEXT,                  -- for part: the larger article
    jaccard     REAL NOT NULL,
    containment REAL NOT NULL,
    cosine      REAL NOT NULL,
    title_sim   REAL NOT NULL,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dedup_links_b ON dedup_links(b);
CREATE TABLE IF NOT EXISTS stories (
    id          TEXT PRIMARY KEY,
    title       TEXT,
    first_published TEXT,
    last_published  TEXT,
    n_articles  INTEGER NOT NULL,
    n_sources   INTEGER NOT NULL,
    sources     TEXT NOT NULL          -- JSON list
);
CREATE TABLE IF NOT EXISTS dedup_events (
    article_id TEXT NOT NULL,
    key        TEXT NOT NULL,          -- type|sources|targets|date: the same event told by several articles
    type       TEXT NOT NULL,
    source     TEXT NOT NULL,
    target     TEXT NOT NULL,
    date       TEXT,
    PRIMARY KEY (article_id, key)
) WITHOUT ROWID;
CREATE VIEW IF NOT EXISTS article_story AS SELECT article_id, story AS story_id FROM dedup_docs;
CREATE VIEW IF NOT EXISTS duplicates AS
    SELECT a, b, jaccard, containment, cosine FROM dedup_links WHERE kind = 'dup';
"""


@dataclass
class Features:
    """What is stored per article and compared per pair."""

    article_id: str
    source: str
    published: str | None
    day: int | None
    rank_key: str
    agency: str | None
    agency_own: bool
    title: str | None
    n_words: int
    shingles: np.ndarray  # uint32
    # (not filled: the weights are read and compared as ``tvec`` / ``title_vec`` only; text.text_features(...).terms
    # gives them as a dict)
    terms: dict[str, float]
    title_terms: dict[str, float]
    entities: frozenset[str]
    numbers: frozenset[str]
    band_keys: list[int]
    top: list[str]
    tvec: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros(0))  # text.term_vector(terms)
    title_vec: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros(0))
    top_keys: list[int] | None = None  # term_key of each of ``top`` (None: not computed; see _top_keys)


def _top_keys(f: Features) -> list[int]:
    """The posting keys of ``f.top`` (computed once by :func:`features` and read by both the lookup and the insert)."""
    return f.top_keys if f.top_keys is not None else [term_key(t) for t in f.top]


_ENTITY_TYPES = frozenset({"PER", "ORG", "GPE", "LOC"})


def entity_keys(article: Article) -> frozenset[str]:
    """Who and where an article is about: registry actor ids, else ``~`` + the normalised name."""
    out = set()
    for e in article.entities:
        if e.type in _ENTITY_TYPES:
            out.add(e.actor_id or "~" + " ".join(words(e.name)))
    out.discard("~")
    return frozenset(out)


def _feature_inputs(article: Article) -> tuple[object, ...]:
    """Every field :func:`features` reads."""
    a = article
    return (a.id, a.source, a.url, a.published, a.published_time, a.title, a.text, a.body, a.entities)


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


_NO_TERMS = (np.zeros(0, np.int64), np.zeros(0))
for _a in _NO_TERMS:
    _a.setflags(write=False)


def features(article: Article) -> Features:
    text = article.body or article.text
    tf = text_features(text)  # words, shingles, term weights and figures through one vocabulary lookup per word
    own = agency_of_source(article.source, article.url)
    cred = own or credited_agency(article.text)
    if tf.n_words < MIN_WORDS:
        sh64 = np.zeros(0, dtype=np.uint64)
        tvec = term_vector({})
        keys: list[int] = []
        top: list[str] = []
    else:
        sh64 = tf.shingles
        tvec = tf.tvec
        keys = minhash.band_keys(minhash.signature(sh64))
        top = tf.top(TOP_TERMS)
    # Rank for the original of a copy group: the agency's own item, then an item crediting an agency, then the
    # earliest; the id breaks ties, so the choice never depends on ingest order.
    tier = 0 if own else (1 if cred else 2)
    rank = f"{tier}|{article.published or '9999-99-99'}|{article.published_time or '99:99'}|{article.id}"
    # (no title: the features of "" are no terms; the same empty vector without the pass)
    title_vec = text_features(article.title, shingles=False).tvec if article.title else _NO_TERMS
    return Features(
        article_id=article.id, source=article.source or "", published=article.published,
        day=_day(article.published), rank_key=rank, agency=cred.code if cred else None, agency_own=own is not None,
        title=article.title, n_words=tf.n_words, shingles=sample32(sh64), terms={},
        title_terms={}, entities=entity_keys(article), numbers=tf.numbers, band_keys=keys,
        top=top, tvec=tvec, title_vec=title_vec, top_keys=term_keys(top),
    )  # fmt: skip


@dataclass(frozen=True)
class PairScore:
    jaccard: float
    containment: float  # shared 3-grams / the smaller article's
    overlap_large: float  # shared 3-grams / the larger article's
    cosine: float
    title: float
    within_window: bool
    same_day: bool = True
    figures_conflict: bool = False  # both texts carry figures and share none of them
    shared_entities: int = 0
    entity_overlap: float = 0.0  # Jaccard of the two articles' entity keys (0 when the NER layer is absent)

    def is_dup(self, th: Thresholds = DEFAULT) -> bool:
        return self.containment >= th.dup_containment and self.cosine >= th.dup_cosine

    def is_group_dup(self, th: Thresholds = DEFAULT) -> bool:
        return self.is_dup(th) and self.overlap_large >= th.group_overlap

    def kind(self, th: Thresholds = DEFAULT) -> str | None:
        """dup | part | story | None: the link kept between the two articles."""
        if self.is_dup(th):
            return "dup" if self.overlap_large >= th.group_overlap else "part"
        return "story" if self.is_story(th) else None

    def is_story(self, th: Thresholds = DEFAULT) -> bool:
        if self.is_dup(th):
            return True
        if not self.within_window or self.figures_conflict:
            return False
        if self.cosine >= (
            th.story_cosine if self.same_day else max(th.story_cosine, th.story_cosine_next_day)
        ):
            return True
        # weaker text evidence, backed by the title or by the same named participants (when entities are there)
        return self.cosine >= th.story_cosine_titled and (
            self.title >= th.story_title
            or (
                self.shared_entities >= th.story_min_entities
                and self.entity_overlap >= th.story_entity_overlap
            )
        )


def score(a: Features, b: Features, th: Thresholds = DEFAULT, *, cosine: float | None = None) -> PairScore:
    """The pair's scores; ``cosine``: ``cosine_vectors(a.tvec, b.tvec)`` when the caller has it already."""
    j, c = containment(a.shingles, b.shingles)
    within = a.day is None or b.day is None or abs(a.day - b.day) <= th.window_days
    small, large = sorted((len(a.shingles), len(b.shingles)))
    big = c * small / large if large else 0.0
    shared = len(a.entities & b.entities)
    ent = shared / len(a.entities | b.entities) if shared else 0.0
    same_day = a.day is None or b.day is None or a.day == b.day
    conflict = min(len(a.numbers), len(b.numbers)) >= th.min_figures and not (a.numbers & b.numbers)
    return PairScore(
        j, c, big, cosine_vectors(a.tvec, b.tvec) if cosine is None else cosine,
        cosine_vectors(a.title_vec, b.title_vec), within, same_day,
        conflict, shared, ent,
    )  # fmt: skip


class DedupHook:
    """Store hook (see :mod:`marsad.store.hooks`): ``migrate`` creates the tables, ``on_insert`` indexes, links
    and regroups one new article inside the store's transaction."""

    name = "dedup"

    def __init__(self, thresholds: Thresholds = DEFAULT) -> None:
        self.th = thresholds
        self._prepared: dict[str, tuple[tuple[object, ...], Features]] = {}

    def prepare(self, conn: sqlite3.Connection, articles: Sequence[Article]) -> None:
        """Optional store-hook step, called once per batch before its articles' ``on_insert``: their features
        (normalised words, shingles, MinHash, term weights: everything that reads only the article) computed
        together, which ``on_insert`` then takes instead of computing them itself.

        The same features, only in another order of work: one pass over the batch keeps the vocabulary and the
        numpy buffers in the CPU caches, where interleaving each article with its SQLite reads and writes evicts
        them (hook CPU per article at 10k stored: 1.52 -> 1.28 ms in an A/B, bench/bench_dedup.py). An article
        that fails here is left to ``on_insert``, which raises for it as before (it alone is rejected)."""
        self._prepared = {}
        for a in articles:
            try:
                self._prepared[a.id] = (_feature_inputs(a), features(a))
            except Exception:  # noqa: BLE001 - on_insert recomputes it and reports the error for that article alone
                continue

    def migrate(self, conn: sqlite3.Connection) -> None:
        _check_layout(conn)  # a file of a newer layout is refused before anything is written to it
        conn.executescript(SCHEMA) if not conn.in_transaction else _execute_script(conn, SCHEMA)
        conn.execute(
            "INSERT OR IGNORE INTO dedup_meta(key, value) VALUES ('features', ?)", (FEATURES_VERSION,)
        )
        _add_vector_columns(conn)
        _migrate_layout(conn)
        if conn.execute("SELECT 1 FROM dedup_meta WHERE key = 'undated_terms'").fetchone() is None:
            # whether dedup_postings holds undated postings, for a file that does not say yet (once: a table scan)
            conn.execute(
                "INSERT INTO dedup_meta(key, value) SELECT 'undated_terms', "
                "CAST(EXISTS (SELECT 1 FROM dedup_postings WHERE day = ?) AS TEXT)",
                (NO_DAY,),
            )
        if conn.in_transaction and conn.isolation_level is not None:
            conn.commit()
        self._version_ok: bool | None = None

    def check_version(self, conn: sqlite3.Connection) -> None:
        if getattr(self, "_version_ok", None):
            return
        r = conn.execute("SELECT value FROM dedup_meta WHERE key = 'features'").fetchone()
        if r is not None and r[0] != FEATURES_VERSION:
            raise ConfigError(
                f"the dedup index in this database was built with features version {r[0]}, this marsad uses "
                f"{FEATURES_VERSION}: rebuild it with `marsad stories --reindex`",
                code="E_DEDUP_VERSION",
            )
        _check_layout(conn)  # (another process may have rewritten the file since it was opened)
        self._version_ok = True

    def on_insert(self, conn: sqlite3.Connection, article: Article) -> None:
        self.check_version(conn)
        ready = self._prepared.pop(article.id, None)
        if conn.execute("SELECT 1 FROM dedup_docs WHERE article_id = ?", (article.id,)).fetchone():
            return  # idempotent: an article already indexed changes nothing
        # (features from prepare() only when made from these same inputs: the store may pass an evolved copy)
        f = ready[1] if ready is not None and ready[0] == _feature_inputs(article) else features(article)
        sizes: dict[str, int] = {}  # the linked candidates' numbers of stored shingles
        links = [(cid, sc, k) for cid, sc in self._scored_candidates(conn, f, sizes) if (k := sc.kind(self.th))]
        # An article linked to nothing is its own copy group, component and story: written at once (the general
        # path below reaches the same rows through a dozen queries).
        alone = not links
        story = _story_id(f.article_id) if alone else ""
        conn.execute(
            "INSERT INTO dedup_docs(article_id, source, published, day, rank_key, agency, agency_own, title, n_words,"
            " shingles, terms, title_terms, entities, numbers, dup_group, comp, story, terms_bin, title_bin)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,'','',?,?,?,?,?,?,?)",
            (f.article_id, f.source, f.published, f.day, f.rank_key, f.agency, int(f.agency_own), f.title, f.n_words,
             f.shingles.tobytes(), json.dumps(sorted(f.entities), ensure_ascii=False) if f.entities else "[]",
             _json_figures(f.numbers),
             f.article_id, f.article_id, story, None, pack_vector(f.title_vec)),
        )  # fmt: skip
        # the article's number and term vector (the vector is kept in dedup_vecs only: terms_bin above is NULL)
        num = conn.execute(
            "INSERT INTO dedup_vecs(article_id, tvec) VALUES (?,?)", (f.article_id, pack_vector(f.tvec))
        ).lastrowid
        # index rows as one multi-row INSERT per table (the same rows; one statement step instead of a step and a
        # reset per row: 0.107 -> 0.081 ms an article for the 32 band and 16 posting rows)
        if f.band_keys:
            conn.execute(
                _insert_sql("dedup_bands(key, num)", 2, len(f.band_keys)),
                [x for k in f.band_keys for x in (k, num)],
            )
        if f.top:
            day = NO_DAY if f.day is None else f.day
            conn.execute(
                _insert_sql("dedup_postings(term, day, num)", 3, len(f.top)),
                [x for k in _top_keys(f) for x in (k, day, num)],
            )
        if f.day is None and f.top:
            conn.execute("INSERT OR REPLACE INTO dedup_meta(key, value) VALUES ('undated_terms', '1')")
        if alone:
            _store_events(conn, article)
            conn.execute(
                "INSERT OR REPLACE INTO stories(id, title, first_published, last_published, n_articles, n_sources, "
                "sources) VALUES (?,?,?,?,1,1,?)",
                (story, f.title or None, f.published or None, f.published or None,
                 json.dumps([f.source], ensure_ascii=False)),
            )
            return
        containers: list[str] = []
        for cid, sc, kind in links:
            a, b = sorted((f.article_id, cid))
            container = None
            if kind == "part":  # the larger side (ties: the greater id) holds the smaller
                container = max((len(f.shingles), f.article_id), (sizes.get(cid, 0), cid))[1]
                containers.append(container)
            conn.execute(
                "INSERT OR REPLACE INTO dedup_links(a, b, kind, container, jaccard, containment, cosine, title_sim) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (a, b, kind, container, round(sc.jaccard, 4), round(sc.containment, 4), round(sc.cosine, 4),
                 round(sc.title, 4)),
            )  # fmt: skip
        _store_events(conn, article)
        _regroup_dups(conn, f.article_id, [cid for cid, _, k in links if k == "dup"])
        comp = _merge_comps(conn, f.article_id, [cid for cid, _, k in links if k in ("dup", "story")])
        touched = set(comp) | set(containers)
        for r in sorted(set(containers)):
            _reanchor(conn, r)
        _restory(conn, touched)

    # -- candidates ------------------------------------------------------------------------------------------
    def _scored_candidates(
        self, conn: sqlite3.Connection, f: Features, sizes: dict[str, int]
    ) -> Iterable[tuple[str, PairScore]]:
        """The scored candidates of ``f`` (all that may be linked to it); ``sizes`` gets their shingle counts."""
        if not f.band_keys:
            return []
        # The candidates (sharing an LSH band, or MIN_SHARED_TERMS of the top terms within the window) and their
        # term vectors in one statement: one round trip instead of three (band lookup, postings, vectors).
        subs = [f"SELECT num FROM dedup_bands WHERE key IN ({_marks(len(f.band_keys))})"]
        args: list[object] = list(f.band_keys)
        if f.top:
            keys = _top_keys(f)
            q = f"SELECT num FROM dedup_postings WHERE term IN ({_marks(len(keys))})"
            args += keys
            if f.day is not None:
                # the posting rows in the day window and those without a day, as two ranges of the (term, day, ...)
                # key (an OR of the two read every posting row of the term); the second only when the store holds
                # undated postings (16 more B-tree descents that find nothing cost 20% of the lookup otherwise)
                args += [f.day - self.th.window_days, f.day + self.th.window_days]
                if _has_undated_terms(conn):
                    q = f"SELECT num FROM ({q} AND day BETWEEN ? AND ? UNION ALL {q} AND day = ?)"
                    args += [*keys, NO_DAY]
                else:
                    q += " AND day BETWEEN ? AND ?"
            subs.append(f"{q} GROUP BY num HAVING COUNT(*) >= ?")
            args.append(MIN_SHARED_TERMS)
        args.append(f.article_id)
        rows = conn.execute(
            f"SELECT article_id, tvec FROM dedup_vecs WHERE num IN ({' UNION '.join(subs)}) AND article_id != ?",
            args,
        )
        # Every link needs at least this content-term cosine (a copy: dup_cosine; a story: one of the story
        # cosines): the candidates' term vectors are read first, and the rest of their features only for those
        # that reach it (most story candidates do not; the links are the same).
        th = self.th
        floor = min(th.dup_cosine, th.story_cosine, th.story_cosine_titled, th.story_cosine_next_day)
        close = _close_candidates(f.tvec, rows, floor)
        blobs = {cid: blob for cid, blob, _ in close}
        cosines = {cid: cos for cid, _, cos in close}  # (their exact cosines, from the bound's products)
        out = []
        for cid, other in sorted(load_features_many(conn, blobs, tvecs=blobs).items()):
            sizes[cid] = len(other.shingles)
            out.append((cid, score(f, other, th, cosine=cosines[cid])))
        return out


def near_duplicates(
    conn: sqlite3.Connection, article: Article, th: Thresholds = DEFAULT
) -> list[tuple[str, PairScore]]:
    """Stored copies of ``article`` found through the LSH index alone, without storing anything.

    The cheap path (the one ``bench/bench_dedup.py`` times): shingles, MinHash, band lookup, exact containment of
    the candidates; the content-term weights are computed only when some candidate passes on containment.
    """
    ws = words(article.body or article.text)
    if len(ws) < MIN_WORDS:
        return []
    sh64 = shingle_hashes(ws)
    keys = minhash.band_keys(minhash.signature(sh64))
    q = (
        "SELECT article_id FROM dedup_vecs WHERE num IN "
        f"(SELECT num FROM dedup_bands WHERE key IN ({_marks(len(keys))}))"
    )
    cands = sorted({r[0] for r in conn.execute(q, keys)} - {article.id})
    if not cands:
        return []
    shingles = sample32(sh64)
    close: dict[str, tuple[float, float, float]] = {}
    q = f"SELECT article_id, shingles FROM dedup_docs WHERE article_id IN ({_marks(len(cands))})"
    for cid, blob in conn.execute(q, cands):
        other = np.frombuffer(blob, dtype=np.uint32)
        j, c = containment(shingles, other)
        if c >= th.dup_containment:
            small, large = sorted((len(shingles), len(other)))
            close[cid] = (j, c, c * small / large)
    if not close:
        return []
    tvec = term_vector(term_weights(ws))  # only now: most articles have no candidate this close
    out = []
    for cid, feats in sorted(load_features_many(conn, close).items()):
        j, c, big = close[cid]
        sc = PairScore(j, c, big, cosine_vectors(tvec, feats.tvec), 0.0, True)
        if sc.is_dup(th):
            out.append((cid, sc))
    return out


def reindex(conn: sqlite3.Connection, articles: Iterable[Article], *, hook: DedupHook | None = None) -> int:
    """Drop and rebuild the dedup tables from ``articles`` in one transaction (the result does not depend on the
    order they come in). Returns how many were indexed."""
    hook = hook or DedupHook()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for view in ("article_story", "duplicates"):
            conn.execute(f"DROP VIEW IF EXISTS {view}")
        for t in DEDUP_TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {t}")
        _execute_script(conn, SCHEMA)
        _execute_script(conn, _LAYOUT1_GUARD)
        conn.execute(
            "INSERT OR IGNORE INTO dedup_meta(key, value) VALUES ('features', ?)", (FEATURES_VERSION,)
        )
        conn.execute("INSERT OR IGNORE INTO dedup_meta(key, value) VALUES ('layout', ?)", (str(LAYOUT),))
        conn.execute("INSERT OR IGNORE INTO dedup_meta(key, value) VALUES ('undated_terms', '0')")
        hook._version_ok = True
        n = 0
        it = iter(articles)
        while batch := list(islice(it, 200)):  # in batches, as the store writes them: prepare, then each on_insert
            hook.prepare(conn, batch)
            for a in batch:
                hook.on_insert(conn, a)
            n += len(batch)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return n


_FEATURE_COLS = ("d.article_id, d.source, d.published, d.day, d.rank_key, d.agency, d.agency_own, d.title, d.n_words, "
                 "d.shingles, d.terms, d.title_terms, d.entities, d.numbers, d.terms_bin, d.title_bin")


def load_features(conn: sqlite3.Connection, article_id: str) -> Features | None:
    return load_features_many(conn, [article_id]).get(article_id)


def load_features_many(
    conn: sqlite3.Connection, ids: Iterable[str], *, tvecs: dict[str, bytes] | None = None
) -> dict[str, Features]:
    """Stored features of ``ids`` (those indexed), one query per 500. Term weights are read from their binary
    vectors (``tvecs``, when the caller has read them already; else dedup_vecs, or dedup_docs.terms_bin for rows
    that kept it); rows written before the vectors existed are read from their JSON."""
    out: dict[str, Features] = {}
    vec = "d.terms_bin" if tvecs is not None else "coalesce(d.terms_bin, v.tvec)"
    join = "" if tvecs is not None else " LEFT JOIN dedup_vecs v ON v.article_id = d.article_id"
    for chunk in _chunks(sorted(ids), 500):
        q = (f"SELECT {_FEATURE_COLS}, {vec} FROM dedup_docs d{join} WHERE d.article_id IN ({_marks(len(chunk))})")
        for r in conn.execute(q, list(chunk)):
            blob = tvecs.get(r[0]) if tvecs is not None else None
            if blob is None:
                blob = r[16]
            tvec = unpack_vector(blob) if blob is not None else term_vector(orjson.loads(r[10]))
            title_vec = unpack_vector(r[15]) if r[15] is not None else term_vector(orjson.loads(r[11]))
            out[r[0]] = Features(
                article_id=r[0], source=r[1], published=r[2], day=r[3], rank_key=r[4], agency=r[5],
                agency_own=bool(r[6]), title=r[7], n_words=r[8], shingles=np.frombuffer(r[9], dtype=np.uint32),
                terms={}, title_terms={}, entities=frozenset(orjson.loads(r[12])),
                numbers=frozenset(orjson.loads(r[13])), band_keys=[], top=[], tvec=tvec, title_vec=title_vec,
            )  # fmt: skip
    return out


def _close_candidates(
    tvec: tuple[np.ndarray, np.ndarray], rows: Iterable[tuple[str, bytes]], floor: float
) -> list[tuple[str, bytes, float]]:
    """The rows (article id, packed term vector) whose content-term cosine with ``tvec`` may reach ``floor``, each
    with that exact cosine (``cosine_vectors``): a superset of the exact ``cosine_vectors(...) >= floor`` by at most a
    pair within 1e-9 below it (their exact score then links nothing), bounded for all rows at once and the exact
    cosines summed from the same products (:func:`text.close_cosines`)."""
    got = list(rows)
    if not got:
        return []
    return [(got[i][0], got[i][1], cos) for i, cos in close_cosines(tvec, [b for _, b in got], floor)]


def _has_undated_terms(conn: sqlite3.Connection) -> bool:
    """Whether ``dedup_postings`` may hold postings of undated articles (``dedup_meta.undated_terms``: '0' only when
    it holds none; set to '1' in the transaction that writes the first; unknown counts as yes)."""
    r = conn.execute("SELECT value FROM dedup_meta WHERE key = 'undated_terms'").fetchone()
    return r is None or r[0] != "0"


def _json_figures(numbers: frozenset[str]) -> str:
    """``json.dumps(sorted(numbers))``: written directly when every figure is ASCII digits (nothing to escape)."""
    if not numbers:
        return "[]"
    items = sorted(numbers)
    joined = '", "'.join(items)
    if joined.isascii() and "".join(items).isdigit():
        return '["' + joined + '"]'
    return json.dumps(items)


@lru_cache(maxsize=256)
def _insert_sql(table: str, width: int, n: int) -> str:
    """``INSERT OR IGNORE INTO table VALUES`` with ``n`` rows of ``width`` placeholders (made once per shape)."""
    row = "(" + ",".join("?" * width) + ")"
    return f"INSERT OR IGNORE INTO {table} VALUES " + ",".join([row] * n)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _add_vector_columns(conn: sqlite3.Connection) -> None:
    have = {r[1] for r in conn.execute("PRAGMA table_info(dedup_docs)")}
    for col in ("terms_bin", "title_bin"):
        if col not in have:
            conn.execute(f"ALTER TABLE dedup_docs ADD COLUMN {col} BLOB")


def _check_layout(conn: sqlite3.Connection) -> None:
    """Refuse a file whose dedup tables have a newer layout than :data:`LAYOUT` (``E_DEDUP_LAYOUT``)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dedup_meta'").fetchone() is None:
        return
    r = conn.execute("SELECT value FROM dedup_meta WHERE key = 'layout'").fetchone()
    if r is None:
        return
    try:
        newer = int(r[0]) > LAYOUT
    except (TypeError, ValueError):
        newer = True  # (not a layout this code can read)
    if newer:
        raise ConfigError(
            f"the dedup index in this database has layout {r[0]!s}, newer than this marsad's {LAYOUT}: it was "
            "written by a newer marsad; upgrade marsad to open it for writing",
            code="E_DEDUP_LAYOUT",
        )


def _migrate_layout(conn: sqlite3.Connection) -> None:
    """Bring a file without a layout row up to :data:`LAYOUT` once: a fresh file gets the row and the layout-1 guard;
    a file of layout 1 (candidate indexes keyed by text id: ``dedup_lsh``, ``dedup_terms`` in either of their two
    shapes) gets every article numbered in ``dedup_vecs`` with its term vector, the same index rows keyed by number
    (unknown days as NO_DAY), ``dedup_docs.terms_bin`` cleared (the vector now lives in dedup_vecs) and the old
    tables replaced by the guard. One transaction, once per file: 18 s (8.7 s CPU) at 100k stored (the bench store)."""
    if conn.execute("SELECT 1 FROM dedup_meta WHERE key = 'layout'").fetchone() is not None:
        return
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM dedup_meta WHERE key = 'layout'").fetchone() is None:  # (another process?)
            cols = {r[1] for r in conn.execute("PRAGMA table_info(dedup_lsh)")}
            if "article_id" in cols and not _has_guard(conn):
                _number_layout1(conn)
            _execute_script(conn, _LAYOUT1_GUARD)
            conn.execute("INSERT INTO dedup_meta(key, value) VALUES ('layout', ?)", (str(LAYOUT),))
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own:
            conn.execute("ROLLBACK")
        raise


def _has_guard(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'dedup_lsh_layout'").fetchone() is not None


def _number_layout1(conn: sqlite3.Connection) -> None:
    """Layout 1 -> 2 (see :func:`_migrate_layout`), inside the caller's transaction."""
    conn.execute(
        "INSERT INTO dedup_vecs(article_id, tvec) SELECT article_id, coalesce(terms_bin, x'') FROM dedup_docs "
        "ORDER BY article_id"
    )
    legacy = conn.execute("SELECT article_id, terms FROM dedup_docs WHERE terms_bin IS NULL").fetchall()
    conn.executemany(  # rows written before the binary vectors: their JSON weights
        "UPDATE dedup_vecs SET tvec = ? WHERE article_id = ?",
        [(pack_vector(term_vector(orjson.loads(tj) if tj else {})), aid) for aid, tj in legacy],
    )
    conn.execute(
        "INSERT OR IGNORE INTO dedup_bands(key, num) SELECT l.key, v.num FROM dedup_lsh l "
        "JOIN dedup_vecs v ON v.article_id = l.article_id ORDER BY 1, 2"
    )
    conn.execute(
        "INSERT OR IGNORE INTO dedup_postings(term, day, num) SELECT t.term, coalesce(t.day, ?), v.num "
        "FROM dedup_terms t JOIN dedup_vecs v ON v.article_id = t.article_id ORDER BY 1, 2, 3",
        (NO_DAY,),
    )
    conn.execute("UPDATE dedup_docs SET terms_bin = NULL WHERE terms_bin IS NOT NULL")
    conn.execute("DROP TABLE dedup_lsh")
    conn.execute("DROP TABLE dedup_terms")  # (and, in the oldest shape, its (term, day) index)


def _story_id(component: str) -> str:
    return "st-" + content_hash("story", component, length=12)


# -- groups ----------------------------------------------------------------------------------------------------


def _regroup_dups(conn: sqlite3.Connection, new_id: str, linked: Sequence[str]) -> None:
    if not linked:
        return
    groups = {new_id} | _column_values(conn, "dup_group", linked)
    members = _members(conn, "dup_group", groups)
    _set(conn, "dup_group", _earliest(conn, members), members)


def _merge_comps(conn: sqlite3.Connection, new_id: str, linked: Sequence[str]) -> set[str]:
    """Merge the strong-link components of ``linked`` with the new article; the members of the result."""
    old = _column_values(conn, "comp", linked) | {new_id}
    members = _members(conn, "comp", old)
    _set(conn, "comp", _earliest(conn, members), members)
    return set(members)


def _reanchor(conn: sqlite3.Connection, article_id: str) -> None:
    """A container's anchor: among the articles it contains, the one with the highest containment (then id)."""
    r = conn.execute(
        "SELECT CASE WHEN a = ? THEN b ELSE a END AS other FROM dedup_links WHERE kind = 'part' AND container = ? "
        "AND (a = ? OR b = ?) ORDER BY containment DESC, other LIMIT 1",
        (article_id, article_id, article_id, article_id),
    ).fetchone()
    conn.execute("UPDATE dedup_docs SET anchor = ? WHERE article_id = ?", (r[0] if r else None, article_id))


def _resolve(conn: sqlite3.Connection, article_id: str, comp: str, anchor: str | None) -> str:
    """The component an article's story is: its own, unless it is alone there and anchored to a contained item
    (then that item's, followed down; anchors point to strictly smaller articles, so this ends). ``comp`` and
    ``anchor`` are the article's own (read by the caller with the others')."""
    seen = set()
    cur = article_id
    while cur not in seen:
        seen.add(cur)
        if anchor is None:  # (no anchor: its own component, whatever the component's size)
            return str(comp)
        alone = conn.execute("SELECT COUNT(*) FROM dedup_docs WHERE comp = ?", (comp,)).fetchone()[0] == 1
        if not alone:
            return str(comp)
        cur = anchor
        comp, anchor = conn.execute("SELECT comp, anchor FROM dedup_docs WHERE article_id = ?", (cur,)).fetchone()
    return cur


def _restory(conn: sqlite3.Connection, touched: Iterable[str]) -> None:
    """Recompute the story of the touched articles and of every container anchored to them, transitively."""
    todo = set(touched)
    frontier = set(todo)
    while frontier:
        nxt: set[str] = set()
        for chunk in _chunks(sorted(frontier), 500):
            q = f"SELECT article_id FROM dedup_docs WHERE anchor IN ({_marks(len(chunk))})"
            nxt.update(r[0] for r in conn.execute(q, chunk))
        frontier = nxt - todo
        todo |= nxt
    # each member's comp, anchor and story in one read; a story is written only where it changes (resolving reads
    # comps and anchors, never stories, so the order of these writes does not matter)
    now: dict[str, tuple[str, str | None, str]] = {}
    for chunk in _chunks(sorted(todo), 500):
        q = f"SELECT article_id, comp, anchor, story FROM dedup_docs WHERE article_id IN ({_marks(len(chunk))})"
        now.update((r[0], (r[1], r[2], r[3])) for r in conn.execute(q, chunk))
    stories = {st for _, _, st in now.values()}
    changed = []
    for aid, (comp, anchor, old) in sorted(now.items()):
        story = _story_id(_resolve(conn, aid, comp, anchor))
        stories.add(story)
        if story != old:
            changed.append((story, aid))
    conn.executemany("UPDATE dedup_docs SET story = ? WHERE article_id = ?", changed)
    for sid in sorted(stories):
        if sid:
            refresh_story(conn, sid)


def _column_values(conn: sqlite3.Connection, col: str, ids: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for chunk in _chunks(list(ids), 500):
        q = f"SELECT DISTINCT {col} FROM dedup_docs WHERE article_id IN ({_marks(len(chunk))})"
        out.update(r[0] for r in conn.execute(q, chunk))
    return out


def _members(conn: sqlite3.Connection, col: str, group_ids: Iterable[str]) -> dict[str, str]:
    """The articles whose ``col`` is one of ``group_ids``, with that value."""
    out: dict[str, str] = {}
    for chunk in _chunks(list(group_ids), 500):
        q = f"SELECT article_id, {col} FROM dedup_docs WHERE {col} IN ({_marks(len(chunk))})"
        out.update((r[0], r[1]) for r in conn.execute(q, chunk))
    return out


def _earliest(conn: sqlite3.Connection, members: Iterable[str]) -> str:
    best: tuple[str, str] | None = None
    for chunk in _chunks(sorted(members), 500):
        q = f"SELECT rank_key, article_id FROM dedup_docs WHERE article_id IN ({_marks(len(chunk))})"
        for r in conn.execute(q, chunk):
            cand = (r[0], r[1])
            if best is None or cand < best:
                best = cand
    assert best is not None
    return best[1]


def _set(conn: sqlite3.Connection, col: str, value: str, members: dict[str, str]) -> None:
    """``col = value`` for ``members`` (article id -> its current value), written only where it changes."""
    conn.executemany(
        f"UPDATE dedup_docs SET {col} = ? WHERE article_id = ?",
        [(value, m) for m in sorted(members) if members[m] != value],
    )


def refresh_story(conn: sqlite3.Connection, story: str) -> None:
    """Recompute a story's row from its members (title from the earliest member, agency items first)."""
    rows = conn.execute(
        "SELECT article_id, source, published, title, rank_key FROM dedup_docs WHERE story = ? ORDER BY rank_key",
        (story,),
    ).fetchall()
    if not rows:
        conn.execute("DELETE FROM stories WHERE id = ?", (story,))
        return
    title = next((r[3] for r in rows if r[3]), None)
    dates = sorted(r[2] for r in rows if r[2])
    sources = sorted({r[1] for r in rows})
    conn.execute(
        "INSERT OR REPLACE INTO stories(id, title, first_published, last_published, n_articles, n_sources, sources) "
        "VALUES (?,?,?,?,?,?,?)",
        (story, title, dates[0] if dates else None, dates[-1] if dates else None, len(rows), len(sources),
         json.dumps(sources, ensure_ascii=False)),
    )  # fmt: skip


def _store_events(conn: sqlite3.Connection, article: Article) -> None:
    """Keep each event's identity (type, who, whom, when) so a story can count it once across its articles."""
    if not article.events:
        return
    names = {e.id: (e.actor_id or e.name) for e in article.entities}
    rows = []
    for ev in article.events:
        src = ";".join(sorted(names.get(i, i) for i in ev.source))
        tgt = ";".join(sorted(names.get(i, i) for i in ev.target))
        when = ev.date or article.published
        key = "|".join((ev.type, src, tgt, when or "", "neg" if ev.negated else ""))
        rows.append((article.id, key, ev.type, src, tgt, when))
    conn.executemany(
        "INSERT OR IGNORE INTO dedup_events(article_id, key, type, source, target, date) VALUES (?,?,?,?,?,?)",
        rows,
    )


def _execute_script(conn: sqlite3.Connection, script: str) -> None:
    """``executescript`` commits first; inside a transaction run the statements one by one instead."""
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \n;"):
                conn.execute(buf)
            buf = ""


def _chunks(seq: Sequence, n: int) -> Iterable[Sequence]:
    for i in range(0, len(seq), n):
        yield seq[i : i + n]
