"""Store commands: ``ingest``, ``search``, ``show``, ``stats``, ``rejects``, ``export``."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

from marsad.cli.app import main
from marsad.cli.options import DATE, check_range, progress
from marsad.data import Article, Rejection

STAGES = ["clean", "text-layer", "dates", "entities", "quotes", "events"]


def _default_db() -> str:
    from marsad.store.core import default_db_path

    return default_db_path()


def db_option(fn: Any) -> Any:
    """``--db FILE`` (default: $MARSAD_DB, else ./marsad.db); other command modules may reuse it."""
    return click.option(
        "--db",
        "db",
        default=_default_db,
        show_default="$MARSAD_DB or ./marsad.db",
        type=click.Path(dir_okay=False),
        help="The SQLite database file.",
    )(fn)


def _open(db: str, *, create: bool = False):  # noqa: ANN202
    import sqlite3

    from marsad.errors import InputError
    from marsad.store import Store

    try:
        return Store(db, create=create)
    except (OSError, sqlite3.Error) as e:  # /proc/x.db, a read-only folder, a locked or full disk: the user's to fix
        from marsad.readers.base import escape_name

        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise InputError(f"cannot open the database {escape_name(str(db))}: {reason}", code="E_DB") from e


def _check_inputs(paths) -> None:  # noqa: ANN001
    """Refuse at once (before any database is created) when not one of the named inputs exists: a typo must not
    leave an empty store behind and exit 0. Inputs that exist next to missing ones are read; the missing ones
    become rejections."""
    from pathlib import Path

    from marsad.errors import InputError
    from marsad.readers.base import escape_name
    from marsad.readers.feed import is_url

    def present(p: str) -> bool:
        return p == "-" or is_url(p) or any(ch in p for ch in "*?[") or Path(p).exists() or Path(p).is_symlink()

    if not any(present(p) for p in paths):
        names = ", ".join(escape_name(p) for p in paths[:5]) + (" …" if len(paths) > 5 else "")
        raise InputError(f"no such file or directory: {names} (nothing was read, no database was created)",
                         code="E_NOT_FOUND")


# -- ingest ---------------------------------------------------------------------------------------------------
@main.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@click.option(
    "--input-format",
    "input_format",
    default=None,
    help="Force a reader (text, jsonl, html, warc, feed, ant, saudinewsnet); default: sniffed per file.",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="OURS=THEIRS",
    help="JSONL field mapping, e.g. --field text=content --field published=date.",
)
@click.option("--upto", type=click.Choice(STAGES), default=None, help="Stop the pipeline after this stage.")
@click.option(
    "--batch-size",
    default=200,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Articles per transaction (a crash loses at most one batch; re-run to resume).",
)
@click.option(
    "--no-progress", is_flag=True, help="No progress bar (it is also off when stderr is not a terminal)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest_cmd(paths, db, input_format, fields, upto, batch_size, no_progress, as_json):
    """Read PATHS (files, folders, globs, feed URLs, - for stdin), analyse them and store them in the database.

    Re-running is safe: articles already stored (same content-hash id) are counted as duplicates and skipped
    before analysis, so an interrupted ingest resumes where it stopped. Refused inputs are kept in the rejects
    table (see `marsad rejects`). The summary satisfies read = stored + duplicate + rejected.
    """
    from marsad.cli.process import _field_map
    from marsad.stages import default_pipeline
    from marsad.store import IngestSummary

    _check_inputs(paths)
    skipped: list[str] = []
    items = _read(paths, input_format, _field_map(fields), skipped=skipped)
    pipe = default_pipeline(upto=upto)
    show = not no_progress and sys.stderr.isatty()
    with _open(db, create=True) as st:
        try:
            if show:
                summary = _ingest_with_progress(st, items, pipe, batch_size, total=estimate_total(list(paths)))
            else:
                summary = st.ingest(items, pipeline=pipe, batch_size=batch_size)
        except KeyboardInterrupt:
            click.echo(
                "marsad: interrupted; the last open batch was rolled back, re-run the same command to resume",
                err=True,
            )
            sys.exit(130)
    assert isinstance(summary, IngestSummary)
    if as_json:
        click.echo(json.dumps({"db": db, **summary.as_dict(), "skipped": len(skipped)}, ensure_ascii=False))
        return
    report_skipped(skipped)
    click.echo(
        f"read {summary.read} · stored {summary.stored} · duplicate {summary.duplicate} · "
        f"rejected {summary.rejected}  ({db})"
    )
    if summary.duplicate:
        click.echo(
            f"duplicate: {summary.duplicate} inputs have the text and source of an article already stored (a second "
            "copy of a corpus, the same item filed twice, or a re-run); each was skipped before analysis"
        )
    if summary.rejected_by:
        click.echo(
            "rejected: "
            + ", ".join(f"{k} {v}" for k, v in summary.rejected_by.most_common())
            + "  (marsad rejects --db "
            + db
            + ")"
        )


def _read(paths, input_format, field_map, *, skipped: list[str] | None = None) -> Iterator[Article | Rejection]:
    from marsad.readers import read_paths
    from marsad.readers.feed import is_url, read_feed_url

    files: list[str] = []
    for p in paths:
        if is_url(p):
            if files:
                yield from read_paths(files, fmt=input_format, field_map=field_map, skipped=skipped)
                files = []
            yield from read_feed_url(p)
        else:
            files.append(p)
    if files:
        yield from read_paths(files, fmt=input_format, field_map=field_map, skipped=skipped)


def report_skipped(skipped: list[str]) -> None:
    """One stderr line for what folder expansion left out (hidden entries, README/LICENSE files)."""
    if not skipped:
        return
    from marsad.readers.base import escape_name

    shown = ", ".join(escape_name(s) for s in skipped[:3]) + (" …" if len(skipped) > 3 else "")
    click.echo(f"marsad: skipped {len(skipped)} hidden or README/LICENSE entries in folders ({shown}); "
               "name a file to read it", err=True)


def estimate_total(paths) -> int | None:  # noqa: ANN001
    """How many input documents PATHS hold, counted cheaply before reading (one per page file, one per line of a
    JSONL file), for the progress bar's total and ETA; None when a container's count is unknown without reading it
    (WARC, feeds, zips, gzip, stdin, URLs)."""
    from pathlib import Path

    from marsad.readers import expand_paths
    from marsad.readers.feed import is_url

    total = 0
    files = [p for p in paths if p != "-" and not is_url(p)]
    if len(files) != len(paths):
        return None
    for p in expand_paths(files):
        if not isinstance(p, Path):
            continue  # a rejection: counted when read
        name = p.name.lower()
        if name.endswith((".jsonl", ".ndjson")):
            try:
                with open(p, "rb") as f:
                    while chunk := f.read(1 << 20):
                        total += chunk.count(b"\n")
            except OSError:
                total += 1
        elif name.endswith((".warc", ".gz", ".zip", ".xml", ".rss", ".atom", ".bz2", ".xz")):
            return None
        else:
            total += 1
    return total


def _ingest_with_progress(st, items, pipe, batch_size, total=None):  # noqa: ANN001, ANN202
    """Ingest under a progress bar with count / total, rate, elapsed and ETA (total from :func:`estimate_total`;
    without one the bar shows count and rate) and what the last committed batch stored."""
    with progress("ingest", total) as advance:

        def counted() -> Iterator[Article | Rejection]:
            for it in items:
                advance()
                yield it

        def on_batch(s) -> None:  # noqa: ANN001
            if s:
                advance(0, status=f"stored {s.stored} · dup {s.duplicate} · rej {s.rejected}")

        return st.ingest(counted(), pipeline=pipe, batch_size=batch_size, progress=on_batch)


# -- search ---------------------------------------------------------------------------------------------------
@main.command("search")
@click.argument("query", required=False, default="")
@db_option
@click.option("--source", default=None, help="Only articles from this source (outlet or file; any letter case).")
@click.option("--from", "date_from", default=None, type=DATE, help="Published on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, type=DATE, help="Published on or before (YYYY-MM-DD).")
@click.option(
    "--actor",
    default=None,
    help="Only articles mentioning this actor: its id (RUS, per:sergey-lavrov) or a name in any script.",
)
@click.option(
    "--event-type", default=None, help="Only articles with an event of this PLOVER type (e.g. CONSULT)."
)
@click.option("--limit", "-n", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--offset", default=0, type=click.IntRange(0, None))
@click.option(
    "--syntax",
    type=click.Choice(["auto", "fts", "plain"]),
    default="auto",
    show_default=True,
    help="auto: SQLite FTS5 syntax when the query uses operators, else all words required.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True
)
def search_cmd(query, db, source, date_from, date_to, actor, event_type, limit, offset, syntax, fmt):
    """Full-text search (best matches first). Arabic spelling variants meet (أ/ا/إ, ى/ي, ة/ه, harakat) and
    words with proclitics are found by their stem (الصين finds والصين, بالصين).

    \b
    Examples:
      marsad search الصين --from 2018-03-01 --to 2018-03-10
      marsad search '"وزير الخارجية" AND روسيا'
      marsad search --source BBC -n 5          (no query: newest first)
    """
    from marsad.store.search import count

    with _open(db) as st:
        filters = {
            "source": source,
            "date_from": date_from,
            "date_to": date_to,
            "actor": actor,
            "event_type": event_type,
        }
        hits = st.search(query, limit=limit, offset=offset, syntax=syntax, **filters)
        total = count(st.conn, query, syntax=syntax, **filters)
    if fmt == "json":
        click.echo(
            json.dumps({"total": total, "hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=2)
        )
        return
    if fmt == "jsonl":
        for h in hits:
            click.echo(json.dumps(h.to_dict(), ensure_ascii=False))
        return
    for h in hits:
        click.echo(f"{h.id}  {h.published or '----------'}  {h.source}  {h.title or '(no title)'}")
        if h.snippet:
            click.echo(f"    {h.snippet}")
    click.echo(f"{len(hits)} of {total} shown", err=True)


# -- show -----------------------------------------------------------------------------------------------------
@main.command("show")
@click.argument("article_id")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--raw", is_flag=True, help="Print the raw input the article was read from (HTML page, WARC record)."
)
def show_cmd(article_id, db, fmt, raw):
    """Show one stored article (ARTICLE_ID, or a unique prefix of at least 6 characters): metadata, body,
    entities, quotes, events, and its copies and story when the dedup module is installed."""
    from marsad.cli.process import render_text

    with _open(db) as st:
        art = st.get(article_id)
        related = _describe(st, art.id)
    if raw:
        from marsad.readers.html import load_raw

        data = load_raw(art)
        sys.stdout.buffer.write(data)
        return
    if fmt == "json":
        d = art.to_dict()
        if related is not None:
            d["related"] = related
        click.echo(json.dumps(d, ensure_ascii=False, indent=2, default=str))
        return
    out = render_text(art)
    if art.url:
        out = out.replace("\n", f"\nurl: {art.url}\n", 1)
    click.echo(out.rstrip("\n"))
    if related:
        click.echo("\n" + _render_related(related))


def _render_related(rel: dict[str, Any]) -> str:
    """The dedup module's description (copies, original, story) as a few readable lines."""
    lines = ["copies and story:"]
    if rel.get("original") and not rel.get("is_original"):
        lines.append(f"  reprint of {rel['original']}" + (f" ({rel['agency']})" if rel.get("agency") else ""))
    for c in rel.get("copies") or []:
        sim = ", ".join(
            f"{k} {c[k]:.2f}" for k in ("jaccard", "containment", "cosine") if isinstance(c.get(k), float)
        )
        lines.append(f"  copy {c.get('id')}  {c.get('published') or '-'}  {c.get('source')}  ({sim})")
    for key, label in (("contains", "contains"), ("contained_in", "part of")):
        for c in rel.get(key) or []:
            lines.append(f"  {label} {c.get('id') if isinstance(c, dict) else c}")
    story = rel.get("story")
    if story:
        lines.append(
            f"  story {story.get('id')}: {story.get('title')}  ({story.get('n_articles')} articles, "
            f"{story.get('n_sources')} sources, {story.get('first_published')} .. {story.get('last_published')})"
        )
    known = {
        "copies",
        "contains",
        "contained_in",
        "story",
        "original",
        "is_original",
        "agency",
        "article_id",
        "indexed",
        "dup_group",
    }
    for k, v in rel.items():
        if k not in known and v not in (None, [], {}):
            lines.append(f"  {k}: {json.dumps(v, ensure_ascii=False, default=str)}")
    if len(lines) == 1:
        lines.append("  (none)")
    return "\n".join(lines)


