"""Security plumbing for the HTTP server: response headers, request size limit, token check, last-resort guard.

Written as plain ASGI middleware (not ``BaseHTTPMiddleware``) so that they cost little per request and see every
response, static files and errors included.
"""

from __future__ import annotations

import functools
import hmac
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from marsad.api.errors import error_body

log = logging.getLogger("marsad.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Pages load only their own scripts, styles, fonts and data; no inline script can run, so article text that
# slipped through escaping still could not execute. echarts sets element styles through the CSSOM, which
# style-src does not restrict; its tooltips are plain text (see web/static/js).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeaders:
    """Adds CSP and friends to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413: at once from Content-Length, or while streaming
    (chunked uploads have no length up front)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    await _send_json(send, 400, error_body(400, "bad Content-Length header"))
                    return
                if n > self.max_bytes:
                    await _send_json(send, 413, error_body(413, self._message()))
                    return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # An HTTPException (not ApiError) so FastAPI's body parsing re-raises it as is.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited_receive, send)

    def _message(self) -> str:
        return f"request body is larger than the limit of {self.max_bytes} bytes"


class Guard:
    """Last resort: anything that escapes the app's handlers becomes the JSON error shape, never a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _send_json(send, 500, error_body(500, "internal error (see the server log)"))


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     extra_headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]
    headers += extra_headers or []
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


