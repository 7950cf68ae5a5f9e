"""Groups: figures, across and within documents, that state the same quantity about the same thing.

``assign_groups(records)`` sets ``figure["group"]`` on every figure of a batch of
``sayso.document/1`` records: a stable id (``"g1"``, ``"g2"``, … in reading order) shared by the
figures of a group of two or more, ``None`` for a figure stated only once. Pure functions over
the records (and, for the wording of the sentences, the documents' texts); no database. The
aspects compared are in ``sayso.link.aspects``, the values in ``sayso.link.values``, which pairs
are compared in ``sayso.link.blocking``.

Two figures state the same quantity (``same_quantity(a, b)``, which says why or why not) when
every test below passes, and something ties them to the same story:

1. kind: both counts, percentages, ranks or sums of money.
2. category: equal, or a pair listed as compatible in ``data/groups.json`` (arrested / imprisoned:
   "detained" and "held" describe one custody). The fallback category ``other`` matches any
   category (itself included) only where the counted nouns agree on a specific head (not on a
   generic one), where one has none, or where the ``other`` figure counts a referential noun
   ("the 112,713 figure", "the number"): it points back to a quantity stated before.
3. value: the numbers are compatible.
   * two unhedged (``exact``) numbers are equal once the more precise is rounded to the decimals
     of the other ("80 percent" and "80.1 percent");
   * where either is hedged (``approx``, ``at_least``, ``at_most``), the finer number rounded at
     the significant precision of the rounder one must give the rounder one — rounded down where
     the rounder is a lower bound ("more than 112,000" holds 112,713), up where it is an upper
     bound, to the nearest otherwise — and they may be no further apart than
     ``max_relative_difference``: "almost 7,000" holds "6,700", "more than 100" holds "at least
     114", but "at least 738" does not hold "759" (738 is precise to the unit) and "more than
     1,500" does not hold "304". ``at_least`` excludes an exact number below it, ``at_most`` one
     above it, and a lower bound matches an upper bound only on the same number ("at least 1,400",
     "up to 1,400");
   * a ``range`` holds a hedged number inside it ("about 6,700"; not an unhedged one, which is
     one case of a span), and equals a range with the same ends;
   * a ``vague`` quantity equals another vague quantity with the same low ("thousands" stated
     twice), and is never the same stated quantity as a number (``rough_and_number``): "hundreds
     detained" in a headline and "at least 340" in the text are two estimates of one count (one
     event), not one value stated twice. (``values.value_match`` says whether a number lies in
     its span, ``[low, low × vague_span)``: events read that.)
4. time: the two intervals overlap, or either is unknown.
5. place: equal, or one lies within the other (``place_parents``), or either is unknown. A figure
   that names no place is about its document's main country (the country more than half of the
   places the text names lie in), so a report on Sudan and one on Ethiopia do not share a toll.
6. counted: the nouns agree. Heads (the last noun before "of", singularised) are equal or
   synonyms, or either is generic ("people", "deaths", "executions"), or either is missing, or
   they sit in different dimensions of the contrast sets (men / protesters may be the same people;
   soldiers / civilians, men / women, police / soldiers may not).
   A sum and its restatement in another currency, in brackets right after it ("1 billion pounds
   (BD488m)", ``aspects.conversion``), always are one quantity, whatever tests 3-6 say.
7. evidence, in points (weights in ``data/groups.json``): the same document, or documents that
   name the same organisations or places; a source both figures name; the same known place;
   known times that overlap; counted nouns that agree on a specific head; a precise value (one
   point per significant digit beyond the first: 738 earns two, 6,700 one, 100 none); the
   content words the two sentences share (beyond the number, the counted noun, the sources'
   names, the category cue words and the attribution verbs). Values that only roughly agree
   (rounding, a number inside a range) cost a point. A pair is linked at
   ``link_threshold`` points.

Groups are built by agglomeration: linked pairs, strongest first, merge their groups only where
every figure of one is compatible (tests 1-6) with every figure of the other, so a chain of
near-values ("more than 100", "at least 114", "at least 130") cannot join figures that disagree.
"""
from __future__ import annotations

