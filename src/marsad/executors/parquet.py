"""Parquet shards of pipeline output: one folder per table under the output directory.

Typed like ``marsad export --format parquet`` (schema version ``marsad.store.export.PARQUET_SCHEMA_VERSION`` in
each file's metadata): dates as ``date32``, the time as ``time32``; ``articles/`` has the same typed columns as the
export (entities / quotes / events as ``list<struct>``) and keeps the full record JSON (``record``), so nothing is
lost and
``marsad load`` can rebuild every :class:`~marsad.data.Article`; ``entities/``, ``quotes/``, ``events/`` are
flat tables for DuckDB/pandas; ``rejections/`` keeps stage, code, reason and the raw input. Every row carries a
``key`` (``<file index>:<record index>`` of the input) so that runs can be compared and loaded in input order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from marsad.data import Article, Rejection
from marsad.store.export import (
    PARQUET_SCHEMA_VERSION,
    SCHEMA_VERSION_KEY,
    article_row,
    as_date,
    parquet_fields,
)

TABLES = ("articles", "entities", "quotes", "events", "rejections")

_str = pa.string()
_list_str = pa.list_(pa.string())

_date = pa.date32()
_META = {SCHEMA_VERSION_KEY: PARQUET_SCHEMA_VERSION.encode()}

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([pa.field("key", _str), *parquet_fields(), pa.field("record", _str)], metadata=_META),
    "entities": pa.schema([
        ("key", _str), ("article_id", _str), ("id", _str), ("type", _str), ("name", _str), ("actor_id", _str),
        ("country", _str), ("sector", _str), ("n_mentions", pa.int32()), ("mentions", _list_str),
        ("published", _date),
    ], metadata=_META),
    "quotes": pa.schema([
        ("key", _str), ("article_id", _str), ("id", _str), ("kind", _str), ("speaker", _list_str),
        ("speaker_names", _list_str), ("start", pa.int64()), ("end", pa.int64()), ("text", _str), ("cue", _str),
        ("published", _date),
    ], metadata=_META),
    "events": pa.schema([
        ("key", _str), ("article_id", _str), ("id", _str), ("type", _str), ("source", _list_str),
        ("target", _list_str), ("source_names", _list_str), ("target_names", _list_str), ("mode", _str),
        ("date", _date), ("negated", pa.bool_()), ("modality", _str), ("symmetric", pa.bool_()),
        ("location", _str), ("confidence", pa.float64()), ("cameo", _str), ("quad_class", pa.int32()),
        ("goldstein", pa.float64()), ("evidence_start", pa.int64()), ("evidence_end", pa.int64()),
        ("evidence", _str), ("published", _date),
    ], metadata=_META),
    "rejections": pa.schema([
        ("key", _str), ("id", _str), ("stage", _str), ("code", _str), ("reason", _str), ("source", _str),
        ("raw", pa.binary()), ("raw_is_text", pa.bool_()), ("attrs", _str),
    ], metadata=_META),
}  # fmt: skip


def rows_for(key: str, item: Article | Rejection) -> dict[str, list[dict[str, Any]]]:
    """The rows one pipeline result contributes to each table."""
    out: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    if isinstance(item, Rejection):
        raw = item.raw
        out["rejections"].append({
            "key": key, "id": item.id, "stage": item.stage, "code": item.code, "reason": item.reason,
            "source": item.source, "raw": raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw,
            "raw_is_text": isinstance(raw, str), "attrs": json.dumps(dict(item.attrs), ensure_ascii=False, default=str),
        })  # fmt: skip
        return out
    a = item
    text = a.text
    names = {e.id: e.name for e in a.entities}
    out["articles"].append({"key": key, **article_row(a), "record": _record_json(a)})
    published = as_date(a.published)
    for e in a.entities:
        out["entities"].append({
            "key": key, "article_id": a.id, "id": e.id, "type": e.type, "name": e.name, "actor_id": e.actor_id,
            "country": e.country, "sector": e.sector, "n_mentions": len(e.mentions),
            "mentions": [m.slice(text) for m in e.mentions], "published": published,
        })  # fmt: skip
    for q in a.quotes:
        out["quotes"].append({
            "key": key, "article_id": a.id, "id": q.id, "kind": q.kind, "speaker": list(q.speaker),
            "speaker_names": [names.get(s, s) for s in q.speaker], "start": q.content.start, "end": q.content.end,
            "text": q.content.slice(text), "cue": q.cue.slice(text) if q.cue else None, "published": published,
        })  # fmt: skip
    for ev in a.events:
        out["events"].append({
            "key": key, "article_id": a.id, "id": ev.id, "type": ev.type, "source": list(ev.source),
            "target": list(ev.target), "source_names": [names.get(s, s) for s in ev.source],
            "target_names": [names.get(s, s) for s in ev.target], "mode": ev.mode, "date": as_date(ev.date),
            "negated": bool(ev.negated), "modality": ev.modality, "symmetric": bool(ev.symmetric),
            "location": ev.location, "confidence": _float(ev.confidence), "cameo": ev.cameo,
            "quad_class": ev.quad_class, "goldstein": _float(ev.goldstein), "evidence_start": ev.evidence.start,
            "evidence_end": ev.evidence.end, "evidence": ev.evidence.slice(text), "published": published,
        })  # fmt: skip
    for rows in out.values():
        for r in rows:
            for k, v in r.items():
                if k != "record":
                    r[k] = _clean(v)
    return out


def _clean(v: Any) -> Any:
    """Valid UTF-8 everywhere in the typed columns, nested ones included."""
    if isinstance(v, str):
        return _utf8(v)
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    return v


def _record_json(a: Article) -> str:
    s = json.dumps(a.to_dict(), ensure_ascii=False, default=str)
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (JSON input may carry them): \u-escape so the record stays exact
        s = json.dumps(a.to_dict(), ensure_ascii=True, default=str)
    return s


def _utf8(s: str) -> str:
    """Parquet strings must be valid UTF-8; flat columns get U+FFFD for lone surrogates (``record`` stays exact)."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _float(x: Any) -> float | None:
    return None if x is None else float(x)