def token_ok(given: str | None, expected: str | None) -> bool:
    """Constant-time token comparison; no configured token means the write endpoints are off."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _bearer(headers: list[tuple[bytes, bytes]]) -> str | None:
    given = None
    for k, v in headers:
        if k == b"authorization":
            text = v.decode("latin-1")
            if text.lower().startswith("bearer "):
                return text[7:].strip()
        elif k == b"x-marsad-token":
            given = v.decode("latin-1")
    return given


class WriteAuth:
    """The token check of the write routes (``POST /api/ingest``), before the body is read or parsed: without a
    valid token a client learns 401/403 and nothing about what the body should be (FastAPI validates a body
    before its route's dependencies run, which answered 422 to anonymous clients)."""

    WRITES = frozenset({("POST", "/api/ingest")})

    def __init__(self, app: ASGIApp, *, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope.get("method"), scope.get("path", "").rstrip("/")) in self.WRITES:
            if not self.token:
                await _send_json(send, 403, error_body(
                    403, "writes are disabled: start the server with --token or MARSAD_TOKEN",
                    code="writes_disabled"))  # fmt: skip
                return
            if not token_ok(_bearer(scope.get("headers", [])), self.token):
                await _send_json(send, 401, error_body(401, "missing or wrong token (send Authorization: Bearer TOKEN)"),
                                 extra_headers=[(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def served_host_names(bind: str, extra: list[str] | tuple[str, ...] = ()) -> set[str]:
    """The Host header values the server answers: loopback names, the bound address, and ``extra`` (the
    ``--allow-host`` names, e.g. a reverse proxy's public name). Binding every interface (0.0.0.0, ::) adds
    this machine's name and its addresses."""
    names = {n.lower() for n in LOOPBACK_NAMES}
    names.add(bind.strip("[]").lower())
    if bind in ("0.0.0.0", "::", ""):
        import socket

        for n in (socket.gethostname(), socket.getfqdn()):
            names.add(n.lower())
            try:
                names.update(str(ai[4][0]).lower() for ai in socket.getaddrinfo(n, None))
            except OSError:
                pass
    names.update(h.strip("[]").lower() for h in extra if h)
    return names


def _host_name(value: bytes) -> str:
    host = value.decode("latin-1").strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


class HostCheck:
    """Answers only requests whose Host header names this server (400 otherwise): a web page elsewhere that
    points a name it controls at 127.0.0.1 (DNS rebinding) cannot read the store through a visitor's browser.
    A request without a Host header (HTTP/1.0) has no name to rebind and passes."""

    def __init__(self, app: ASGIApp, *, allowed: set[str]) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            for k, v in scope.get("headers", []):
                if k == b"host":
                    name = _host_name(v)
                    if name not in self.allowed:
                        await _send_json(send, 400, error_body(
                            400, f"this server does not serve the host name {name[:100]!r} (start it with "
                            "--allow-host NAME to add one)", code="host_not_allowed"))  # fmt: skip
                        return
                    break
        await self.app(scope, receive, send)


def bounded_h11_protocol(*, header_timeout: float = 10.0, max_connections: int = 1000) -> type:
    """uvicorn's h11 protocol with what it lacks against slow clients (uvicorn 0.3x has no header timeout and no
    connection cap: 20,000 connections that never finish their headers exhausted the descriptors):

    - a connection must deliver its request headers within ``header_timeout`` seconds of opening (and of each
      keep-alive request starting) or it is closed;
    - about ``max_connections`` connections are open: past it the oldest connections still waiting for their
      headers are closed (a real request's headers come at once, so it is never the oldest waiting); past four
      times it the oldest waiting is closed at once for each new one, so a flood of idle connections can neither
      exhaust the descriptors nor keep a real request out.
    """
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    pending: dict[int, Any] = {}  # connections waiting for headers, oldest first (dicts keep insertion order)
    sweeping: list[Any] = []
    hard_cap = 4 * max_connections
    min_age = 0.2

    def sweep(connections: set[Any], loop: Any) -> None:
        """Close the oldest connections still without headers until at most ``max_connections`` are open. It runs
        a moment after the cap is passed, never inside a burst of accepts: asyncio accepts a batch of connections
        before it reads any of them, and a real client's fresh connection must have had its turn to send its
        headers (``min_age``) before it can be the one closed."""
        sweeping.clear()
        now = time.monotonic()
        excess = len(connections) - max_connections
        for conn in list(pending.values()):
            if excess <= 0 or now - conn._opened < min_age:
                break
            conn._drop("connection limit reached: closing the oldest connection still without headers")
            excess -= 1
        if len(connections) - max_connections > 0:
            sweeping.append(loop.call_later(min_age / 4, sweep, connections, loop))

    class BoundedH11Protocol(H11Protocol):  # type: ignore[misc]
        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._opened = time.monotonic()
            if len(self.connections) > hard_cap:  # (the sweep below normally keeps far from it)
                # emergency: close the oldest connection still without headers at once, whatever its age (the
                # oldest waiting is not a real client's fresh one); with none waiting, refuse this one
                oldest = next(iter(pending.values()), None)
                if oldest is None:
                    self.transport.abort()
                    return
                oldest._drop("hard connection limit reached")
            if len(self.connections) > max_connections and not sweeping:
                sweeping.append(self.loop.call_soon(sweep, self.connections, self.loop))
            self._wait_headers()

        def _wait_headers(self) -> None:
            pending[id(self)] = self
            self._header_timer: Any = self.loop.call_later(header_timeout, self._drop, "header timeout")

        def _headers_done(self) -> None:
            pending.pop(id(self), None)
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
                self._header_timer = None

        def _drop(self, why: str) -> None:
            self._headers_done()
            log.debug("closing a slow connection: %s", why)
            if not self.transport.is_closing():
                self.transport.abort()

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE and id(self) not in pending:
                self._wait_headers()  # the next keep-alive request: its headers are timed too
            super().data_received(data)

        def handle_events(self) -> None:
            super().handle_events()
            if self.conn.their_state is not h11.IDLE:  # a request's headers arrived
                self._headers_done()

        def connection_lost(self, exc: Exception | None) -> None:
            self._headers_done()
            super().connection_lost(exc)

    return BoundedH11Protocol


def __getattr__(name: str) -> Any:
    """``marsad.api.security:EnvBoundedH11Protocol``: the bounded protocol as uvicorn's worker processes import it
    (``serve --workers N`` passes the protocol by name, since a class made in a function cannot be pickled to them;
    its settings come from ``MARSAD_HEADER_TIMEOUT`` and ``MARSAD_MAX_CONNECTIONS``)."""
    if name == "EnvBoundedH11Protocol":
        return _env_protocol()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.lru_cache(maxsize=1)
def _env_protocol() -> type:
    return bounded_h11_protocol(
        header_timeout=float(os.environ.get("MARSAD_HEADER_TIMEOUT", "10")),
        max_connections=int(os.environ.get("MARSAD_MAX_CONNECTIONS", "1000")),
    )
