"""The clean stage (placeholder heuristics: first short line is the title, long lines are the body)."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.data import Article, Rejection, Span
from marsad.lang.ar.normalize import arabic_ratio


@dataclass
class CleanStage:
    name: str = "clean"
    requires: frozenset[str] = frozenset({"text"})
    provides: frozenset[str] = frozenset({"title", "boilerplate", "body", "published"})
    min_arabic: float = 0.3

    def __call__(self, article: Article) -> Article | Rejection:
        text = article.text
        if not text.strip():
            return Rejection(self.name, "E_EMPTY", "no text", article.source)
        if arabic_ratio(text) < self.min_arabic:
            return Rejection(self.name, "E_NOT_ARABIC", "the text has (almost) no Arabic letters", article.source)
        lines = []
        pos = 0
        for line in text.splitlines(keepends=True):
            s, e = pos, pos + len(line.rstrip("\r\n"))
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                lines.append(Span(s, e, "line"))
            pos += len(line)
        title_span = None
        body, boiler = [], []
        for sp in lines:
            n = len(text[sp.start : sp.end].split())
            if title_span is None and 3 <= n <= 30 and not article.meta.get("given", {}).get("title"):
                title_span = Span(sp.start, sp.end, "title")
            elif n >= 8:
                body.append(Span(sp.start, sp.end, "body"))
            else:
                boiler.append(Span(sp.start, sp.end, "boilerplate"))
        title = article.title or (text[title_span.start : title_span.end] if title_span else None)
        return article.with_layers(
            title=[title_span] if title_span else [], body=body, boilerplate=boiler
        ).evolve(title=title, body="\n\n".join(text[s.start : s.end] for s in body))
