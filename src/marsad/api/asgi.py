"""ASGI entry point for multi-worker servers: ``uvicorn marsad.api.asgi:app`` with MARSAD_DB set."""

from __future__ import annotations

import os

from marsad.api.app import DEFAULT_MAX_BODY, create_app

app = create_app(os.environ["MARSAD_DB"], token=os.environ.get("MARSAD_TOKEN") or None,
                 max_body=int(os.environ.get("MARSAD_MAX_BODY") or DEFAULT_MAX_BODY),
                 cache_size=int(os.environ.get("MARSAD_CACHE_SIZE") or 2048))