def _describe(st, article_id: str) -> dict[str, Any] | None:  # noqa: ANN001
    try:
        from marsad.dedup import describe  # type: ignore[attr-defined]
    except ImportError:
        return None
    return dict(describe(st.conn, article_id))


# -- stats ----------------------------------------------------------------------------------------------------
@main.command("stats")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats_cmd(db, fmt):
    """Counts in the database: articles, date range, sources, entities, quotes, events, rejects."""
    with _open(db) as st:
        s = st.stats()
    if fmt == "json":
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
        return
    click.echo(f"database   {s['path']} (schema v{s['schema_version']}, {s['bytes'] / 1e6:.1f} MB)")
    click.echo(
        f"articles   {s['articles']}   published {s['published_from'] or '?'} .. {s['published_to'] or '?'}"
    )
    click.echo(f"entities   {s['entities']}   quotes {s['quotes']}   events {s['events']}")
    click.echo(
        f"rejects    {s['rejects']}"
        + (f"   ({', '.join(f'{k} {v}' for k, v in s['rejects_by'].items())})" if s["rejects_by"] else "")
    )
    if s["sources"]:
        click.echo("sources    " + ", ".join(f"{k or '(none)'} {v}" for k, v in s["sources"].items()))
    if s["hooks"]:
        click.echo("hooks      " + ", ".join(s["hooks"]))


