"""One JSON error body for every error the HTTP API returns (datasette ``test_error_shape`` style).

    {"error": {"code": "not_found", "message": "no article with id 'x'", "status": 404}}

``code`` is a stable snake_case word a client can branch on; ``message`` is one human sentence; ``status`` repeats
the HTTP status. Validation errors add ``details`` (which parameter, what was wrong). Nothing else leaks: unexpected
exceptions are logged server-side and the client sees a generic 500 without a traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.errors import MarsadError, QueryError

log = logging.getLogger("marsad.api")

# Default code for each status when the raiser did not name one.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ApiError(Exception):
    """Raise from a route to answer with the error shape: ``ApiError(404, "no article with id 'x'")``."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 headers: dict[str, str] | None = None, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or STATUS_CODES.get(status, "error")
        self.headers = headers
        self.details = details


def invalid(param: str, message: str) -> ApiError:
    """A 422 for one query parameter, in the shape FastAPI's own validation errors take (``details``)."""
    return ApiError(422, f"{param}: {message}", code="invalid_parameter",
                    details=[{"loc": ["query", param], "message": message, "type": "value_error"}])


def error_body(status: int, message: str, code: str | None = None, **extra: Any) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code or STATUS_CODES.get(status, "error"), "message": message, "status": status}
    err.update(extra)
    return {"error": err}


def error_response(status: int, message: str, code: str | None = None, *,
                   headers: dict[str, str] | None = None, request: Request | None = None, **extra: Any) -> Response:
    """The JSON error shape; a browser asking for a page (not /api) gets the same error as an HTML page."""
    body = error_body(status, message, code, **extra)
    if request is not None and wants_html(request):
        render = getattr(request.app.state, "render_error", None)
        if render is not None:
            return render(request, body["error"], headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/static/")) or path in ("/api", "/openapi.json"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors()[:20]:
        loc = [str(p) for p in e.get("loc", ())]
        # Echo only where and what, never the submitted input (it may be huge or hostile).
        out.append({"loc": loc, "message": str(e.get("msg", "invalid"))[:200], "type": str(e.get("type", ""))})
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        extra = {"details": exc.details} if exc.details else {}
        return error_response(exc.status, exc.message, exc.code, headers=exc.headers, request=request, **extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        status = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else STATUS_CODES.get(status, "error")
        if status == 404 and detail == "Not Found":
            detail = f"no such path: {request.url.path[:200]}"
        elif status == 405:
            detail = f"method {request.method} is not allowed on {request.url.path[:200]}"
        return error_response(status, detail, headers=getattr(exc, "headers", None), request=request)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = _validation_details(exc)
        first = details[0] if details else {"loc": [], "message": "invalid request"}
        where = ".".join(p for p in first["loc"] if p not in ("query", "path", "body")) or "request"
        return error_response(422, f"{where}: {first['message']}", "invalid_parameter", request=request,
                              details=details)

    @app.exception_handler(QueryError)
    async def _query_error(request: Request, exc: QueryError) -> Response:
        return error_response(400, str(exc), "bad_query", request=request)

    @app.exception_handler(MarsadError)
    async def _marsad_error(request: Request, exc: MarsadError) -> Response:
        return error_response(400, str(exc), "bad_request", request=request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal error (see the server log)", "internal_error")
