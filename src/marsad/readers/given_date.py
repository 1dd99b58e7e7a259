"""Dates a source gives (a JSONL ``published``/``time`` field, ``--field published=…``, ``analyze(published=…)``):
parsed, never stored verbatim.

Accepted: ISO 8601 (``2018-03-01``, ``2018-03-01T12:10:19+04:00``; stdlib ``datetime.fromisoformat``) and year-first
``2018/03/01``, RFC 2822
(``Thu, 01 Mar 2018 12:10:19 +0400``; stdlib ``email.utils``), Arabic day-month-year forms with Gregorian, Levantine
or Hijri month names and Arabic-Indic digits (``1 مارس 2018``, ``١ آذار ٢٠١٨``; marsad's own date grammar in
:mod:`marsad.lang.ar.dates`), and unambiguous English forms (``March 1, 2018``; ``python-dateutil``). Relative
words (``yesterday``, ``أمس``), day-first numeric dates (``01/03/2018``: March or January?) and anything without a
full day are refused with ``E_DATE``: a given date is a fact about the source, not a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from marsad.errors import InputError


@dataclass(frozen=True, slots=True)
class GivenDate:
    date: str  # YYYY-MM-DD as the source wrote it (its own time zone)
    time: str | None = None  # HH:MM, when given
    utc: str | None = None  # ISO 8601 instant in UTC, when the source gave an offset


def _from_datetime(dt: datetime, has_time: bool) -> GivenDate:
    utc = dt.astimezone(UTC).isoformat(timespec="seconds") if dt.tzinfo is not None and has_time else None
    return GivenDate(dt.date().isoformat(), dt.strftime("%H:%M") if has_time else None, utc)


def parse_given_date(raw: object, *, field: str = "published") -> GivenDate:
    """Parse a given date; :class:`InputError` ``E_DATE`` (one line) when it is not a full calendar date."""
    if isinstance(raw, datetime):
        return _from_datetime(raw, True)
    if isinstance(raw, date):
        return GivenDate(raw.isoformat())
    s = str(raw).strip() if raw is not None else ""
    if not s:
        raise InputError(f"empty {field} date", code="E_DATE")
    if len(s) > 80:
        raise InputError(f"{field} {s[:40]!r}… is not a date", code="E_DATE")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        try:
            return GivenDate(date.fromisoformat(s).isoformat())
        except ValueError:
            raise InputError(f"{field} {s!r} is not a calendar date", code="E_DATE") from None
    m = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", s)  # year first: unambiguous (day-first is not)
    if m:
        try:
            return GivenDate(date(int(m[1]), int(m[2]), int(m[3])).isoformat())
        except ValueError:
            raise InputError(f"{field} {s!r} is not a calendar date", code="E_DATE") from None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]\d", s):
        try:
            return _from_datetime(datetime.fromisoformat(s.replace("Z", "+00:00")), True)
        except ValueError:
            raise InputError(f"{field} {s!r} is not a valid ISO 8601 date-time", code="E_DATE") from None
    if re.match(r"([A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s", s + " "):
        try:
            dt = parsedate_to_datetime(s)
            return _from_datetime(dt, bool(re.search(r"\d{1,2}:\d{2}", s)))
        except (TypeError, ValueError, IndexError):
            raise InputError(f"{field} {s!r} is not a valid RFC 2822 date", code="E_DATE") from None
    if re.search(r"[\u0600-\u06ff]", s):
        from marsad.lang.ar.dates import parse_date

        got = parse_date(s)
        if got:
            return GivenDate(got)
        raise InputError(f"{field} {s!r} is not a full Arabic date (day, month and year)", code="E_DATE")
    if re.search(r"\d{4}", s) and re.search(r"[A-Za-z]{3,}", s):
        try:
            from dateutil import parser as du

            default = datetime(1, 1, 1)
            dt = du.parse(s, default=default)
            if dt.year > 1 and re.search(r"\b\d{1,2}\b", re.sub(r"\d{4}", "", s)):
                return _from_datetime(dt, bool(re.search(r"\d{1,2}:\d{2}", s)))
        except (ValueError, OverflowError):
            pass
    raise InputError(
        f"{field} {s!r} is not a date marsad reads (ISO 8601, RFC 2822, or an Arabic day-month-year date)",
        code="E_DATE",
    )
