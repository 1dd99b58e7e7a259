"""Word lists of the entities stage as data (``data/lexicons/*.tsv``), read through one loader that normalises keys
the way the text is normalised (:func:`marsad.lang.ar.normalize.normalize`), so that a table written with أ/ة/ى
matches text written with ا/ه/ي. An entry that can never match (empty, several words where one is expected, a
duplicate with another meaning, an unknown kind) is an error when the table loads, not a silent no-op."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from marsad.errors import ConfigError
from marsad.lang.ar.normalize import normalize

LEXICON_DIR = Path(str(resources.files("marsad.entities") / "data" / "lexicons"))
HEAD_KINDS = ("ORG", "PLACE", "EVENT")


@dataclass(frozen=True, slots=True)
class Head:
    word: str  # as written in the table
    kind: str  # ORG | PLACE | EVENT
    sector: str | None
    english: str
    complete: bool = False  # head + a definite genitive chain is taken as a name (ORG heads only)


def read_table(path: Path, *, columns: int) -> list[tuple[list[str], int]]:
    """Rows (cells, line number) of a tab-separated table; ``#`` lines and blank lines are skipped."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != columns:
            raise ConfigError(f"{path.name}:{n}: expected {columns} tab-separated columns, got {len(cells)}")
        rows.append((cells, n))
    return rows


def normalised_key(word: str, *, where: str) -> str:
    """The lookup key of a one-word entry, or a ConfigError saying why it can never match a token."""
    key = normalize(word)
    if not key or len(key.split()) != 1 or not key.isalpha():
        raise ConfigError(f"{where}: {word!r} is not one word of letters, it can never match a token")
    return key


@lru_cache(maxsize=4)
def load_heads(path: Path | None = None) -> dict[str, Head]:
    """Name heads (``name_heads.tsv``): normalised word → :class:`Head`."""
    p = path or LEXICON_DIR / "name_heads.tsv"
    out: dict[str, Head] = {}
    for (word, kind, sector, english, complete), n in read_table(p, columns=5):
        where = f"{p.name}:{n}"
        if kind not in HEAD_KINDS:
            raise ConfigError(f"{where}: kind {kind!r} is not one of {', '.join(HEAD_KINDS)}")
        if complete not in ("yes", "no", "-") or (complete != "-") != (kind == "ORG"):
            raise ConfigError(f"{where}: complete is yes/no for ORG heads and - for others, got {complete!r}")
        key = normalised_key(word, where=where)
        head = Head(word, kind, None if sector == "-" else sector, english, complete == "yes")
        if key in out and out[key].kind != kind:
            raise ConfigError(f"{where}: {word!r} is already a {out[key].kind} head")
        out.setdefault(key, head)
    return out


def head_gazetteer() -> dict[str, list[str]]:
    """Gazetteer classes of the head nouns for the tagger's features: normalised word → ["hORG"] etc."""
    return {k: ["h" + h.kind] for k, h in load_heads().items()}


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    country: str
    local: bool  # a national outlet: its home country is a prior for the people and bodies it names
    actor: str | None = None  # its registry id


@lru_cache(maxsize=4)
def load_outlets(path: Path | None = None) -> dict[str, Outlet]:
    """News outlets (``outlets.tsv``): lower-case source name or web domain → :class:`Outlet`."""
    p = path or LEXICON_DIR / "outlets.tsv"
    out: dict[str, Outlet] = {}
    for (keys, country, local, name, actor), n in read_table(p, columns=5):
        if len(country) != 3 or not country.isupper() or local not in ("yes", "no"):
            raise ConfigError(f"{p.name}:{n}: expected an ISO3 country and yes/no, got {country!r} {local!r}")
        for k in keys.split("|"):
            k = k.strip().lower()
            if not k or k in out:
                raise ConfigError(f"{p.name}:{n}: empty or repeated outlet key {k!r}")
            out[k] = Outlet(name, country, local == "yes", None if actor == "-" else actor)
    return out


def outlet_of(source: str | None, url: str | None = None) -> Outlet | None:
    """The outlet an article comes from, by its source name or its URL's host (www. and subdomains tried off)."""
    table = load_outlets()
    if source and (o := table.get(source.strip().lower())):
        return o
    if url:
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            if o := table.get(".".join(parts[i:])):
                return o
    return None


@cache
def load_words(name: str) -> frozenset[str]:
    """A one-word-per-line list of ``data/lexicons/NAME``, normalised."""
    p = LEXICON_DIR / name
    return frozenset(normalised_key(cells[0], where=f"{p.name}:{n}") for cells, n in read_table(p, columns=1))


@cache
def load_map(name: str, columns: int) -> dict[str, tuple[str | None, ...]]:
    """A table of ``data/lexicons/NAME``: normalised first column → the other columns ("-" is None), in file order."""
    p = LEXICON_DIR / name
    out: dict[str, tuple[str | None, ...]] = {}
    for cells, n in read_table(p, columns=columns):
        key = normalised_key(cells[0], where=f"{p.name}:{n}")
        if key in out:
            raise ConfigError(f"{p.name}:{n}: {cells[0]!r} is listed twice")
        out[key] = tuple(None if c == "-" else c for c in cells[1:])
    return out


@cache
def load_org_names() -> dict[str, str | None]:
    """Mined organisation names (``org_names.tsv``, :mod:`marsad.entities.org_mining`): normalised name of one to
    three words → CAMEO sector (None: none)."""
    p = LEXICON_DIR / "org_names.tsv"
    out: dict[str, str | None] = {}
    for (name, sector, _count), n in read_table(p, columns=3):
        key = " ".join(normalised_key(w, where=f"{p.name}:{n}") for w in name.split())
        if key in out:
            raise ConfigError(f"{p.name}:{n}: {name!r} is listed twice")
        out[key] = None if sector == "-" else sector
    return out
