"""Dates in Arabic news text (placeholder: ISO parsing only; the full parser lands with the cleaner)."""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_iso_or_none(s: str) -> str | None:
    m = _ISO.match(s)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None
