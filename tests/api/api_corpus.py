"""A small synthetic store for the API and web tests: Arabic articles written for these tests (no third-party
text), with hand-placed entities, quotes and events so that pages have every layer whatever the NLP rooms find.

``build_store(path)`` writes it through ``marsad.store.Store`` (the real store, on disk).
"""

from __future__ import annotations

import random
from pathlib import Path

from marsad.data import Article, Entity, Event, Quote, Span

# actor id -> (type, English name, Arabic surface forms, country, sector)
# Ids are the shipped actor registry's (marsad.entities.registry), so spelling search can use its aliases.
ACTORS = {
    "per:wang-yi": ("PER", "Wang Yi", ["وانغ يي", "وانج يي"], "CHN", "GOV"),
    "per:sergey-lavrov": ("PER", "Sergey Lavrov", ["سيرغي لافروف", "سيرجي لافروف"], "RUS", "GOV"),
    "CHN": ("GPE", "China", ["الصين"], "CHN", None),
    "RUS": ("GPE", "Russia", ["روسيا"], "RUS", None),
    "USA": ("GPE", "United States", ["الولايات المتحدة", "واشنطن"], "USA", None),
    "IRN": ("GPE", "Iran", ["إيران", "طهران"], "IRN", None),
    "org:un": ("ORG", "United Nations", ["الأمم المتحدة"], None, "IGO"),
}

# (source actor, verb phrase, target actor, PLOVER type, quad class, goldstein)
FRAMES = [
    ("per:wang-yi", "أجرى اتصالا هاتفيا مع", "per:sergey-lavrov", "CONSULT", 1, 1.0),
    ("CHN", "وقعت اتفاقية تعاون اقتصادي مع", "RUS", "AGREE", 1, 4.0),
    ("USA", "فرضت عقوبات جديدة على", "IRN", "SANCTION", 4, -8.0),
    ("IRN", "هددت بالرد على", "USA", "THREATEN", 3, -6.0),
    ("RUS", "قدمت مساعدات إنسانية إلى", "IRN", "AID", 2, 7.0),
    ("org:un", "طالبت", "IRN", "DEMAND", 3, -5.0),
]
TOKEN = "test-token-0123456789"  # the write token the tests configure
SOURCES = ["وكالة الأنباء التجريبية", "صحيفة المرصد", "Test Wire"]
BOILER = ["شارك على فيسبوك", "اقرأ أيضا: أخبار ذات صلة", "جميع الحقوق محفوظة ٢٠٢٠"]

XSS_TITLE = 'خبر عاجل <script>window.__xss = 1</script><img src=x onerror="window.__xss=2">'
XSS_BODY = ('قال الباحث إن النص "<script>window.__xss=3</script>" يجب ألا يعمل. '
            '<img src=x onerror="window.__xss=4"> <a href="javascript:window.__xss=5">انقر</a> '
            '<iframe src="javascript:window.__xss=6"></iframe> وأضاف أن الصين تتابع الأمر.')


def _span_of(text: str, needle: str, start: int = 0) -> Span:
    i = text.index(needle, start)
    return Span(i, i + len(needle))


