"""Coded errors (spaCy ``errors.py`` style). User errors become one-line CLI messages, never tracebacks."""

from __future__ import annotations


class MarsadError(Exception):
    """Base class: a problem a user can act on. ``code`` is stable and greppable."""

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code:
            self.code = code
        super().__init__(message)

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class InputError(MarsadError):
    """The input cannot be used (empty, binary, undecodable, malformed). Becomes a :class:`~marsad.data.Rejection`."""

    code = "E100"


class ConfigError(MarsadError):
    """Bad configuration or pipeline set-up (missing stage requirements, unknown option)."""

    code = "E200"


class MissingDependency(MarsadError):
    """An optional extra is needed; the message names the pip command."""

    code = "E300"

    def __init__(self, feature: str, extra: str, module: str) -> None:
        super().__init__(
            f"{feature} needs the optional dependency '{module}': pip install 'marsad[{extra}]'", code="E300"
        )


class QueryError(MarsadError):
    """A search query the engine cannot parse."""

    code = "E400"


def require(module: str, *, feature: str, extra: str):  # noqa: ANN201 - returns a module
    """Import an optional dependency or raise :class:`MissingDependency` with the install command."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingDependency(feature, extra, module) from e
