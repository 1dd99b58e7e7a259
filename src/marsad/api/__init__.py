"""HTTP API for a marsad store (FastAPI): ``create_app(db_path, token=...)``; ``marsad serve`` runs it."""

from __future__ import annotations

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    """See :func:`marsad.api.app.create_app` (imported lazily: FastAPI is the optional ``api`` extra)."""
    from marsad.errors import require

    require("fastapi", feature="the HTTP API", extra="api")
    from marsad.api.app import create_app as _create

    return _create(*args, **kwargs)


__all__ = ["create_app"]
