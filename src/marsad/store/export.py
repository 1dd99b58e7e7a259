"""Writers for ``marsad export``: JSONL (the full record), Parquet (typed: dates as date32, entities / quotes /
events as list<struct>, a schema-version key in the file metadata; streamed in row groups), and the GDELT /
PLOVER event formats through :mod:`marsad.events.export` when it is installed."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import date, time
from typing import IO, Any

from marsad.data import Article
from marsad.errors import ConfigError, MissingDependency

PARQUET_SCHEMA_VERSION = "2"  # 1: nested parts as JSON text, dates as strings; 2: real types (this one)
SCHEMA_VERSION_KEY = b"marsad.schema_version"


def _span_struct() -> Any:
    import pyarrow as pa

    return pa.struct([("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])


def parquet_fields() -> list[Any]:
    """The typed article columns of every marsad Parquet file (``marsad export --format parquet`` and the
    ``articles`` table of ``marsad run`` shards): dates as ``date32``, the time as ``time32[s]``, entities / quotes /
    events as ``list<struct>``; ``meta`` (free-form per source) stays JSON text."""
    import pyarrow as pa

    s, ls = pa.string(), pa.list_(pa.string())
    entity = pa.struct([
        ("id", s), ("type", s), ("name", s), ("actor_id", s), ("country", s), ("sector", s),
        ("n_mentions", pa.int32()), ("mentions", pa.list_(_span_struct())),
    ])  # fmt: skip
    quote = pa.struct([
        ("id", s), ("kind", s), ("speaker", ls), ("speaker_names", ls), ("start", pa.int64()), ("end", pa.int64()),
        ("text", s), ("cue", s),
    ])  # fmt: skip
    event = pa.struct([
        ("id", s), ("type", s), ("source", ls), ("target", ls), ("source_names", ls), ("target_names", ls),
        ("mode", s), ("date", pa.date32()), ("negated", pa.bool_()), ("modality", s), ("symmetric", pa.bool_()),
        ("location", s), ("confidence", pa.float64()), ("cameo", s), ("quad_class", pa.int8()),
        ("goldstein", pa.float64()), ("evidence_start", pa.int64()), ("evidence_end", pa.int64()), ("evidence", s),
    ])  # fmt: skip
    return [
        pa.field("id", s), pa.field("source", s), pa.field("url", s), pa.field("title", s),
        pa.field("published", pa.date32()), pa.field("published_time", pa.time32("s")), pa.field("body", s),
        pa.field("text", s), pa.field("n_entities", pa.int32()), pa.field("n_quotes", pa.int32()),
        pa.field("n_events", pa.int32()), pa.field("entities", pa.list_(entity)),
        pa.field("quotes", pa.list_(quote)), pa.field("events", pa.list_(event)), pa.field("meta", s),
    ]  # fmt: skip


def parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema(parquet_fields(), metadata={SCHEMA_VERSION_KEY: PARQUET_SCHEMA_VERSION.encode()})


def as_date(v: str | None) -> date | None:
    """``YYYY-MM-DD`` -> date; anything else (None, a partial or impossible date) -> None."""
    if not v:
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def as_time(v: str | None) -> time | None:
    if not v:
        return None
    try:
        return time.fromisoformat(v if len(v) > 5 else v + ":00")
    except ValueError:
        return None


def article_row(article: Article) -> dict[str, Any]:
    """One typed Parquet row (see :func:`parquet_fields`)."""
    a = article
    text = a.text
    names = {e.id: e.name for e in a.entities}

    def sp(x: Any) -> dict[str, Any]:
        return {"start": x.start, "end": x.end, "text": text[x.start : x.end]}

    return {
        "id": a.id, "source": a.source, "url": a.url, "title": a.title, "published": as_date(a.published),
        "published_time": as_time(a.published_time), "body": a.body, "text": text,
        "n_entities": len(a.entities), "n_quotes": len(a.quotes), "n_events": len(a.events),
        "entities": [{"id": e.id, "type": e.type, "name": e.name, "actor_id": e.actor_id, "country": e.country,
                      "sector": e.sector, "n_mentions": len(e.mentions), "mentions": [sp(m) for m in e.mentions]}
                     for e in a.entities],
        "quotes": [{"id": q.id, "kind": q.kind, "speaker": list(q.speaker),
                    "speaker_names": [names.get(x, x) for x in q.speaker], "start": q.content.start,
                    "end": q.content.end, "text": q.content.slice(text), "cue": q.cue.slice(text) if q.cue else None}
                   for q in a.quotes],
        "events": [{"id": ev.id, "type": ev.type, "source": list(ev.source), "target": list(ev.target),
                    "source_names": [names.get(x, x) for x in ev.source],
                    "target_names": [names.get(x, x) for x in ev.target], "mode": ev.mode,
                    "date": as_date(ev.date), "negated": bool(ev.negated), "modality": ev.modality,
                    "symmetric": bool(ev.symmetric), "location": ev.location,
                    "confidence": None if ev.confidence is None else float(ev.confidence), "cameo": ev.cameo,
                    "quad_class": ev.quad_class, "goldstein": None if ev.goldstein is None else float(ev.goldstein),
                    "evidence_start": ev.evidence.start, "evidence_end": ev.evidence.end,
                    "evidence": ev.evidence.slice(text)} for ev in a.events],
        "meta": json.dumps(dict(a.meta), ensure_ascii=False, default=str),
    }  # fmt: skip


def with_dedup_ids(conn: Any, articles: Iterable[Article]) -> Iterable[Article]:
    """Each article with its copy group (its original's id) and story id in ``meta["dedup"]`` when the dedup room's
    tables are in the store, so GDELT counts copies as GDELT does (NumArticles / NumSources / mentions)."""
    try:
        from marsad.dedup.query import has_tables
    except ImportError:
        yield from articles
        return
    if not has_tables(conn):
        yield from articles
        return
    for a in articles:
        r = conn.execute("SELECT dup_group, story FROM dedup_docs WHERE article_id = ?", (a.id,)).fetchone()
        if r is None:
            yield a
            continue
        meta = dict(a.meta)
        meta["dedup"] = {"copy_group": r[0], "is_original": r[0] == a.id, "story": r[1]}
        yield a.evolve(meta=meta)


def write_jsonl(articles: Iterable[Article], out: IO[str], *, progress: Any = None) -> int:
    n = 0
    for a in articles:
        if progress is not None:
            progress()
        out.write(a.to_json() + "\n")
        n += 1
    return n


def write_parquet(articles: Iterable[Article], path: str, *, row_group: int = 1000, progress: Any = None) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise MissingDependency("export --format parquet", "parquet", "pyarrow") from e
    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as w:
        rows: list[dict[str, Any]] = []
        for a in articles:
            if progress is not None:
                progress()
            rows.append(article_row(a))
            if len(rows) >= row_group:
                w.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
                rows = []
        if rows or n == 0:
            w.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n


def _events_export() -> Any:
    try:
        from marsad.events import export as ev_export
    except ImportError as e:
        raise ConfigError(
            "GDELT/PLOVER export needs marsad.events.export (the events module), which is not "
            "installed in this build",
            code="E203",
        ) from e
    for name in ("GDELT_COLUMNS", "MENTION_COLUMNS", "GdeltExport", "plover_records"):
        if not hasattr(ev_export, name):
            raise ConfigError(f"marsad.events.export lacks {name}; cannot export events", code="E203")
    return ev_export


def write_gdelt(articles: Iterable[Article], out: IO[str], *, header: bool = False,
                mentions: IO[str] | None = None, progress: Any = None,
                skipped: dict[str, int] | None = None) -> int:
    """GDELT 2.0 event rows (tab-separated, columns ``GDELT_COLUMNS``; one per event per copy group) and, when
    ``mentions`` is given, the GDELT 2.0 mentions table (``MENTION_COLUMNS``; one row per telling article). No
    header line by default, like GDELT's own files, so GDELT readers load them unchanged. Rows are written after
    the last article (copy groups span the whole input)."""
    ev = _events_export()
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    if header:
        w.writerow(list(ev.GDELT_COLUMNS))
    collector = ev.GdeltExport()
    for a in articles:
        collector.add(a)
        if progress is not None:
            progress()
    n = 0
    for row in collector.rows():
        w.writerow([_cell(v) for v in row])
        n += 1
    if mentions is not None:
        mw = csv.writer(mentions, delimiter="\t", lineterminator="\n")
        if header:
            mw.writerow(list(ev.MENTION_COLUMNS))
        for row in collector.mentions():
            mw.writerow([_cell(v) for v in row])
    if skipped is not None:
        skipped.update(collector.skipped)
    return n


def write_plover(articles: Iterable[Article], out: IO[str], *, progress: Any = None,
                 skipped: dict[str, int] | None = None) -> int:
    """PLOVER event records, one JSON object a line (valid against ``marsad/events/data/plover.schema.json``).
    ``skipped`` counts events that cannot be records (no date, or a category PLOVER does not have)."""
    ev = _events_export()
    n = 0
    for a in articles:
        if progress is not None:
            progress()
        recs = ev.plover_records(a)
        if skipped is not None and len(recs) < len(a.events):
            why = "no date (PLOVER requires one)" if not a.published else "no date or not a PLOVER category"
            skipped[why] = skipped.get(why, 0) + len(a.events) - len(recs)
        for rec in recs:
            out.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v).replace("\t", " ").replace("\n", " ")
