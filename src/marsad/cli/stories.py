"""``marsad stories``: stories (same event across outlets and days) and their copies, from the store."""

from __future__ import annotations

import json

import click

from marsad.cli.app import main
from marsad.cli.options import DATE
from marsad.cli.store import db_option


@main.command("stories")
@db_option
@click.option(
    "--id", "story_id", default=None, help="Show one story: its articles, copy groups and merged events."
)
@click.option("--article", "article_id", default=None, help="Show the story and copies of this article.")
@click.option(
    "--min-size",
    type=int,
    default=2,
    show_default=True,
    help="List stories with at least this many articles.",
)
@click.option(
    "--since", default=None, type=DATE, help="Stories still running on or after this day."
)
@click.option("--until", default=None, type=DATE, help="Stories started on or before this day.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--reindex", is_flag=True, help="Rebuild the duplicate/story index from the stored articles.")
def stories_cmd(db, story_id, article_id, min_size, since, until, limit, offset, fmt, reindex):
    """List the stories in the store (largest first) with their size, sources and time span; ``--id`` shows
    one story with its articles (copies grouped under their original) and its events counted once, with
    NumArticles / NumSources as GDELT does."""
    from marsad.dedup import describe, list_stories, story
    from marsad.errors import InputError
    from marsad.store import Store

    with Store(db, create=False) as st:
        if reindex:
            from marsad.dedup.hook import reindex as rebuild

            n = rebuild(st.conn, st.iter_articles())
            click.echo(f"reindexed {n} articles ({db})")
            return
        if article_id:
            d = describe(st.conn, article_id)
            if not d["indexed"]:
                raise InputError(
                    f"article {article_id} is not in the dedup index of {db}", code="E_NOT_FOUND"
                )
            _emit(d, fmt, _render_article)
            return
        if story_id:
            s = story(st.conn, story_id)
            if s is None:
                raise InputError(f"no story {story_id} in {db} (list them with: marsad stories --db {db})",
                                 code="E_NOT_FOUND")  # fmt: skip
            _emit(s, fmt, _render_story)
            return
        rows = list_stories(
            st.conn, min_articles=min_size, limit=limit, offset=offset, since=since, until=until
        )
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no stories with {min_size}+ articles")
        return
    for s in rows:
        span = s["first_published"] or "?"
        if s["last_published"] and s["last_published"] != s["first_published"]:
            span += f"..{s['last_published']}"
        click.echo(
            f"{s['id']}  {s['n_articles']:>3} articles  {s['n_sources']:>2} sources  {span:<22} "
            f"{(s['title'] or '(no title)')[:80]}"
        )


def _emit(obj, fmt, render) -> None:  # noqa: ANN001
    if fmt == "json":
        click.echo(json.dumps(obj, ensure_ascii=False, indent=2))
    else:
        click.echo(render(obj))


def _render_story(s) -> str:  # noqa: ANN001
    span = f"{s['first_published'] or '?'}..{s['last_published'] or '?'}"
    lines = [f"# {s['title'] or '(no title)'}",
             f"story {s['id']}: {s['n_articles']} articles, {s['n_copy_groups']} distinct texts, "
             f"{s['n_sources']} sources ({', '.join(s['sources'])}), {span}", "", "articles:"]  # fmt: skip
    by_group: dict[str, list] = {}
    for a in s["articles"]:
        by_group.setdefault(a["dup_group"], []).append(a)
    for group, arts in by_group.items():
        for a in sorted(arts, key=lambda a: a["id"] != group):
            mark = "  " if a["id"] == group else "    copy: "
            agency = f" [{a['agency']}]" if a.get("agency") else ""
            lines.append(
                f"{mark}{a['id']}  {a['source']}{agency}  {a['published'] or '?'}  {(a['title'] or '')[:70]}"
            )
    if s["events"]:
        lines += ["", "events (NumArticles / NumSources):"]
        for e in s["events"]:
            lines.append(
                f"  {e['type']:<11} {e['source'] or '-'} -> {e['target'] or '-'}  {e['date'] or ''}  "
                f"{e['num_articles']} / {e['num_sources']}"
            )
    return "\n".join(lines)


def _render_article(d) -> str:  # noqa: ANN001
    lines = [f"article {d['article_id']}"]
    if d["copies"]:
        role = "original" if d["is_original"] else f"reprint of {d['original']}"
        lines.append(f"  {role}" + (f" (agency {d['agency']})" if d["agency"] else ""))
        for c in d["copies"]:
            sim = (
                f"containment {c['containment']:.2f} jaccard {c['jaccard']:.2f}"
                if c["direct"]
                else "via a copy"
            )
            lines.append(f"  copy {c['id']}  {c['source']}  {c['published'] or '?'}  {sim}")
    else:
        lines.append("  no copies")
    s = d["story"]
    if s:
        lines.append(
            f"  story {s['id']}: {s['n_articles']} articles, {s['n_sources']} sources — {s['title'] or ''}"
        )
    return "\n".join(lines)