from array import array

import numpy

from sayso.link.aspects import Verdict, aspects, conversion, story_points
from sayso.link.blocking import group_pairs
from sayso.link.context import FigureContext, contexts
from sayso.link.lexicon import lexicon, vocabulary
from sayso.link.values import value_match


def same_quantity(a: FigureContext | dict, b: FigureContext | dict, explain: bool = True) -> Verdict:
    """Whether two figures state the same quantity; ``Verdict.reasons`` says why or why not.

    Figures may be given as dicts (a figure of a record, taken to come from two different
    documents; a ``sentence_text`` key, where present, stands for its sentence) or as
    ``FigureContext``s (see ``contexts``), which carry the document, its text and what it names.
    ``explain=False`` leaves the evidence's reasons out (the same verdict, faster)."""
    a = a if isinstance(a, FigureContext) else FigureContext.of(a, doc="a")
    b = b if isinstance(b, FigureContext) else FigureContext.of(b, doc="b")
    lex = lexicon()
    e = vocabulary()["evidence"]
    if conversion(a, b):
        return Verdict(True, ["a sum restated in another currency, in brackets"], compatible=True,
                       points=e["link_threshold"] + e["same_document"])
    ok, reasons, same_place, both_times = aspects(a, b)
    if not ok:
        return Verdict(False, reasons)
    if rough_and_number(a, b):
        return Verdict(False, reasons + ["a vague quantity and a number: two estimates, not one value stated twice"])
    vok, vwhy, loose = value_match(a.figure, b.figure)
    reasons.insert(0, vwhy)
    points, why = story_points(a, b, same_place, both_times, lex, with_value=vok, looseness=loose if vok else 0,
                            explain=explain)
    if explain:
        reasons.append(f"evidence {points} ({'; '.join(why) or 'none'})")
    if not vok:
        return Verdict(False, reasons, compatible=False, points=points)
    same = points >= e["link_threshold"]
    if not same:
        reasons.append(f"below the link threshold ({e['link_threshold']})")
    return Verdict(same, reasons, compatible=True, points=points)


def compatible(a: FigureContext, b: FigureContext) -> bool:
    """Tests 1-6 of ``same_quantity`` (values included), without the evidence."""
    return conversion(a, b) or (aspects(a, b)[0] and not rough_and_number(a, b)
                                and value_match(a.figure, b.figure)[0])


def rough_and_number(a: FigureContext, b: FigureContext) -> bool:
    """One of two figures a vague quantity ("dozens", "thousands"), the other a number: a writer
    who restates a value keeps its number ("1,500", "more than 1,500"), and one who writes
    "hundreds" of a count given as 340 elsewhere gives a rougher estimate of it, not the same value."""
    return (a.figure.get("qualifier") == "vague") != (b.figure.get("qualifier") == "vague")


def rough_beside_count(a: FigureContext, b: FigureContext) -> bool:
    """One sentence giving a vague quantity and a number ("dozens of reporters have been jailed,
    and the union says 29 are behind bars"): a writer does not restate a number as "dozens" in
    the sentence that gives it, so the two are different quantities, not even two estimates of
    one (events read this)."""
    if a.doc != b.doc or not a.figure.get("sentence") or a.figure.get("sentence") != b.figure.get("sentence"):
        return False
    return rough_and_number(a, b)


def _fits(x: FigureContext, gx: set[int], y: FigureContext, gy: set[int], by_index: dict) -> bool:
    """Whether ``x`` (of group ``gx``) and ``y`` (of ``gy``) may share a group: ``compatible``; or
    one of them names no specific category (``other``) and a figure of the two groups that does
    name one is compatible with both (a group's "19 people" beside its "19 killed" is one toll)."""
    if compatible(x, y):
        return True
    # a sum restated in another currency stands for the sum it restates
    if x.figure.get("kind") == "money" and any(
            z is not x and z is not y and (conversion(z, x) and compatible(z, y) or conversion(z, y) and compatible(z, x))
            for z in (by_index[i] for i in gx | gy)):
        return True
    fallback = lexicon().fallback
    if fallback not in (x.category, y.category):
        return False
    return any(z.category not in (None, fallback) and z is not x and z is not y and compatible(z, x)
               and compatible(z, y) for z in (by_index[i] for i in gx | gy))


