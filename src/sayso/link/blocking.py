"""Blocking: the pairs of figures worth comparing, without comparing every figure with every other.

``block_key`` puts every figure in one block (its kind, or the kinds that may share an event:
``block_kind``, and the country it is about): linking
compares figures of one block only, so a corpus is linked block by block (``link.corpus``), a
ledger relinks only the blocks new documents touch, and a cluster links each block apart.
Within a block, ``group_pairs`` (value windows that overlap, per country), ``conflict_pairs`` (blocks of one
kind, category, place and counted meaning) and ``event_pairs`` (blocks of one block kind and country:
a share and a count may be one event's estimates, ``events.tie``).
Each yields every pair its job's test can pass (the tests check again)."""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Iterable

from sayso.link.aspects import country_of, interval
from sayso.link.context import FigureContext, _home_country, _main_country, _places_in
from sayso.link.lexicon import lexicon, vocabulary
from sayso.link.values import value_window


def country_key(m: FigureContext) -> str | None:
    """The country a figure is about: its place's, else (naming no place) its document's; None
    (compared with every country) where its place lies abroad from its document's country."""
    place = (m.figure.get("place") or "").strip().lower()
    if not place:
        return m.doc_country
    c = country_of(place)
    # a place abroad may stand for the document's country (aspects.home_places): either is meant
    return None if c and m.doc_country and c != m.doc_country else c


UNPLACED = "?"     # the country of a figure that nothing places


def split_block(block: str) -> tuple[str, str]:
    """A block key's kinds and country: ``"count+percent|iran"`` -> ``("count+percent", "iran")``."""
    kind, _, country = block.rpartition("|")
    return kind, country


def unplaced_block(kind: str) -> str:
    """The block of a kind's figures that nothing places (``UNPLACED``)."""
    return f"{kind}|{UNPLACED}"


def block_kind(kind: str | None) -> str:
    """The kinds a figure's block holds: its own, or the kinds it may share an event with
    (``events.shared_kinds``), joined by "+": "count+percent" for a count and a percentage."""
    return _block_kinds().get(kind or "", str(kind))


@lru_cache(maxsize=1)
def _block_kinds() -> dict[str, str]:
    out = {}
    for kinds in vocabulary()["events"]["shared_kinds"]:
        for k in kinds:
            out[k] = "+".join(kinds)
    return out


def block_key(m: FigureContext) -> str:
    """``"kind|country"``: the block a figure is linked in (its ``block_kind``). The country is its place's; a place
    abroad from its document's main country, a place the registry cannot place, or none, stand
    for the document's country (its main one, else the one it is most about, ``doc_home``); a
    figure that nothing places is ``UNPLACED``: its block is linked like any other, then with
    the linked sets of its kind's other blocks it can reach (``corpus.link_figures``)."""
    place = (m.figure.get("place") or "").strip().lower()
    c = country_of(place) if place else None
    if c and m.doc_country in (None, c):
        country = c
    else:
        country = m.doc_country or m.doc_home or c or UNPLACED
    return f"{block_kind(m.figure.get('kind'))}|{country}"


def block_keys(record: dict, text: str | None) -> list[str]:
    """``block_key`` of every figure of a record, reading only the places its text names (what
    ``context.contexts`` would also read the organisations and the sentences' words for)."""
    places = _places_in(text) if text else []
    country = _main_country(places)
    home = country or _home_country(places, record.get("figures") or [])
    return [block_key(FigureContext(key="", doc="", index=0, figure=f, doc_country=country, doc_home=home))
            for f in record.get("figures") or []]


def group_pairs(ms: list[FigureContext]) -> Iterable[tuple[FigureContext, FigureContext]]:
    """Pairs of the same kind whose value windows overlap (a sweep over sorted windows), about
    the same country or one of unknown country, with categories that can be compatible and times
    that overlap (or one unknown): every pair ``_aspects`` can pass, without comparing every
    figure with every other."""
    lex = lexicon()
    by_kind: dict[str, list[tuple[float, float, FigureContext]]] = {}
    for m in ms:
        w = value_window(m)
        if w is not None:
            by_kind.setdefault(m.figure.get("kind"), []).append((w[0], w[1], m))
    for items in by_kind.values():
        items.sort(key=lambda t: (t[0], t[2].index))
        # per country (None: unknown): (window end, category, time interval, mention)
        active: dict[str | None, list[tuple[float, str, tuple | None, FigureContext]]] = {}
        for lo, hi, m in items:
            key, cat, span = country_key(m), m.figure.get("category") or lex.fallback, interval(m.figure)
            for k in (list(active) if key is None else [k for k in (key, None) if k in active]):
                active[k] = kept = [t for t in active[k] if t[0] >= lo]
                for _, cat_b, span_b, b in kept:
                    if cat != cat_b and lex.fallback not in (cat, cat_b) and (cat_b, cat) not in lex.compatible_categories:
                        continue
                    if span is not None and span_b is not None and (span[0] > span_b[1] or span_b[0] > span[1]):
                        continue
                    yield b, m
            active.setdefault(key, []).append((hi, cat, span, m))


