"""HTML pages of the web UI, rendered on the server with autoescaping Jinja2 templates.

Article text, titles and names are untrusted: they reach the page only through ``{{ }}`` (escaped) and never as
HTML; URLs from articles are linked only when they are http(s). Charts get their data from the JSON API.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from marsad.api import queries as Q
from marsad.api.db import Database
from marsad.api.errors import ApiError
from marsad.errors import QueryError
from marsad.events import plover
from marsad.web.highlight import article_marks, body_blocks

HERE = Path(__file__).parent
PAGE = 20
ACTOR_PAGE = 30

ENTITY_TYPES_AR = {"PER": "أشخاص", "ORG": "منظمات", "GPE": "دول ومدن", "LOC": "أماكن", "MISC": "أخرى"}
# Arabic labels of the current PLOVER categories (marsad.events.plover), and of the retired names a store written
# before migration 6 may still hold (shown under the current category's label).
PLOVER_AR = {t: plover.label_ar(t) for t in (*plover.CATEGORIES, *plover.LEGACY)}
QUAD_AR = {1: "تعاون لفظي", 2: "تعاون مادي", 3: "نزاع لفظي", 4: "نزاع مادي"}
# the events' confidence floors the relations page and the map offer (value -> label); what each cut buys in precision and
# costs in recall, measured on the train gold, is in the README ("How sure an event is")
CONFIDENCE_CUTS = {"0.2": "ثقة 0.2 فأكثر", "0.3": "ثقة 0.3 فأكثر", "0.5": "ثقة 0.5 فأكثر"}
# (label, what, format) of the export links on the search page (GET /api/export)
EXPORTS = (("المقالات CSV", "articles", "csv"), ("المقالات JSONL", "articles", "jsonl"),
           ("الأحداث CSV", "events", "csv"), ("الأحداث GDELT", "events", "gdelt"),
           ("الأحداث PLOVER", "events", "plover"), ("الاقتباسات CSV", "quotes", "csv"))
# Arabic titles of the error page, by HTTP status (the API's English message is shown under it)
ERROR_AR = {400: "طلب غير مفهوم", 401: "يلزم رمز الدخول", 403: "غير مسموح", 404: "الصفحة غير موجودة",
            405: "طريقة غير مسموحة", 413: "الطلب أكبر من الحد", 422: "قيمة غير صالحة", 500: "خطأ داخلي في الخادم"}


def _valid_date(value: str) -> bool:
    parts = value.split("-")
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return False
    return len(parts[0]) == 4


def actor_url(actor_id: str | None) -> str | None:
    return f"/actors/{quote(actor_id, safe='')}" if actor_id else None


def safe_url(url: str | None) -> str | None:
    """Only http(s) links from article data (a javascript: URL must never become a link)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def certainty(value: Any) -> str:
    """An event's confidence as the events tables show it: two decimals, or a dash where it has none."""
    return f"{value:.2f}" if isinstance(value, int | float) and not isinstance(value, bool) else "—"