@dataclass
class ShardWriter:
    """Buffers rows and writes ``<out>/<table>/<prefix>-<n>.parquet`` every ``rows_per_shard`` articles.

    Shards are written to a temporary name and renamed, so a crashed run never leaves a half-written shard that
    ``marsad load`` would trip over."""

    out: Path
    prefix: str = "part"
    rows_per_shard: int = 2000
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    files: list[str] = field(default_factory=list)
    _buf: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    _items: int = 0
    _n: int = 0

    def add(self, key: str, item: Article | Rejection) -> None:
        self.add_rows(rows_for(key, item))

    def add_rows(self, table_rows: dict[str, list[dict[str, Any]]]) -> None:
        """The rows of one result, already made by :func:`rows_for` (pool workers make them, the parent writes)."""
        for t, rows in table_rows.items():
            self._buf[t].extend(rows)
            self.counts[t] += len(rows)
        self._items += 1
        if self._items >= self.rows_per_shard:
            self.flush()

    def flush(self) -> None:
        if not self._items:
            return
        for t in TABLES:
            rows = self._buf[t]
            if not rows:
                continue
            d = self.out / t
            d.mkdir(parents=True, exist_ok=True)
            final = d / f"{self.prefix}-{self._n:05d}.parquet"
            tmp = d / f".{final.name}.tmp"
            pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[t]), tmp, compression="zstd")
            tmp.replace(final)
            self.files.append(str(final))
            rows.clear()
        self._items = 0
        self._n += 1

    def close(self) -> None:
        self.flush()


def shard_files(out: Path, table: str) -> list[Path]:
    d = Path(out) / table
    return sorted(p for p in d.glob("*.parquet") if not p.name.startswith(".")) if d.is_dir() else []


def iter_table(out: Path, table: str, *, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Rows of one table in ``key`` order within each shard, shards in name order (streams shard by shard)."""
    for f in shard_files(out, table):
        pf = pq.ParquetFile(f)
        for batch in pf.iter_batches(batch_size=512, columns=columns):
            yield from batch.to_pylist()


def read_results(out: Path) -> Iterator[tuple[str, Article | Rejection]]:
    """Every article and rejection from a shard directory as ``(key, record)`` (articles first, then rejections)."""
    for row in iter_table(out, "articles", columns=["key", "record"]):
        yield row["key"], Article.from_json(row["record"])
    for row in iter_table(out, "rejections"):
        yield row["key"], rejection_from_row(row)


def rejection_from_row(row: dict[str, Any]) -> Rejection:
    raw = row.get("raw")
    if raw is not None and row.get("raw_is_text"):
        raw = raw.decode("utf-8", "surrogatepass")
    return Rejection(
        stage=row["stage"], code=row["code"], reason=row["reason"], source=row.get("source") or "", raw=raw,
        id=row.get("id"), attrs=json.loads(row.get("attrs") or "{}"),
    )


def write_results(out: Path, results: Iterable[tuple[str, Article | Rejection]], *, prefix: str = "part",
                  rows_per_shard: int = 2000) -> ShardWriter:
    w = ShardWriter(Path(out), prefix=prefix, rows_per_shard=rows_per_shard)
    for key, item in results:
        w.add(key, item)
    w.close()
    return w
