"""Writers for ``marsad export``: JSONL (the full record), Parquet (flat columns + JSON for nested parts, streamed
in row groups), and the GDELT / PLOVER event formats through :mod:`marsad.events.export` when it is installed."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from marsad.data import Article
from marsad.errors import ConfigError, MissingDependency

# One row per article; nested parts as JSON text so any Parquet reader (DuckDB, pandas, Spark) can load them.
PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("source", "string"), ("url", "string"), ("title", "string"), ("published", "string"),
    ("published_time", "string"), ("body", "string"), ("text", "string"), ("n_entities", "int32"),
    ("n_quotes", "int32"), ("n_events", "int32"), ("entities", "string"), ("quotes", "string"),
    ("events", "string"), ("meta", "string"),
)  # fmt: skip


def article_row(article: Article) -> dict[str, Any]:
    d = article.to_dict()
    return {
        "id": article.id, "source": article.source, "url": article.url, "title": article.title,
        "published": article.published, "published_time": article.published_time, "body": article.body,
        "text": article.text, "n_entities": len(article.entities), "n_quotes": len(article.quotes),
        "n_events": len(article.events),
        "entities": json.dumps(d["entities"], ensure_ascii=False),
        "quotes": json.dumps(d["quotes"], ensure_ascii=False),
        "events": json.dumps(d["events"], ensure_ascii=False),
        "meta": json.dumps(d["meta"], ensure_ascii=False, default=str),
    }  # fmt: skip


def write_jsonl(articles: Iterable[Article], out: IO[str]) -> int:
    n = 0
    for a in articles:
        out.write(a.to_json() + "\n")
        n += 1
    return n


def write_parquet(articles: Iterable[Article], path: str, *, row_group: int = 1000) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise MissingDependency("export --format parquet", "parquet", "pyarrow") from e
    schema = pa.schema([(name, getattr(pa, typ)()) for name, typ in PARQUET_COLUMNS])
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as w:
        rows: list[dict[str, Any]] = []
        for a in articles:
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
    for name in ("GDELT_COLUMNS", "gdelt_rows", "plover_records"):
        if not hasattr(ev_export, name):
            raise ConfigError(f"marsad.events.export lacks {name}; cannot export events", code="E203")
    return ev_export


def write_gdelt(articles: Iterable[Article], out: IO[str], *, header: bool = False) -> int:
    """Tab-separated GDELT-style event rows (one per event), columns ``GDELT_COLUMNS``; no header line by
    default, like GDELT's own files, so GDELT readers load them unchanged."""
    ev = _events_export()
    cols: Sequence[str] = list(ev.GDELT_COLUMNS)
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    if header:
        w.writerow(cols)
    n = 0
    for a in articles:
        for row in ev.gdelt_rows(a):
            w.writerow(
                [_cell(row.get(c)) for c in cols] if isinstance(row, Mapping) else [_cell(v) for v in row]
            )
            n += 1
    return n


def write_plover(articles: Iterable[Article], out: IO[str]) -> int:
    """PLOVER event records, one JSON object a line."""
    ev = _events_export()
    n = 0
    for a in articles:
        for rec in ev.plover_records(a):
            out.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    return str(v).replace("\t", " ").replace("\n", " ")