def mount_web(app: FastAPI, db: Database) -> None:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.autoescape = True  # every template, whatever its extension
    env.filters["u"] = lambda s: quote(str(s), safe="")
    env.filters["certainty"] = certainty
    env.globals.update(actor_url=actor_url, safe_url=safe_url, ENTITY_TYPES_AR=ENTITY_TYPES_AR,
                       PLOVER_AR=PLOVER_AR, QUAD_AR=QUAD_AR, PLOVER_TYPES=Q.PLOVER_TYPES, ERROR_AR=ERROR_AR,
                       CONFIDENCE_CUTS=CONFIDENCE_CUTS)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    def render_error(request: Request, err: dict[str, Any], *, headers: dict[str, str] | None = None) -> Response:
        return page(request, "error.html", status=int(err["status"]), err=err) if headers is None else \
            templates.TemplateResponse(request, "error.html", {"err": err}, status_code=int(err["status"]),
                                       headers=headers)

    app.state.render_error = render_error

    from marsad.web.map import mount_map  # the map page and /api/map/* (issue 18)

    mount_map(app, db, page)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", date_from: Annotated[str, Query(alias="from")] = "",
                    date_to: Annotated[str, Query(alias="to")] = "", source: str = "", actor: str = "",
                    event_type: str = "", sort: str = "auto", page_no: int = 1,
                    collapse: str = "1") -> HTMLResponse:
        page_no = max(1, min(page_no, 1000))
        # the API's parameter names (from, to): a search page URL and /api/articles?... take the same query
        params = {"q": q[:500], "from": date_from[:10], "to": date_to[:10], "source": source[:200],
                  "actor": actor[:300], "event_type": event_type[:30].upper(), "sort": sort,
                  "collapse": "0" if collapse == "0" else ""}
        if params["sort"] not in ("auto", "relevance", "newest", "oldest"):
            params["sort"] = "auto"
        error = None
        result: dict[str, Any] = {"items": [], "total": 0, "facets": None}
        bad = [name for name in ("from", "to") if params[name] and not _valid_date(params[name])]
        if bad:
            error = "تاريخ غير صالح: " + "، ".join(params[n] for n in bad) + " (الصيغة: سنة-شهر-يوم، مثل 2018-03-14)"
        else:
            try:
                result = Q.search_articles(
                    db, q=params["q"] or None, date_from=params["from"] or None, date_to=params["to"] or None,
                    source=params["source"] or None,
                    actor=Q.resolve_actor(db, params["actor"]) if params["actor"] else None,
                    event_type=params["event_type"] or None, sort=params["sort"], limit=PAGE,
                    offset=(page_no - 1) * PAGE, facets=True, collapse=not params["collapse"], exact_total=True)
            except QueryError as e:
                error = ("تعذّر فهم الاستعلام. ضع العبارة بين علامتي تنصيص \"…\"، واكتب العوامل AND و OR و NOT "
                         "بأحرف لاتينية كبيرة، و* بعد الكلمة للبحث بالبادئة.")
                result["detail"] = str(e)
        actor_name = None
        if params["actor"]:
            actor_name = Q.actor_names(db).get(params["actor"], params["actor"])
        api = {k: v for k, v in params.items() if v and k not in ("sort", "collapse")}
        api_qs = urlencode(api)

        def link(**change: Any) -> str:
            p = {k: v for k, v in {**params, **change}.items() if v and not (k == "sort" and v == "auto")}
            return "/?" + urlencode(p)

        pages = (result["total"] + PAGE - 1) // PAGE
        return page(request, "search.html", status=400 if error else 200, p=params, r=result, error=error,
                    link=link, page_no=page_no, pages=pages, actor_name=actor_name, stats=Q.stats(db),
                    api_qs=api_qs, exports=EXPORTS, nav="search")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # pages link the SVG icon; a page without that link (the Atom feed shown raw) makes the browser ask here
        return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")

    @app.get("/saved", response_class=HTMLResponse, include_in_schema=False)
    def saved_page(request: Request) -> HTMLResponse:
        res = Q.list_saved(db, limit=200)
        for s in res["items"]:
            s["total"] = (Q.get_saved(db, s["id"]) or {}).get("total")
        return page(request, "saved.html", r=res, nav="saved")

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        # Swagger UI served from the package (vendored from npm, see static/vendor/README.md): works offline and
        # under the CSP (its start-up code is a file, not an inline script)
        return page(request, "api_docs.html", nav="api")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        rec = Q.get_article(db, article_id[:300])
        if rec is None:
            raise ApiError(404, f"no article with id {article_id[:100]!r}")
        text = rec.get("text") or ""
        layers = rec.get("layers") or {}
        boiler = [(s["start"], s["end"]) for s in layers.get("boilerplate", ())]
        title_spans = [(s["start"], s["end"]) for s in layers.get("title", ())]
        marks = article_marks(rec, lambda ent, key: actor_url(key))
        blocks = body_blocks(text, marks, boiler + title_spans)
        boilerplate = [text[s:e].strip() for s, e in sorted(boiler) if text[s:e].strip()]
        shown = Q.actor_names(db)
        for e in rec.get("entities") or ():
            # Arabic first: the store's display name for a known actor, else the words of the first mention
            first = next((m.get("text") for m in e.get("mentions") or () if m.get("text")), None)
            e["shown"] = shown.get(e.get("actor_id") or "", None) or first or e.get("name") or ""
        ents = {e["id"]: e for e in rec.get("entities") or ()}
        by_type: dict[str, list[dict[str, Any]]] = {}
        for e in rec.get("entities") or ():
            by_type.setdefault(e.get("type") or "MISC", []).append(e)

        def names(ids: list[str]) -> list[dict[str, Any]]:
            return [{"name": ents[i]["shown"] if i in ents else i,
                     "href": actor_url(ents[i].get("actor_id")) if i in ents else None} for i in ids or ()]

        quotes = [{**q, "speakers": names(q.get("speaker") or [])} for q in rec.get("quotes") or ()]
        events = [{**ev, "type": plover.current(ev.get("type")), "src": names(ev.get("source") or []),
                   "tgt": names(ev.get("target") or []),
                   "quad": Q.quad_of(ev.get("type"), ev.get("quad_class"))} for ev in rec.get("events") or ()]
        pairs = []
        for ev in rec.get("events") or ():
            for s in ev.get("source") or ():
                for t in ev.get("target") or ():
                    sa, ta = ents.get(s, {}).get("actor_id"), ents.get(t, {}).get("actor_id")
                    if sa and ta and sa != ta:
                        pairs.append((sa, ta, ents[s]["shown"], ents[t]["shown"]))
        return page(request, "article.html", a=rec, blocks=blocks, boilerplate=boilerplate, by_type=by_type,
                    quotes=quotes, events=events, pairs=list(dict.fromkeys(pairs))[:10])

    @app.get("/actors", response_class=HTMLResponse, include_in_schema=False)
    def actors_page(request: Request, q: str = "", page_no: int = 1) -> HTMLResponse:
        page_no = max(1, min(page_no, 1000))
        res = Q.search_actors(db, q[:200] or None, limit=50, offset=(page_no - 1) * 50)
        return page(request, "actors.html", q=q[:200], r=res, page_no=page_no)

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str, quotes_page: int = 1, about_page: int = 1,
                   events_page: int = 1, per_page: int = ACTOR_PAGE) -> HTMLResponse:
        actor_id = actor_id[:300]
        a = Q.get_actor(db, actor_id)
        if a is None:
            raise ApiError(404, f"no actor with id {actor_id[:100]!r}")
        pages = {"quotes_page": max(1, min(quotes_page, 100_000)), "about_page": max(1, min(about_page, 100_000)),
                 "events_page": max(1, min(events_page, 100_000))}
        size = max(5, min(per_page, 100))
        quotes = Q.actor_quotes(db, actor_id, limit=size, offset=(pages["quotes_page"] - 1) * size)
        about = Q.quotes_about(db, actor_id, limit=size, offset=(pages["about_page"] - 1) * size)
        events = Q.actor_events(db, actor_id, limit=size, offset=(pages["events_page"] - 1) * size)
        keep = {**pages, **({"per_page": size} if size != ACTOR_PAGE else {})}

        def plink(name: str, n: int) -> str:
            return f"{actor_url(actor_id)}?{urlencode({**keep, name: n})}#{name.replace('_page', '')}"

        def n_pages(res: dict[str, Any]) -> int:
            return max(1, (res["total"] + size - 1) // size)

        return page(request, "actor.html", a=a, quotes=quotes, about=about, events=events, pages=pages,
                    plink=plink, n_pages=n_pages, co=Q.cooccurring(db, actor_id, limit=15))

    @app.get("/relations", response_class=HTMLResponse, include_in_schema=False)
    def relations_page(request: Request, a: str = "", b: str = "", conf: str = "") -> HTMLResponse:
        a, b = a[:300].strip(), b[:300].strip()
        # the events' confidence floor: one of the offered cuts (the README gives each one's measured precision);
        # anything else reads as no cut, as a form the page did not write would
        min_conf = conf if conf in CONFIDENCE_CUTS else ""
        rel, unknown = None, []
        if a and b:
            # names in any script (روسيا، Russia) as well as ids; a side nobody answers to is said, not 0 events
            ra, rb = Q.resolve_side(db, a), Q.resolve_side(db, b)
            unknown = [v for v, r in ((a, ra), (b, rb)) if r is None]
            if ra and rb:
                rel = Q.relations(db, ra, rb, min_confidence=float(min_conf) if min_conf else None)
                a, b = ra, rb
        return page(request, "relations.html", status=404 if unknown else 200, a=a, b=b, rel=rel,
                    unknown=unknown, names=Q.actor_names(db), top=Q.search_actors(db, None, limit=40)["items"],
                    conf=min_conf)

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, page_no: int = 1) -> HTMLResponse:
        page_no = max(1, min(page_no, 1000))
        return page(request, "stories.html", r=Q.list_stories(db, limit=50, offset=(page_no - 1) * 50),
                    page_no=page_no)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        s = Q.get_story(db, story_id[:300])
        if s is None:
            raise ApiError(404, f"no story with id {story_id[:100]!r}")
        return page(request, "story.html", s=s)
