"""The aspects two figures are compared on, shared by groups, events and conflicts: category,
counted noun, time, place, and the evidence (points) that ties two figures to one story. Each test
returns its verdict with the reason, so ``sayso`` can say why two figures were (not) linked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sayso.link.lexicon import Lexicon, ancestors, country_of, lexicon, vocabulary

if TYPE_CHECKING:
    from sayso.link.context import FigureContext


@dataclass
class Verdict:
    """Whether two figures state the same quantity, and why (or why not)."""

    same: bool
    reasons: list[str] = field(default_factory=list)
    compatible: bool = False        # tests 1-6 pass (values included)
    points: int = 0

    def __bool__(self) -> bool:
        return self.same


def categories_compatible(a: FigureContext, b: FigureContext, lex: Lexicon) -> tuple[bool, str]:
    ca, cb = a.category or lex.fallback, b.category or lex.fallback
    if lex.fallback in (ca, cb):
        # "other" says nothing about the event: the counted nouns must say it, or point back to
        # a quantity already stated ("the 112,713 figure")
        if not a.head or not b.head:
            return True, f"category {lex.fallback}, a counted noun missing"
        for m, c in ((a, ca), (b, cb)):
            if c == lex.fallback and m.refers_back:
                return True, f"category {lex.fallback} of a figure that refers back ('{m.head}')"
        ok = specific_agreement(a, b, lex)
        return ok, (f"category {lex.fallback} with the same specific counted noun ({a.head})" if ok
                    else f"category {lex.fallback} without the same specific counted noun ({a.head}, {b.head})")
    if ca == cb:
        return True, f"same category ({ca})"
    if (ca, cb) in lex.compatible_categories:
        return True, f"compatible categories ({ca}, {cb})"
    return False, f"different categories ({ca}, {cb})"


def specific_agreement(a: FigureContext, b: FigureContext, lex: Lexicon) -> bool:
    """The counted nouns agree on a specific head: equal or synonyms, neither generic (a head of
    any conjunct: "countries and territories" agrees with "countries")."""
    if not a.head or not b.head or a.head in lex.generic or b.head in lex.generic:
        return False
    return any(x == y or (x in lex.synonym_of and lex.synonym_of.get(x) == lex.synonym_of.get(y))
               for x in a.heads or (a.head,) for y in b.heads or (b.head,))


def counted_compatible(a: FigureContext, b: FigureContext) -> tuple[bool, str]:
    """Whether two counted nouns can count the same things, with the reason."""
    lex = lexicon()
    if not a.head or not b.head:
        return True, "a counted noun is missing"
    if a.head == b.head or a.counted == b.counted:
        return True, f"same counted noun ({a.head})"
    if a.heads & b.heads:
        return True, f"a conjunct of one is the other ({', '.join(sorted(a.heads & b.heads))})"
    if a.head in lex.synonym_of and lex.synonym_of.get(a.head) == lex.synonym_of.get(b.head):
        return True, f"synonyms ({a.head}, {b.head})"
    if a.head in lex.generic or b.head in lex.generic:
        return True, f"generic counted noun ({a.head if a.head in lex.generic else b.head})"
    ka, kb = lex.classes.get(a.head, {}), lex.classes.get(b.head, {})
    if ka and kb:
        shared = set(ka) & set(kb)
        clash = [d for d in shared if ka[d] != kb[d]]
        if clash:
            return False, f"{a.head} and {b.head} are different {clash[0]}"
        return True, f"{a.head} and {b.head} may be the same people"
    return False, f"different counted nouns ({a.head}, {b.head})"


def interval(f: dict) -> tuple[date | None, date | None] | None:
    t = f.get("time") or {}
    try:
        s = date.fromisoformat(t["start"]) if t.get("start") else None
        e = date.fromisoformat(t["end"]) if t.get("end") else None
    except ValueError:
        return None
    if s is None and e is None:
        return None
    return s or date.min, e or date.max


def times_compatible(a: dict, b: dict) -> tuple[bool, bool, str]:
    """(compatible, both known, reason): intervals that overlap, or one unknown."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return True, False, "a time is unknown"
    ok = ia[0] <= ib[1] and ib[0] <= ia[1]
    return ok, True, "times overlap" if ok else "times do not overlap"


def places_compatible(a: dict, b: dict, country_a: str | None = None,
                      country_b: str | None = None) -> tuple[bool, bool, str]:
    """(compatible, same known place, reason): equal, one within the other, or one unknown.

    ``country_a``/``country_b``: the country each figure's document is mostly about; a figure
    that names no place is taken to be about it, so figures of a report on Sudan and of one on
    Ethiopia are not about the same place even where neither sentence names one."""
    pa, pb = (a.get("place") or "").strip().lower(), (b.get("place") or "").strip().lower()
    if not pa or not pb:
        ca = country_of(pa) if pa else country_a
        cb = country_of(pb) if pb else country_b
        if ca and cb and ca != cb:
            return False, False, f"about different countries ({ca}, {cb})"
        return True, False, "a place is unknown"
    if pa == pb:
        return True, True, f"same place ({a.get('place')})"
    lex = lexicon()
    if pa in ancestors(pb, lex) or pb in ancestors(pa, lex):
        return True, True, f"{a.get('place')} and {b.get('place')}: one lies within the other"
    return False, False, f"different places ({a.get('place')}, {b.get('place')})"


