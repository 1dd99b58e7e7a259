"""The HTTP API (FastAPI) and the web UI, one process: ``create_app(db_path)``; run it with ``marsad serve``.

Read routes use :mod:`marsad.api.queries` over a query-only connection; the one write route, POST /api/ingest,
needs the token given to ``marsad serve --token`` (or MARSAD_TOKEN) and is disabled when none is configured.
Every error is ``{"error": {"code", "message", "status"}}`` (see :mod:`marsad.api.errors`).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from marsad.api import queries as Q
from marsad.api.db import Database
from marsad.api.errors import ApiError, install_error_handlers
from marsad.api.security import BodyLimit, Guard, SecurityHeaders, token_ok

log = logging.getLogger("marsad.api")

DEFAULT_MAX_BODY = 5 * 1024 * 1024
MAX_INGEST_ARTICLES = 100
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


# Parameter types shared by the routes (module level: FastAPI resolves annotations by name here).
Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=100_000)]
DateFrom = Annotated[str | None, Query(alias="from", pattern=DATE, description="YYYY[-MM[-DD]], inclusive")]
DateTo = Annotated[str | None, Query(alias="to", pattern=DATE, description="YYYY[-MM[-DD]], inclusive")]
Key = Annotated[str, PathParam(min_length=1, max_length=300)]
ActorQ = Annotated[str | None, Query(max_length=300, description="actor id (see /api/actors)")]
EvType = Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,30}$", description="PLOVER type, e.g. CONSULT")]



class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str
    status: int


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    s: {"model": ErrorBody, "description": d} for s, d in (
        (400, "Bad request (e.g. a search query FTS5 cannot parse)"), (404, "Not found"),
        (413, "Request body too large"), (422, "Invalid parameter"), (500, "Internal error"))
}


class IngestArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=2_000_000, description="The article as received (page text)")
    source: str = Field("", max_length=200)
    url: str | None = Field(None, max_length=2000)
    title: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    id: str | None = Field(None, max_length=200)


class IngestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[IngestArticle] = Field(min_length=1, max_length=MAX_INGEST_ARTICLES)


class IngestResult(BaseModel):
    stored: list[str]
    duplicates: list[str]
    rejected: list[dict[str, Any]]


def create_app(db_path: str | Path, *, token: str | None = None, max_body: int = DEFAULT_MAX_BODY,
               pipeline: Any = None, cache_size: int = 2048) -> FastAPI:
    """The ASGI app for one store. ``token`` (or MARSAD_TOKEN) enables POST /api/ingest; ``pipeline``
    overrides the default pipeline used by ingest (tests); ``cache_size`` search answers are kept while the
    store is unchanged (0: none)."""
    db = Database(db_path, memo_size=cache_size)
    token = token or os.environ.get("MARSAD_TOKEN") or None
    app = FastAPI(
        title="marsad",
        summary="Arabic news analysis: articles, actors, quotes, PLOVER events, relations, stories.",
        version=_version(),
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = db
    app.state.token = token
    app.state.pipeline = pipeline
    app.state.pipeline_lock = threading.Lock()
    install_error_handlers(app)
    # add_middleware wraps outside-in in reverse order: Guard ends up outermost of the three.
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Guard)
    app.include_router(api_router(db))
    from marsad.web.pages import mount_web

    mount_web(app, db)
    return app


def _version() -> str:
    try:
        from marsad import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "0"


def api_router(db: Database) -> APIRouter:
    r = APIRouter(prefix="/api", responses=ERRORS)
    @r.get("/articles", summary="Search articles (full text + filters)", response_model=None)
    def articles(
        q: Annotated[str | None, Query(max_length=500, description="words; FTS5 syntax when it uses operators")] = None,
        date_from: DateFrom = None, date_to: DateTo = None,
        source: Annotated[str | None, Query(max_length=200)] = None,
        actor: ActorQ = None, event_type: EvType = None,
        sort: Literal["auto", "relevance", "newest", "oldest"] = "auto",
        facets: bool = False, limit: Limit = 20, offset: Offset = 0,
    ) -> JSONResponse:
        # The hot path: a JSONResponse skips FastAPI's generic encoder walk over every value.
        return JSONResponse(Q.search_articles(
            db, q=q, date_from=_day(date_from, False), date_to=_day(date_to, True), source=source, actor=actor,
            event_type=event_type, sort=sort, limit=limit, offset=offset, facets=facets))

    @r.get("/articles/{article_id}", summary="One article with all its layers and offsets")
    def article(article_id: Key) -> dict[str, Any]:
        rec = Q.get_article(db, article_id)
        if rec is None:
            raise ApiError(404, f"no article with id {article_id[:100]!r}")
        return rec

    @r.get("/actors", summary="Find actors by any spelling (Arabic normalised, or English name)")
    def actors(
        q: Annotated[str | None, Query(max_length=200)] = None,
        type: Annotated[str | None, Query(pattern=r"^[A-Z]{2,5}$")] = None,  # noqa: A002 - API parameter name
        country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
        limit: Limit = 20, offset: Offset = 0,
    ) -> dict[str, Any]:
        return Q.search_actors(db, q, type_=type, country=country, limit=limit, offset=offset)

    def actor_or_404(actor_id: str) -> dict[str, Any]:
        a = Q.get_actor(db, actor_id)
        if a is None:
            raise ApiError(404, f"no actor with id {actor_id[:100]!r}")
        return a

    @r.get("/actors/{actor_id}", summary="One actor: names, type, country, counts")
    def actor(actor_id: Key) -> dict[str, Any]:
        return actor_or_404(actor_id)

    @r.get("/actors/{actor_id}/quotes", summary="What an actor said")
    def actor_quotes(actor_id: Key, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        actor_or_404(actor_id)
        return Q.actor_quotes(db, actor_id, limit=limit, offset=offset)

    @r.get("/actors/{actor_id}/events", summary="Events an actor is source or target of")
    def actor_events(actor_id: Key, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        actor_or_404(actor_id)
        return Q.actor_events(db, actor_id, limit=limit, offset=offset)

    @r.get("/actors/{actor_id}/cooccurring", summary="Actors named in the same articles")
    def actor_cooccurring(actor_id: Key, limit: Limit = 20) -> dict[str, Any]:
        actor_or_404(actor_id)
        return {"items": Q.cooccurring(db, actor_id, limit=limit)}

    @r.get("/actors/{actor_id}/timeline", summary="Articles naming the actor per month or day")
    def actor_timeline(actor_id: Key, by: Literal["month", "day"] = "month") -> dict[str, Any]:
        actor_or_404(actor_id)
        return {"by": by, "series": Q.actor_timeline(db, actor_id, by=by)}

    @r.get("/events", summary="Events with filters; format=csv exports", response_model=None)
    def events(
        type: EvType = None,  # noqa: A002
        actor: ActorQ = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
        date_from: DateFrom = None, date_to: DateTo = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
        article: Annotated[str | None, Query(max_length=300)] = None,
        format: Literal["json", "csv"] = "json",  # noqa: A002
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100, offset: Offset = 0,
    ) -> Any:
        res = Q.list_events(db, type_=type, actor=actor, country=country, date_from=_day(date_from, False),
                            date_to=_day(date_to, True), quad_class=quad_class, article_id=article, limit=limit,
                            offset=offset)
        if format == "csv":
            return StreamingResponse(_csv(res["items"]), media_type="text/csv; charset=utf-8",
                                     headers={"content-disposition": 'attachment; filename="marsad-events.csv"'})
        return res

    @r.get("/relations", summary="Cooperation vs conflict between two actors or countries over time")
    def relations(
        a: Annotated[str, Query(min_length=1, max_length=300, description="actor id, or ISO3 / country:ISO3")],
        b: Annotated[str, Query(min_length=1, max_length=300)],
        by: Literal["month", "day"] = "month",
    ) -> dict[str, Any]:
        return Q.relations(db, a, b, by=by)

    @r.get("/graph", summary="Who interacts with whom (event counts between actors)")
    def graph(actor: ActorQ = None, limit: Annotated[int, Query(ge=1, le=500)] = 60,
              min_events: Annotated[int, Query(ge=1, le=1000)] = 1) -> dict[str, Any]:
        return Q.interaction_graph(db, actor=actor, limit=limit, min_events=min_events)

    @r.get("/stories", summary="Stories (clusters of copies and rewrites), biggest first")
    def stories(limit: Limit = 50, offset: Offset = 0,
                min_size: Annotated[int, Query(ge=1, le=1000)] = 2) -> dict[str, Any]:
        return Q.list_stories(db, limit=limit, offset=offset, min_size=min_size)

    @r.get("/stories/{story_id}", summary="One story: its articles and sources")
    def story(story_id: Key) -> dict[str, Any]:
        s = Q.get_story(db, story_id)
        if s is None:
            raise ApiError(404, f"no story with id {story_id[:100]!r}")
        return s

    @r.get("/stats", summary="Counts: articles, sources, entities, quotes, events, rejects")
    def stats() -> dict[str, Any]:
        return Q.stats(db)

    @r.post("/ingest", summary="Analyse and store articles (needs the server token)", status_code=200,
            responses={401: {"model": ErrorBody, "description": "Missing or wrong token"},
                       403: {"model": ErrorBody, "description": "Writes are disabled (no token configured)"}})
    def ingest(request: Request, body: IngestRequest,
               _: None = Depends(require_token)) -> IngestResult:
        return _ingest(request.app, db, body)

    return r


def require_token(request: Request,
                  authorization: Annotated[str | None, Header(max_length=1000)] = None,
                  x_marsad_token: Annotated[str | None, Header(max_length=1000)] = None) -> None:
    expected = request.app.state.token
    if not expected:
        raise ApiError(403, "writes are disabled: start the server with --token or MARSAD_TOKEN",
                       code="writes_disabled")
    given = x_marsad_token
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not token_ok(given, expected):
        raise ApiError(401, "missing or wrong token (send Authorization: Bearer TOKEN)",
                       headers={"www-authenticate": "Bearer"})


def _ingest(app: FastAPI, db: Database, body: IngestRequest) -> IngestResult:
    from marsad.data import Article, Rejection, replace_lone_surrogates
    from marsad.store import Store

    with app.state.pipeline_lock:
        if app.state.pipeline is None:
            from marsad.stages import default_pipeline

            app.state.pipeline = default_pipeline()
        pipe = app.state.pipeline
    stored: list[str] = []
    dups: list[str] = []
    rejected: list[dict[str, Any]] = []
    results: list[Article | Rejection] = []
    for a in body.articles:
        text, lossy = replace_lone_surrogates(a.text)
        art = Article.new(text, id=a.id, source=a.source, url=a.url, title=a.title, published=a.published,
                          meta={"lossy_decode": True} if lossy else None)
        results.append(pipe.process(art))
    with db.write_lock, Store(db.path) as store:
        for res in results:
            if isinstance(res, Rejection):
                store.add([res])
                rejected.append({"id": res.id, "stage": res.stage, "code": res.code, "reason": res.reason})
                continue
            summary = store.add([res])
            if summary.stored:
                stored.append(res.id)
            elif summary.duplicate:
                dups.append(res.id)
            else:
                rejected.append({"id": res.id, "stage": "store", "code": "E_STORE", "reason": "not stored"})
    db.invalidate()
    return IngestResult(stored=stored, duplicates=dups, rejected=rejected)


def _day(value: str | None, end: bool) -> str | None:
    """Widen YYYY or YYYY-MM to the first/last day so string comparison on YYYY-MM-DD works."""
    if not value:
        return None
    if len(value) == 4:
        return value + ("-12-31" if end else "-01-01")
    if len(value) == 7:
        return value + ("-31" if end else "-01")
    return value


CSV_COLS = ("article_id", "id", "type", "date", "published", "quad_class", "goldstein", "cameo", "negated",
            "symmetric", "mode", "modality", "confidence", "source_actors", "source_names", "source_countries",
            "target_actors", "target_names", "target_countries", "evidence_text")


def _csv(items: list[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLS)
    for it in items:
        row = []
        for c in CSV_COLS:
            v = it.get(c)
            if isinstance(v, list):
                v = ";".join("" if x is None else str(x) for x in v)
            row.append(_csv_safe(v))
        w.writerow(row)
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _csv_safe(v: Any) -> Any:
    # Spreadsheet formula injection: a cell from article text must not start with = + - @.
    if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
        return "'" + v
    return v

