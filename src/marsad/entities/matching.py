"""Registry matching: the longest registry alias at each token of a sentence unit, over normalised tokens, with a
leading clitic (و ف ب ل ك، لل) tried off, and a country's nisba name (_nisba_country) where no alias starts; a capital
is its government's metonym unless used as a place (في لندن). A mixin of :class:`marsad.entities.stage.EntityStage`:
the methods read ``self.registry`` and keep a per-word table of where a name can start in ``self._starts``."""
from __future__ import annotations

from typing import Any

from marsad.entities.common import (
    _IDIOMS,
    _JOINERS,
    _LOCATIVE,
    _STOP,
    _VERBS,
    _clitic_variants,
    _extend_nasab,
    _Mention,
    _nisba_country,
    _skip_clitic,
    _Unit,
)
from marsad.entities.registry import Registry, name_key
from marsad.lang.ar.normalize import normalize

_GENERIC_HEADS = frozenset({"صحيفه", "تنظيم", "موسم", "شهر", "جريده", "مجله"})  # normalised, without ال
# honorifics a registry alias may open with (الأمير محمد بن سلمان، الشيخ محمد بن زايد), normalised
_HONORIFICS = frozenset({"الامير", "الاميره", "الشيخ", "الشيخه", "الدكتور", "الدكتوره"})
_STARTS_MAX = 1 << 18  # distinct words kept by EntityStage._starts (about 40 MB at most)


class RegistryMatching:
    """Registry matches of a sentence unit (see the module docstring)."""

    registry: Registry
    # word -> whether a registry name or a country's nisba name can start at it, for the registry it was computed with
    _starts: tuple[Any, dict[str, bool]]

    # -- registry matching ---------------------------------------------------------------------------------------
    def _registry_matches(self, ui: int, unit: _Unit) -> list[_Mention]:
        reg = self.registry
        toks, norms = unit.tokens, unit.norms
        # segments of name-bearing tokens: punctuation other than _ - # ends a segment
        words: list[int] = []
        segs: list[list[int]] = []
        for i, t in enumerate(toks):
            if t.kind == "sym":
                if t.text in _JOINERS:
                    continue
                if words:
                    segs.append(words)
                words = []
                continue
            words.append(i)
        if words:
            segs.append(words)
        out: list[_Mention] = []
        if self._starts[0] is not reg or len(self._starts[1]) > _STARTS_MAX:
            # a new registry, or a long-running process (serve, ingest) that has met more distinct words than this
            # table should hold: start it again rather than let it grow with the corpus
            self._starts = (reg, {})
        starts = self._starts[1]
        for seg in segs:
            p = 0
            while p < len(seg):
                hit = None
                first = norms[seg[p]]
                may = starts.get(first)
                if may is None:
                    may = starts[first] = self._may_start(reg, first)
                if not may:  # no reading of the word opens a registry name or is a country's nisba name
                    p += 1
                    continue
                best = None
                variants = _clitic_variants(first)
                if len(first) == 3 and first[0] in "وفبلك":
                    # لبي بي سي، وسي إن إن: a clitic on a two-letter first word (too short to cut off alone)
                    variants = (*variants, (first[1:], -1))
                for v, cut in variants:
                    for length in reg.first_lengths.get(v, ()):
                        if length > len(seg) - p or (best and length <= best[0]):
                            continue
                        if cut < 0 and length < 2:
                            continue
                        aid = reg.aliases.get((v, *(norms[seg[p + k]] for k in range(1, length))))
                        if aid is not None:
                            best = (length, aid, cut)
                            break
                hit = best
                if hit and hit[0] == 1 and p + 1 < len(seg) and (norms[seg[p]][abs(hit[2]):], norms[seg[p + 1]]) in _IDIOMS:
                    hit = None
                    p += 1
                    continue
                if not hit and reg.nisba_names:
                    hit = _nisba_country(reg, unit, seg[p], seg[p - 1] if p > 0 else -1)
                if not hit:
                    p += 1
                    continue
                length, aid, cut = hit
                cut = abs(cut)
                i0, i1 = seg[p], seg[p + length - 1] + 1
                start = _skip_clitic(toks[i0], cut)
                if (
                    length >= 2
                    and norms[i0][cut:].removeprefix("ال") in _GENERIC_HEADS
                    and reg.aliases.get(tuple(norms[seg[p + k]] for k in range(1, length))) == aid
                ):
                    # صحيفة فلان تايمز، تنظيم فلان: the name is the alias without its generic head
                    i0 = seg[p + 1]
                    start = toks[i0].start
                actor = reg.actors[aid]
                if actor.type == "PER":
                    i1 = _extend_nasab(unit, i1)
                    if i1 - i0 == 1 and p > 0 and seg[p - 1] == i0 - 1 and not cut and self._given_variant(
                        actor, norms[i0 - 1], norms[i0]
                    ):
                        # سيرغيه لافروف for the registry's سيرغي لافروف: the given name in another spelling is
                        # part of the mention (the text's full name, not the surname alone)
                        i0, start = i0 - 1, toks[i0 - 1].start
                    if i1 - i0 >= 3 and norms[i0][cut:] in _HONORIFICS:
                        # الأمير محمد بن سلمان: the honorific is a title, the name starts after it (الملك stays:
                        # الملك سلمان is how he is named)
                        i0, start = i0 + 1, toks[i0 + 1].start
                m = _Mention(start, toks[i1 - 1].end, ui, i0, i1, actor.type, aid, source="registry")
                if actor.metonym_of:
                    prev = norms[seg[p] - 1] if seg[p] > 0 else ""
                    locative = prev in _LOCATIVE or (cut and first[:1] in "بف" and first[:2] != "ال")
                    if not locative:
                        m.actor_id, m.metonym, m.place_id = actor.metonym_of, True, aid
                out.append(m)
                p = next((q for q in range(p + length, len(seg)) if seg[q] >= i1), len(seg))
        return out

    @staticmethod
    def _may_start(reg: Registry, w: str) -> bool:
        """Whether the matching below can find anything at a token ``w``: a clitic reading (the 3-letter one with
        a clitic cut included) that opens a registry alias, or one that names a country by its nisba form
        (_nisba_country reads no other). Most tokens can not, and are skipped at once."""
        variants = _clitic_variants(w)
        if any(reg.first_lengths.get(v) for v, _ in variants):
            return True
        if len(w) == 3 and w[0] in "وفبلك" and reg.first_lengths.get(w[1:]):
            return True
        return bool(reg.nisba_names) and any(v in reg.nisba_names for v, _ in variants)

    def _given_variant(self, actor: Any, prev: str, surname: str) -> bool:
        """``prev`` is the given name of one of the actor's full names, in another spelling (same consonant skeleton:
        سيرغيه / سيرغي), and that name ends with ``surname``."""
        key = name_key(prev)
        if not key or prev in _VERBS or prev in _STOP:
            return False
        for al in actor.ar:
            words = normalize(al).split()
            if len(words) >= 2 and words[-1] == surname and words[0] != prev and name_key(words[0]) == key:
                return True
        return False