_MAX_POINTS = 1 << 10     # above any evidence score: links are sorted on one int64 key


def _linked_pairs(ms: list[FigureContext], joined=None) -> numpy.ndarray:
    """Every linked pair (``same_quantity``), strongest first then in reading order, packed in one
    int64 each (8 bytes a pair, where a list of tuples takes ~100: millions of pairs on a large
    ledger): ``((_MAX_POINTS - points) * n + first) * n + second``, sorted. ``joined(i, j)``, where
    given, is called on every linked pair."""
    n = len(ms)
    keys = array("q")
    for a, b in _with_conversions(group_pairs(ms), ms):
        v = same_quantity(a, b, explain=False)
        if v.same:
            i, j = min(a.index, b.index), max(a.index, b.index)
            if joined is not None:
                joined(i, j)
            keys.append(((_MAX_POINTS - v.points) * n + i) * n + j)
    return numpy.sort(numpy.frombuffer(keys, dtype=numpy.int64)) if keys else numpy.empty(0, numpy.int64)


def _with_conversions(pairs, ms: list[FigureContext]):
    """The blocked pairs, then the pairs of sums of one sentence (a sum restated in another
    currency has another value: no value window holds both)."""
    yield from pairs
    sums: dict[tuple, list[FigureContext]] = {}
    for m in ms:
        if m.figure.get("kind") == "money" and m.figure.get("sentence"):
            sums.setdefault((m.doc, m.figure["sentence"].get("start")), []).append(m)
    for same in sums.values():
        for i, a in enumerate(same):
            for b in same[i + 1:]:
                if conversion(a, b):
                    yield a, b


def cluster(ms: list[FigureContext], joined=None) -> list[list[FigureContext]]:
    """Groups of two or more figures that state the same quantity, in reading order; ``joined(i, j)``,
    where given, is called on every linked pair (merged or not)."""
    n = len(ms)
    by_index = {m.index: m for m in ms}
    group_of = {m.index: {m.index} for m in ms}
    apart: dict[int, set[int]] = {}     # figures found incompatible, which no merge can join
    linked = _linked_pairs(ms, joined)
    for key in (k for at in range(0, len(linked), 1 << 16) for k in linked[at:at + (1 << 16)].tolist()):
        a, b = (key // n) % n, key % n
        ga, gb = group_of[a], group_of[b]
        if ga is gb:
            continue
        small, big = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
        if any(y in big for x in small for y in apart.get(x, ())):
            continue
        clash = next(((x, y) for x in small for y in big
                      if not _fits(by_index[x], small, by_index[y], big, by_index)), None)
        if clash:
            apart.setdefault(clash[0], set()).add(clash[1])
            apart.setdefault(clash[1], set()).add(clash[0])
            continue
        merged = ga | gb
        for i in merged:
            group_of[i] = merged
    seen, groups = set(), []
    for m in ms:
        g = group_of[m.index]
        if len(g) > 1 and id(g) not in seen:
            seen.add(id(g))
            groups.append([by_index[i] for i in sorted(g)])
    return groups


def assign_contexts(ms: list[FigureContext], joined=None) -> None:
    """Set ``figure["group"]`` on the figures of ``ms`` (see ``assign_groups``); ``joined`` as for
    ``cluster``."""
    for m in ms:
        m.figure["group"] = None
    for n, group in enumerate(cluster(ms, joined), start=1):
        for m in group:
            m.figure["group"] = f"g{n}"


def assign_groups(records: list[dict], texts=None) -> None:
    """Set ``figure["group"]`` on every figure of ``records``: ``"g1"``, ``"g2"``, … (numbered in
    reading order) for figures of a group of two or more, ``None`` for the rest. ``texts`` as for
    ``contexts``."""
    assign_contexts(contexts(records, texts))