def make_article(i: int, rng: random.Random) -> Article:
    src, verb, tgt, ptype, quad, gold = FRAMES[i % len(FRAMES)]
    month = 1 + (i % 6)
    day = 1 + (i * 7) % 27
    published = f"2020-{month:02d}-{day:02d}"
    s_ar = ACTORS[src][2][i % len(ACTORS[src][2])]
    t_ar = ACTORS[tgt][2][i % len(ACTORS[tgt][2])]
    title = f"{s_ar} {verb} {t_ar} في تطور جديد رقم {i}"
    sentence = f"{s_ar} {verb} {t_ar} يوم {published}."
    quote_text = "نعمل من أجل الاستقرار والسلام في المنطقة"
    body = (f"{sentence} وقال {s_ar} إن \"{quote_text}\". "
            f"وأضاف مراقبون أن العلاقات بين الطرفين تشهد تحولات مهمة، وأن الأمم المتحدة تتابع الموقف.")
    boiler = BOILER[i % len(BOILER)]
    text = f"{title}\n{boiler}\n{body}\n"
    t0 = text.index(body)
    ents = []
    seen: dict[str, Entity] = {}
    for key, surface in ((src, s_ar), (tgt, t_ar), ("org:un", "الأمم المتحدة")):
        if key in seen:
            continue
        typ, name, _forms, country, sector = ACTORS[key]
        mentions = []
        pos = 0
        while True:
            j = text.find(surface, pos)
            if j < 0:
                break
            mentions.append(Span(j, j + len(surface), typ))
            pos = j + len(surface)
        ent = Entity(id=f"e{len(seen) + 1}", type=typ, name=name, mentions=tuple(mentions), actor_id=key,
                     country=country, sector=sector)
        seen[key] = ent
        ents.append(ent)
    q_span = _span_of(text, quote_text, t0)
    cue = _span_of(text, "وقال", t0)
    cue = Span(cue.start + 1, cue.end)  # the verb without the conjunction
    quotes = (Quote(id="q1", kind="direct", content=q_span, speaker=(seen[src].id,), cue=cue),)
    ev_span = _span_of(text, sentence, t0)
    events = (Event(id="v1", type=ptype, evidence=ev_span, source=(seen[src].id,), target=(seen[tgt].id,),
                    date=published, quad_class=quad, goldstein=gold, confidence=0.9),)
    layers = {
        "title": (Span(0, len(title), "title"),),
        "boilerplate": (_span_of(text, boiler),),
        "body": (Span(t0, t0 + len(body), "body"),),
    }
    art = Article.new(text, source=SOURCES[i % len(SOURCES)], title=title, published=published,
                      url=f"https://example.org/news/{i}")
    return art.evolve(body=body, layers=layers, entities=tuple(ents), quotes=quotes, events=events)


def make_xss_article() -> Article:
    text = f"{XSS_TITLE}\n{XSS_BODY}\n"
    t0 = text.index(XSS_BODY)
    china = text.index("الصين", t0)
    ent = Entity(id="e1", type="GPE", name='<b onmouseover="window.__xss=7">China</b>',
                 mentions=(Span(china, china + len("الصين"), "GPE"),), actor_id="CHN", country="CHN")
    q = _span_of(text, '<script>window.__xss=3</script>', t0)
    art = Article.new(text, source='<script>window.__xss=8</script>', title=XSS_TITLE, published="2020-07-01",
                      url="javascript:window.__xss=9")
    return art.evolve(body=XSS_BODY, layers={"title": (Span(0, len(XSS_TITLE), "title"),)}, entities=(ent,),
                      quotes=(Quote(id="q1", kind="direct", content=q, speaker=("e1",)),))


def build_store(path: Path, *, n: int = 36, hostile: bool = True) -> list[Article]:
    from marsad.store import Store

    rng = random.Random(7)
    arts = [make_article(i, rng) for i in range(n)]
    if hostile:
        arts.append(make_xss_article())
    with Store(path) as store:
        store.add(arts)
    return arts


# --- a real server on a free loopback port ---------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """``marsad serve`` as a subprocess (the command users run), stopped by :meth:`stop`."""

    def __init__(self, db: Path, *, token: str | None = None, max_body: int | None = None) -> None:
        import os
        import subprocess
        import sys
        import time
        import urllib.request

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-c", "from marsad.cli import main; main()", "serve", "--db", str(db),
               "--port", str(self.port)]
        if max_body:
            cmd += ["--max-body", str(max_body)]
        env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}
        if token:
            env["MARSAD_TOKEN"] = token
        self.log = open(Path(db).with_suffix(".server.log"), "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/stats", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"marsad serve did not start: {Path(self.log.name).read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except Exception:  # noqa: BLE001
                self.proc.kill()
        self.log.close()