# -- rejects --------------------------------------------------------------------------------------------------
@main.command("rejects")
@db_option
@click.option(
    "--stage", default=None, help="Only rejections from this stage (read, clean, entities, store ...)."
)
@click.option("--code", default=None, help="Only this code (e.g. E_NO_ARTICLE).")
@click.option("--limit", "-n", default=50, show_default=True, type=click.IntRange(1, 1_000_000))
@click.option("--offset", default=0, type=click.IntRange(0, None))
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text", show_default=True)
@click.option(
    "--with-raw", is_flag=True, help="Include the raw input (jsonl: as text when it was text, else base64)."
)
def rejects_cmd(db, stage, code, limit, offset, fmt, with_raw):
    """List refused inputs with stage, code, reason and where they came from; the raw input is kept."""
    import base64

    with _open(db) as st:
        rows = st.rejects(stage=stage, code=code, limit=limit, offset=offset, with_raw=with_raw)
    for r in rows:
        if fmt == "jsonl":
            if with_raw and isinstance(r.get("raw"), bytes):
                r["raw"] = base64.b64encode(r["raw"]).decode("ascii")
                r["raw_encoding"] = "base64"
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        else:
            where = r["source"] or r["raw_pointer"] or "?"
            click.echo(
                f"{r['id']:>6}  {r['stage']}/{r['code']}  {where}\n        {r['reason']}"
                + (f"  [{r['raw_bytes']} raw bytes kept]" if r["raw_bytes"] else "")
            )
    if fmt == "text":
        click.echo(f"{len(rows)} shown", err=True)