def conflict_pairs(ms: list[FigureContext]) -> Iterable[tuple[FigureContext, FigureContext]]:
    """Pairs that may disagree (``disagree``'s first tests, as blocks): the same kind and
    category, neither vague, the same place (or document country), counted nouns both generic or
    of one specific meaning, both dated with overlapping times or both undated."""
    lex = lexicon()
    blocks: dict[tuple, list[FigureContext]] = {}
    for m in ms:
        f = m.figure
        cat = f.get("category")
        if not cat or cat == lex.fallback or f.get("qualifier") == "vague":
            continue
        place = (f.get("place") or "").lower() or m.doc_country or ""
        counted = "" if not m.head or m.head in lex.generic else lex.synonym_of.get(m.head, m.head)
        blocks.setdefault((f.get("kind"), cat, place, counted, interval(f) is not None), []).append(m)
    for (*_, dated), items in blocks.items():
        if not dated:
            for i, a in enumerate(items):
                for b in items[i + 1:]:
                    yield a, b
            continue
        spans = sorted(((interval(m.figure), m) for m in items), key=lambda t: (t[0][0], t[1].index))
        active: list[tuple[tuple, FigureContext]] = []
        for span, m in spans:
            active = [t for t in active if t[0][1] >= span[0]]
            for _, a in active:
                yield (a, m) if a.index < m.index else (m, a)
            active.append((span, m))


def event_pairs(ms: list[FigureContext], max_days_apart: int | None = None) -> Iterable[tuple[FigureContext, FigureContext]]:
    """Pairs of one ``block_kind`` (a share and a count: ``events.tie`` tells) about the same
    country (or one of unknown country), with categories
    that can be compatible, in reading order: every pair ``events.same_event`` can pass. Values
    play no part (an event's estimates may differ tenfold). With ``max_days_apart``, figures of
    documents published further apart than that are not paired (a figure of an undated document
    is paired with all)."""
    lex = lexicon()
    blocks: dict[tuple, list[FigureContext]] = {}
    for m in ms:
        blocks.setdefault((block_kind(m.figure.get("kind")), country_key(m)), []).append(m)

    def fits(a: FigureContext, b: FigureContext) -> bool:
        ca, cb = a.category or lex.fallback, b.category or lex.fallback
        return ca == cb or lex.fallback in (ca, cb) or (ca, cb) in lex.compatible_categories

    def pairs(left: list[FigureContext], right: list[FigureContext] | None) -> Iterable[tuple]:
        """Pairs within ``left`` (``right`` None) or across the two, within the date window."""
        undated_l = [m for m in left if _day(m) is None]
        dated = sorted(((_day(m), 0, m) for m in left if _day(m) is not None),
                       key=lambda t: (t[0], t[2].index))
        if right is not None:
            dated = sorted(dated + [(_day(m), 1, m) for m in right if _day(m) is not None],
                           key=lambda t: (t[0], t[2].index))
        window = max_days_apart if max_days_apart is not None else 1 << 30
        active: list[tuple[int, int, FigureContext]] = []
        for day, side, m in dated:
            active = [t for t in active if day - t[0] <= window]
            for _, side_b, b in active:
                if (right is None or side != side_b) and fits(m, b):
                    yield (b, m) if b.index < m.index else (m, b)
            active.append((day, side, m))
        others = left if right is None else right
        for a in undated_l:                    # undated: paired with every figure
            for b in others:
                if b is not a and fits(a, b) and (right is not None or _day(b) is not None or b.index > a.index):
                    yield (a, b) if a.index < b.index else (b, a)
        if right is not None:
            for b in (m for m in right if _day(m) is None):
                for a in left:
                    if _day(a) is not None and fits(a, b):
                        yield (a, b) if a.index < b.index else (b, a)

    for (kind, country), items in blocks.items():
        yield from pairs(items, None)
        if country is None:         # unknown country: compared with every other country's figures
            for (kind_b, country_b), others in blocks.items():
                if kind_b == kind and country_b is not None:
                    yield from pairs(items, others)


def _day(m: FigureContext) -> int | None:
    """Its document's publication date as a day number, None where unknown."""
    try:
        return date.fromisoformat(m.published or "").toordinal()
    except ValueError:
        return None
