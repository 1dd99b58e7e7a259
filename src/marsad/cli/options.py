"""Shared CLI pieces: validated date options and rich progress bars (total, rate, ETA)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import click


class DateParam(click.ParamType):
    """A calendar date as ``YYYY-MM-DD``. Anything else (``2018-13-45``, ``2018/03/01``, ``yesterday``) is a usage
    error (exit 2, one line): a filter on a wrong date would answer silently wrong."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, date):
            return value.isoformat()
        s = str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
            self.fail(f"[E_DATE] {value!r} is not a date: use YYYY-MM-DD (e.g. 2018-03-01)", param, ctx)
        try:
            return date.fromisoformat(s).isoformat()
        except ValueError:
            self.fail(f"[E_DATE] {value!r} is not a calendar date (month 01-12, day within the month)", param, ctx)


DATE = DateParam()


def check_range(date_from: str | None, date_to: str | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise click.BadParameter(f"[E_DATE] --from {date_from} is after --to {date_to}")


@contextlib.contextmanager
def progress(label: str, total: int | None = None, *, unit: str = "articles") -> Iterator[Callable[..., None]]:
    """A rich progress bar on stderr with count/total, rate and ETA (transient; off when stderr is not a terminal,
    so pipes and logs stay clean). Yields ``advance(n=1, total=None, status=None)``; ``status`` is a short text shown
    after the ETA (ingest: what the last committed batch stored)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)

    class Rate(TextColumn):
        def render(self, task: Any) -> Any:  # noqa: ANN401
            from rich.text import Text

            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} {unit}/s" if speed else f"– {unit}/s")

    cols = (TextColumn(f"[bold]{label}[/]"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            Rate(""), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[status]}"))  # fmt: skip
    with Progress(*cols, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=total, status="")

        def advance(n: int = 1, total: int | None = None, status: str | None = None) -> None:
            if total is not None:
                bar.update(task, total=total)
            if status is not None:
                bar.update(task, status=status)
            bar.advance(task, n)

        yield advance