# -- export ---------------------------------------------------------------------------------------------------
@main.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "parquet", "gdelt", "plover"]),
    default="jsonl",
    show_default=True,
    help="jsonl: full records; parquet: one row per article; gdelt: TSV event rows; plover: JSONL events.",
)
@click.option(
    "--output",
    "-o",
    default="-",
    show_default=True,
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Output file (- for stdout; parquet needs a file).",
)
@click.option("--source", default=None, help="Only articles from this source.")
@click.option("--from", "date_from", default=None, type=DATE, help="Published on or after (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, type=DATE, help="Published on or before (YYYY-MM-DD).")
@click.option("--header", is_flag=True, help="gdelt: write the column names as a first line.")
@click.option(
    "--mentions",
    default=None,
    type=click.Path(dir_okay=False, allow_dash=False),
    help="gdelt: also write the GDELT 2.0 mentions table here (default with -o FILE: FILE's name + .mentions.tsv).",
)
@click.option(
    "--min-confidence",
    default=None,
    type=click.FloatRange(0.0, 1.0),
    help="gdelt, plover: leave out events whose calibrated confidence is under this (0-1; an event stored without "
    "one is left out too). The README gives the precision each cut measured on the train gold.",
)
def export_cmd(db, fmt, output, source, date_from, date_to, header, mentions, min_confidence):
    """Write stored articles (or their events) out for other tools.

    \b
    jsonl    the full records
    parquet  one typed row per article (dates as date32, entities/quotes/events as list<struct>)
    gdelt    GDELT 2.0 event table (61 columns, one row per event per copy group) + mentions table
    plover   PLOVER JSON records, valid against marsad/events/data/plover.schema.json
    """
    from marsad.errors import ConfigError
    from marsad.store import export as ex

    check_range(date_from, date_to)
    if min_confidence is not None and fmt not in ("gdelt", "plover"):
        raise ConfigError(f"--min-confidence applies to the event exports (gdelt, plover), not to {fmt}: "
                          "those write whole records", code="E204")
    with _open(db) as st:
        total = st.count_articles(source=source, date_from=date_from, date_to=date_to)
        arts = _with_dedup_ids(st.conn, st.iter_articles(source=source, date_from=date_from, date_to=date_to))
        skipped: dict[str, int] = {}
        if min_confidence is not None:
            arts = _sure_events(arts, min_confidence, skipped)
        with progress(f"export {fmt}", total) as advance:
            if fmt == "parquet":
                if output == "-":
                    raise ConfigError("parquet export needs --output FILE", code="E204")
                n = ex.write_parquet(arts, output, progress=advance)
            else:
                if fmt in ("gdelt", "plover"):
                    ex._events_export()  # fail with a clear message before opening the output
                if fmt == "gdelt" and mentions is None and output != "-":
                    stem = output[: -len(".tsv")] if output.endswith((".tsv", ".csv")) else output
                    mentions = stem + ".mentions.tsv"
                with contextlib.ExitStack() as stack:
                    out = sys.stdout if output == "-" else stack.enter_context(
                        open(output, "w", encoding="utf-8", newline=""))
                    if fmt == "gdelt":
                        mout = stack.enter_context(open(mentions, "w", encoding="utf-8", newline="")) \
                            if mentions else None
                        n = ex.write_gdelt(arts, out, header=header, mentions=mout, progress=advance,
                                           skipped=skipped)
                    elif fmt == "plover":
                        n = ex.write_plover(arts, out, progress=advance, skipped=skipped)
                    else:
                        n = ex.write_jsonl(arts, out, progress=advance)
    unit = "events" if fmt in ("gdelt", "plover") else "articles"
    click.echo(f"exported {n} {unit} as {fmt}" + (f" to {output}" if output != "-" else "")
               + (f" (mentions: {mentions})" if fmt == "gdelt" and mentions else ""), err=True)
    for why, k in sorted(skipped.items()):
        click.echo(f"  left out: {k} events, {why}", err=True)


def _sure_events(articles, floor, skipped):  # noqa: ANN001, ANN202
    """The articles with only the events at least ``floor`` sure; the others are counted in ``skipped`` (the
    export's "left out" lines), not dropped silently."""
    why = f"confidence under {floor:g}"
    for art in articles:
        kept = tuple(ev for ev in art.events if ev.confidence is not None and ev.confidence >= floor)
        if len(kept) < len(art.events):
            skipped[why] = skipped.get(why, 0) + len(art.events) - len(kept)
            art = art.evolve(events=kept)
        yield art


def _with_dedup_ids(conn, articles):  # noqa: ANN001, ANN202
    """Exports carry each article's copy group and story id in ``meta["dedup"]`` (store.export.with_dedup_ids)."""
    from marsad.store.export import with_dedup_ids

    return with_dedup_ids(conn, articles)