def home_places(a: FigureContext, b: FigureContext) -> tuple[bool, str]:
    """Where the places of two figures disagree: whether they agree once a place abroad (in a
    document mostly about one country, a place in another country) is read as that country. A
    dateline ("GENEVA -") or the seat of a UN office is often where a figure was stated, not
    what it is about."""
    fa, fb = dict(a.figure), dict(b.figure)
    moved = False
    for m, f in ((a, fa), (b, fb)):
        c = country_of(f.get("place"))
        if c and m.doc_country and c != m.doc_country:
            f["place"], moved = m.doc_country, True
    if not moved:
        return False, places_compatible(a.figure, b.figure, a.doc_country, b.doc_country)[2]
    ok, _, why = places_compatible(fa, fb, a.doc_country, b.doc_country)
    return ok, (f"a place abroad read as its document's country: {why}" if ok else why)


def story_points(a: FigureContext, b: FigureContext, same_place: bool, both_times: bool, lex: Lexicon,
              with_value: bool = True, looseness: int = 0, explain: bool = True) -> tuple[int, list[str]]:
    """Points for what ties two figures to one story, and (``explain``) the words saying why."""
    e = vocabulary()["evidence"]
    points, why = 0, []
    if looseness:
        points -= e["loose_value"] * looseness
        if explain:
            why.append("values that only roughly agree")
    if a.doc == b.doc:
        points += e["same_document"]
        if explain:
            why.append("same document")
    else:
        names = a.doc_names & b.doc_names
        if names:
            points += min(len(names), e["max_story_points"])
            if explain:
                why.append("both documents name " + ", ".join(sorted(names)[:4]))
    shared = a.sources & b.sources
    if shared:
        points += e["shared_source"]
        if explain:
            why.append("both attributed to " + ", ".join(sorted(shared)))
    if same_place:
        points += e["same_place"]
        if explain:
            why.append("same place")
    if both_times:
        points += e["overlapping_time"]
        if explain:
            why.append("overlapping times")
    if specific_agreement(a, b, lex):
        points += e.get("specific_counted", 1)
        if explain:
            why.append(f"both count {a.head}")
    if with_value:
        digits = min(a.digits, b.digits)
        if digits >= 2:
            points += min(digits - 1, e["max_value_points"])
            if explain:
                why.append(f"a value of {digits} significant digits")
    words = a.words & b.words
    if words:
        points += min(len(words), e["max_word_points"])
        if explain:
            why.append("shared words: " + ", ".join(sorted(words)[:6]))
    return points, why


def aspects(a: FigureContext, b: FigureContext) -> tuple[bool, list[str], bool, bool]:
    """Tests 1, 2, 4, 5, 6 (all but the value): (pass, reasons, same known place, both times known)."""
    lex = lexicon()
    reasons = []
    ka, kb = a.figure.get("kind"), b.figure.get("kind")
    if ka != kb:
        return False, [f"different kinds ({ka}, {kb})"], False, False
    ok, why = categories_compatible(a, b, lex)
    reasons.append(why)
    if not ok:
        return False, reasons, False, False
    ok, both_times, why = times_compatible(a.figure, b.figure)
    reasons.append(why)
    if not ok:
        return False, reasons, False, False
    ok, same_place, why = places_compatible(a.figure, b.figure, a.doc_country, b.doc_country)
    if not ok:
        ok, why = home_places(a, b)
    reasons.append(why)
    if not ok:
        return False, reasons, False, False
    ok, why = counted_compatible(a, b)
    reasons.append(why)
    return ok, reasons, same_place, both_times


def conversion(a: FigureContext, b: FigureContext) -> bool:
    """Whether one sum restates the other in another currency, in brackets right after it
    ("passed 1 billion pounds (BD488m)", "$5m (about 4.6m euros)"): two sums of money of one
    sentence, the second opening a bracket that follows the first, in different currencies."""
    fa, fb = a.figure, b.figure
    if fa.get("kind") != "money" or fb.get("kind") != "money" or a.doc != b.doc:
        return False
    if not fa.get("sentence") or fa.get("sentence") != fb.get("sentence"):
        return False
    first, second = (a, b) if (fa.get("start") or 0) <= (fb.get("start") or 0) else (b, a)
    if (first.counted or "") == (second.counted or ""):
        return False
    base = (first.figure.get("sentence") or {}).get("start") or 0
    gap = first.sentence[(first.figure.get("end") or 0) - base:(second.figure.get("start") or 0) - base]
    words = vocabulary()["values"].get("conversion_words", [])
    gap = gap.strip().lower()
    return gap.startswith(("(", "[")) and gap[1:].strip() in ("", *words)


def strict_counted(a: FigureContext, b: FigureContext, lex: Lexicon) -> bool:
    """Counted nouns that agree without a generic wildcard: both generic (or missing), or the
    same specific head."""
    ga = not a.head or a.head in lex.generic
    gb = not b.head or b.head in lex.generic
    if ga and gb:
        return True
    return not ga and not gb and specific_agreement(a, b, lex)


# --------------------------------------------------------------------------------------------
