"""ASGI entry point for multi-worker servers: ``uvicorn marsad.api.asgi:app`` with MARSAD_DB set."""

from __future__ import annotations

import os

from marsad.api.app import DEFAULT_MAX_BODY, create_app
from marsad.api.security import HostCheck, served_host_names

app = create_app(os.environ["MARSAD_DB"], token=os.environ.get("MARSAD_TOKEN") or None,
                 max_body=int(os.environ.get("MARSAD_MAX_BODY") or DEFAULT_MAX_BODY),
                 cache_size=int(os.environ.get("MARSAD_CACHE_SIZE") or 2048))
# only the Host names `marsad serve` serves (set by it; loopback names when run directly under uvicorn)
_allowed = os.environ.get("MARSAD_ALLOWED_HOSTS")
app = HostCheck(app, allowed=set(_allowed.split(",")) if _allowed else served_host_names("127.0.0.1"))  # type: ignore[assignment]
