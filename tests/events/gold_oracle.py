"""Dev/test helper: turn a gold file into an Article with *gold* entities (mention offsets found by string search),
body/title layers and sentences, so quotes and events can be measured apart from the upstream stages.

Only for tests and dev measurement (``python tests/events/gold_oracle.py`` scores the dev set this way); package code
never reads gold annotations.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from marsad.data import Article, Entity, Span
from marsad.lang.ar.sentences import split_sentences


def article_from_gold(g: dict, *, with_entities: bool = True) -> Article:
    text = g["text"]
    boiler = {b.strip() for b in g.get("boilerplate", [])}
    title = (g.get("title") or "").strip()
    body, titles = [], []
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        s = line.strip()
        if not s:
            continue
        if title and s == title and not titles:
            titles.append(Span(a, b, "title"))
        elif s not in boiler:
            body.append(Span(a, b, "body"))
    sents = [s for sp in body for s in split_sentences(text, sp.start, sp.end)]
    ents = []
    if with_entities:
        for e in g["entities"]:
            ms = []
            for m in sorted(set(e["mentions"]), key=len, reverse=True):
                for mm in re.finditer(r"(?<![\w])(?:[وفبلك]|لل|ال)?" + re.escape(m) + r"(?![\w])", text):
                    st = mm.end() - len(m)
                    if not any(x.start <= st < x.end for x in ms):
                        ms.append(Span(st, mm.end(), "mention"))
            if ms:
                ents.append(
                    Entity(
                        e["id"],
                        e["type"],
                        e["name"],
                        tuple(sorted(ms, key=lambda s: s.start)),
                        country=e.get("country"),
                        sector=e.get("sector"),
                    )
                )
    art = Article.new(text, id=g["id"], published=g.get("published"), title=g.get("title"))
    art = art.evolve(entities=tuple(ents), body="\n\n".join(text[s.start : s.end] for s in body))
    return art.with_layers(body=body, title=titles, sentences=sents)


def run_dev(gold_dir: Path, out_path: Path) -> None:
    from marsad.events.stage import EventsStage
    from marsad.quotes.stage import QuotesStage

    qs, es = QuotesStage(), EventsStage()
    with out_path.open("w", encoding="utf-8") as f:
        for p in sorted(gold_dir.glob("*.json")):
            g = json.loads(p.read_text(encoding="utf-8"))
            art = es(qs(article_from_gold(g)))
            f.write(art.to_json() + "\n")


if __name__ == "__main__":
    gold = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/gold/dev")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/oracle_out.jsonl")
    run_dev(gold, out)
    print(out)
