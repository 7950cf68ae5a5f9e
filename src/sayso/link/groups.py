"""Groups: figures, across and within documents, that state the same quantity about the same thing.

``assign_groups(records)`` sets ``figure["group"]`` on every figure of a batch of
``sayso.document/1`` records: a stable id (``"g1"``, ``"g2"``, … in reading order) shared by the
figures of a group of two or more, ``None`` for a figure stated only once. Pure functions over
the records (and, for the wording of the sentences, the documents' texts); no database.

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
     above it, and a lower bound never matches an upper bound;
   * a ``range`` holds a number inside it, and equals a range with the same ends;
   * a ``vague`` quantity covers ``[low, low × vague_span)`` ("thousands": 2,000 to 9,999), and
     equals another vague quantity with the same low.
4. time: the two intervals overlap, or either is unknown.
5. place: equal, or one lies within the other (``place_parents``), or either is unknown. A figure
   that names no place is about its document's main country (the country more than half of the
   places the text names lie in), so a report on Sudan and one on Ethiopia do not share a toll.
6. counted: the nouns agree. Heads (the last noun before "of", singularised) are equal or
   synonyms, or either is generic ("people", "deaths", "executions"), or either is missing, or
   they sit in different dimensions of the contrast sets (men / protesters may be the same people;
   soldiers / civilians, men / women, police / soldiers may not).
7. evidence, in points (weights in ``data/groups.json``): the same document, or documents that
   name the same organisations or places; a source both figures name; the same known place;
   known times that overlap; counted nouns that agree on a specific head; a precise value (one
   point per significant digit beyond the first: 738 earns two, 6,700 one, 100 none); the
   content words the two sentences share (beyond the number, the counted noun, the sources'
   names, the category cue words and the attribution verbs). Values that only roughly agree
   (rounding, a number inside a range) cost a point, a vague quantity two. A pair is linked at
   ``link_threshold`` points.

Groups are built by agglomeration: linked pairs, strongest first, merge their groups only where
every figure of one is compatible (tests 1-6) with every figure of the other, so a chain of
near-values ("more than 100", "at least 114", "at least 130") cannot join figures that disagree.

Conflicts (``conflicts(records)``, pair test ``disagree(a, b)``): figures about the same event —
the same category (not ``other``), the same place, alike times, counted nouns that agree without
a generic wildcard (both generic, or the same specific head), stated by different voices, and
``conflict_threshold`` evidence points, the value itself earning none — whose values are not
compatible: 738 against 248 killed. Figures of one group count as one; groups in conflict with
one another make one conflict. Each conflict lists
every figure of the groups involved, with its value and its sources, parallel lists::

    {"event": {"category": "killed", "counted": "people", "place": "Myanmar", "time": null},
     "figures": ["dev01/f1", "dev03/f1", "dev01/f4", "dev03/f3"],
     "groups":  ["g1", "g1", "g2", "g2"],
     "values":  ["at least 738", "738", "248", "248"],
     "sources": [["Assistance Association for Political Prisoners"], [...], ["Myanmar military"], [...]]}

How the ledger shows them: one line per event, the competing values side by side, each with
who states it and where (figure ids), e.g.
``killed · people · Myanmar: at least 738 (AAPP; dev01/f1, dev03/f1)  vs  248 (Myanmar military;
dev01/f4, dev03/f3)``. A conflict is a disagreement to show, never resolved: both values stay in
the ledger, each in its own group.
"""
from __future__ import annotations

import json
import math
import re
from array import array
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from typing import Iterable, Mapping, Sequence

import numpy

HEDGED = {"approx", "at_least", "at_most"}


# --------------------------------------------------------------------------------------------
# vocabulary

@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The vocabulary (``data/groups.json``), read once per process."""
    return json.loads((files("sayso") / "data" / "groups.json").read_text(encoding="utf-8"))


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    """A crude stem, enough to match "received" with "receive" and "killings" with "killing"."""
    word = _singular(word)
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[:-len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def _phrase(text: str) -> str:
    """A noun phrase in a comparable form: lowercase words, each singularised."""
    return " ".join(_singular(w) for w in _WORD.findall(text.lower()))


@dataclass(frozen=True)
class _Lexicon:
    modifiers: frozenset
    generic: frozenset
    synonym_of: Mapping[str, int]
    classes: Mapping[str, Mapping[str, str]]   # phrase -> {dimension: class}
    stopwords: frozenset
    cue_stems: frozenset
    parents: Mapping[str, str]
    compatible_categories: frozenset
    fallback: str
    countries: frozenset            # lowercase names of the countries of data/places.json
    referential: frozenset          # counted nouns that point back to a stated quantity


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    v = vocabulary()
    c = v["counted"]
    synonym_of = {}
    for i, group in enumerate(c["synonyms"]):
        for w in group:
            synonym_of[_phrase(w)] = i
    classes: dict[str, dict[str, str]] = {}
    for dim, table in c["classes"].items():
        if dim.startswith("_"):
            continue
        for cls, words in table.items():
            for w in words:
                classes.setdefault(_phrase(w), {})[dim] = cls
    cues = set()
    try:   # the categories' cue words and the attribution verbs say nothing about which event
        cats = json.loads((files("sayso") / "data" / "categories.json").read_text(encoding="utf-8"))
        for name, table in cats.items():
            if name.startswith("_") or not isinstance(table, dict):
                continue
            cues.add(_stem(name))
            for key in ("verbs", "phrases", "nouns"):
                for cue in table.get(key, []):
                    cues.update(_stem(w) for w in _WORD.findall(cue.lower()))
        verbs = json.loads((files("sayso") / "data" / "cues.json").read_text(encoding="utf-8"))
        for key in ("source", "confirms", "disputes"):
            cues.update(_stem(w) for cue in verbs.get(key, []) for w in _WORD.findall(cue.lower()))
    except (FileNotFoundError, ValueError):
        pass
    places = json.loads((files("sayso") / "data" / "places.json").read_text(encoding="utf-8"))
    countries = frozenset(k.lower() for k in places.get("_demonyms", {}))
    pairs = set()
    for group in v["categories"]["compatible"]:
        for a in group:
            for b in group:
                pairs.add((a, b))
    parents = {k.lower(): p.lower() for k, p in v["place_parents"].items() if not k.startswith("_")}
    return _Lexicon(
        modifiers=frozenset(_phrase(w) for w in c["modifiers"]),
        generic=frozenset(_phrase(w) for w in c["generic"]),
        synonym_of=synonym_of,
        classes=classes,
        stopwords=frozenset(_stem(w) for w in v["stopwords"]),
        cue_stems=frozenset(cues),
        parents=parents,
        compatible_categories=frozenset(pairs),
        fallback=v["categories"]["fallback"],
        countries=countries,
        referential=frozenset(_phrase(w) for w in c["referential"]),
    )


# --------------------------------------------------------------------------------------------
# a figure with what grouping needs to know about it

@dataclass
class Mention:
    """A figure of a record, with its document and the words of its sentence."""

    key: str                        # "doc/fid"
    doc: str
    index: int                      # reading order over the batch
    figure: dict
    sentence: str = ""
    words: frozenset = frozenset()  # content stems of the sentence
    doc_names: frozenset = frozenset()   # sources and places named anywhere in the document
    doc_country: str | None = None  # the country most of the document's places lie in, if any
    head: str | None = None         # the counted noun's head, singularised
    counted: str | None = None      # the counted phrase, normalised
    sources: frozenset = frozenset()     # the names of its sources (any role), lowercase
    voices: frozenset = frozenset()      # who states it: sources and confirmers, lowercase
    digits: int = 0                      # significant digits of its value

    @classmethod
    def of(cls, figure: dict, doc: str = "", index: int = 0, text: str | None = None,
           doc_names: Iterable[str] = (), doc_country: str | None = None) -> "Mention":
        """A mention of ``figure``; ``text`` is its document's text (for the sentence's words)."""
        sentence = ""
        span = figure.get("sentence") or {}
        if text is not None and span.get("start") is not None and span.get("end") is not None:
            sentence = text[span["start"]:span["end"]]
        elif figure.get("sentence_text"):
            sentence = figure["sentence_text"]
        counted, head = _counted_head(figure.get("counted"))
        m = cls(key=f"{doc}/{figure.get('id')}" if doc else str(figure.get("id")), doc=doc, index=index,
                figure=figure, sentence=sentence, doc_names=frozenset(n.lower() for n in doc_names),
                doc_country=doc_country.lower() if doc_country else None, head=head, counted=counted)
        m.words = _content_words(sentence, figure, m)
        m.sources = frozenset(_source_names(figure))
        m.voices = frozenset(_voices(figure))
        m.digits = _significant_digits(figure)
        return m


def _counted_head(counted: str | None) -> tuple[str | None, str | None]:
    """("documented cases of torture", "case"): the normalised phrase and its head word."""
    if not counted:
        return None, None
    lex = _lexicon()
    phrase = _phrase(re.split(r"\b(?:of|in|who|that|which|for|from|among|at|on|with)\b", counted.lower())[0])
    words = [w for w in phrase.split() if w not in lex.modifiers]
    if not words:
        return None, None
    phrase = " ".join(words)
    # a multi-word entry of the vocabulary ("police officers", "human beings") is a head of its own
    for n in (3, 2):
        if len(words) >= n:
            tail = " ".join(words[-n:])
            if tail in lex.generic or tail in lex.synonym_of or tail in lex.classes:
                return phrase, tail
    return phrase, words[-1]


def _content_words(sentence: str, figure: dict, m: Mention) -> frozenset:
    if not sentence:
        return frozenset()
    lex = _lexicon()
    said = " ".join([figure.get("counted") or ""] + [f"{x.get('name') or ''} {x.get('text') or ''}"
                                                    for x in figure.get("sources") or []])
    own = {_stem(w) for w in _WORD.findall(said.lower())}   # the counted noun and who says it
    out = set()
    for w in _WORD.findall(sentence.lower().replace("\u2019", "'")):
        s = _stem(w)
        if len(s) < 3 or s in lex.stopwords or s in own or s in lex.cue_stems:
            continue
        out.add(s)
    return frozenset(out)


# --------------------------------------------------------------------------------------------
# the tests

@dataclass
class Verdict:
    """Whether two figures state the same quantity, and why (or why not)."""

    same: bool
    reasons: list[str] = field(default_factory=list)
    compatible: bool = False        # tests 1-6 pass (values included)
    points: int = 0

    def __bool__(self) -> bool:
        return self.same


def _precision(x: float) -> float:
    """The place of the last significant digit: 7000 -> 1000, 6700 -> 100, 80.1 -> 0.1."""
    if x == 0 or not math.isfinite(x):
        return 1.0
    if x != int(x):   # the exponent of its shortest decimal form: 0.00001 is 1e-05, not "0.00001"
        return 10.0 ** Decimal(repr(float(x))).normalize().as_tuple().exponent
    n, p = int(abs(x)), 1
    while n % (p * 10) == 0:
        p *= 10
    return float(p)


def _round_to(x: float, step: float) -> float:
    return math.floor(x / step + 0.5) * step


def _decimals(x: float) -> int:
    p = _precision(x)
    return max(0, -int(round(math.log10(p)))) if p < 1 else 0


def _anchor(f: dict) -> float | None:
    v = f.get("value") or {}
    q = f.get("qualifier")
    if q == "at_most":
        return v.get("high")
    return v.get("low") if v.get("low") is not None else v.get("high")


def values_compatible(a: dict, b: dict) -> tuple[bool, str]:
    """Whether the values of two figures can state one quantity, with the reason."""
    ok, why, _ = _value_match(a, b)
    return ok, why


def _value_match(a: dict, b: dict) -> tuple[bool, str, int]:
    """(compatible, reason, looseness): looseness 0 where the numbers are equal (or equal once
    rounded to decimals), 1 where a hedged number rounds to the other, a range holds the other
    or two vague quantities are the same word, 2 where a vague quantity covers a number."""
    tol = vocabulary()["values"]["max_relative_difference"]
    span = vocabulary()["values"]["vague_span"]
    qa, qb = a.get("qualifier") or "exact", b.get("qualifier") or "exact"
    va, vb = a.get("value") or {}, b.get("value") or {}
    if qb == "vague" and qa != "vague" or qb == "range" and qa not in ("range", "vague"):
        (a, qa, va), (b, qb, vb) = (b, qb, vb), (a, qa, va)
    if qa == "vague":
        lo = va.get("low")
        if lo is None:
            return False, "vague value without a low", 0
        if qb == "vague":
            ok = vb.get("low") == lo
            return ok, "the same vague quantity" if ok else "different vague quantities", 1
        hi = lo * span
        if qb == "range":
            ok = vb.get("low") is not None and vb.get("high") is not None and vb["low"] < hi and vb["high"] >= lo
            return ok, "a range within the vague quantity" if ok else "a range outside the vague quantity", 2
        x = _anchor(b)
        if x is None:
            return False, "no value", 0
        ok = lo <= x < hi       # an upper bound too: "at most 1,600" is no "dozens"
        return ok, f"{x:g} {'within' if ok else 'outside'} the vague [{lo:g}, {hi:g})", 2
    if qa == "range":
        lo, hi = va.get("low"), va.get("high")
        if lo is None or hi is None:
            return False, "open range", 0
        if qb == "range":
            ok = vb.get("low") == lo and vb.get("high") == hi
            return ok, "the same range" if ok else "different ranges", 0
        x = _anchor(b)
        ok = x is not None and lo <= x <= hi
        return ok, f"{x} {'inside' if ok else 'outside'} the range {lo:g}-{hi:g}", 1
    x, y = _anchor(a), _anchor(b)
    if x is None or y is None:
        return False, "no value", 0
    if {qa, qb} == {"at_least", "at_most"}:
        return False, "a lower bound and an upper bound", 0
    for q, bound, other, qo in ((qa, x, y, qb), (qb, y, x, qa)):
        if q == "at_least" and qo == "exact" and other < bound:
            return False, f"{other:g} is below 'at least {bound:g}'", 0
        if q == "at_most" and qo == "exact" and other > bound:
            return False, f"{other:g} is above 'at most {bound:g}'", 0
    if qa not in HEDGED and qb not in HEDGED or x == y:
        d = min(_decimals(x), _decimals(y))
        ok = round(x, d) == round(y, d)
        return ok, f"equal values ({x:g}, {y:g})" if ok else f"different values ({x:g}, {y:g})", 0
    # the rounder number stands for the finer one rounded at its precision: down for a lower
    # bound ("more than 112,000" holds 112,713), up for an upper bound, to the nearest otherwise
    (r, qr), (f, _) = sorted(((x, qa), (y, qb)), key=lambda t: -_precision(t[0]))
    step = _precision(r)
    rounded = {"at_least": math.floor(f / step) * step,
               "at_most": math.ceil(f / step) * step}.get(qr, _round_to(f, step))
    if rounded != r:
        return False, f"{f:g} does not round to {r:g} at the precision {step:g}", 0
    big = max(abs(x), abs(y))
    if big and abs(x - y) / big > tol:
        return False, f"{x:g} and {y:g} are more than {tol:.0%} apart", 0
    return True, f"{f:g} rounds to {r:g} at the precision {step:g}", 1


def _categories_compatible(a: Mention, b: Mention, lex: _Lexicon) -> tuple[bool, str]:
    ca, cb = a.figure.get("category") or lex.fallback, b.figure.get("category") or lex.fallback
    if lex.fallback in (ca, cb):
        # "other" says nothing about the event: the counted nouns must say it, or point back to
        # a quantity already stated ("the 112,713 figure")
        if not a.head or not b.head:
            return True, f"category {lex.fallback}, a counted noun missing"
        for m, c in ((a, ca), (b, cb)):
            if c == lex.fallback and m.head in lex.referential:
                return True, f"category {lex.fallback} of a figure that refers back ('{m.head}')"
        ok = _specific_agreement(a, b, lex)
        return ok, (f"category {lex.fallback} with the same specific counted noun ({a.head})" if ok
                    else f"category {lex.fallback} without the same specific counted noun ({a.head}, {b.head})")
    if ca == cb:
        return True, f"same category ({ca})"
    if (ca, cb) in lex.compatible_categories:
        return True, f"compatible categories ({ca}, {cb})"
    return False, f"different categories ({ca}, {cb})"


def _specific_agreement(a: Mention, b: Mention, lex: _Lexicon) -> bool:
    """The counted nouns agree on a specific head: equal or synonyms, neither generic."""
    if not a.head or not b.head or a.head in lex.generic or b.head in lex.generic:
        return False
    return a.head == b.head or (a.head in lex.synonym_of and lex.synonym_of.get(a.head) == lex.synonym_of.get(b.head))


def counted_compatible(a: Mention, b: Mention) -> tuple[bool, str]:
    """Whether two counted nouns can count the same things, with the reason."""
    lex = _lexicon()
    if not a.head or not b.head:
        return True, "a counted noun is missing"
    if a.head == b.head or a.counted == b.counted:
        return True, f"same counted noun ({a.head})"
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


def _interval(f: dict) -> tuple[date | None, date | None] | None:
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
    ia, ib = _interval(a), _interval(b)
    if ia is None or ib is None:
        return True, False, "a time is unknown"
    ok = ia[0] <= ib[1] and ib[0] <= ia[1]
    return ok, True, "times overlap" if ok else "times do not overlap"


def _ancestors(place: str, lex: _Lexicon) -> list[str]:
    out, p = [place], place
    while p in lex.parents and len(out) < 8:
        p = lex.parents[p]
        out.append(p)
    return out


def country_of(place: str | None) -> str | None:
    """The country a place lies in (itself for a country), through ``place_parents``; lowercase."""
    if not place:
        return None
    lex = _lexicon()
    for p in _ancestors(place.strip().lower(), lex):
        if p in lex.countries:
            return p
    return None


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
    lex = _lexicon()
    if pa in _ancestors(pb, lex) or pb in _ancestors(pa, lex):
        return True, True, f"{a.get('place')} and {b.get('place')}: one lies within the other"
    return False, False, f"different places ({a.get('place')}, {b.get('place')})"


def _voices(f: dict) -> set[str]:
    """Who states a figure: its sources and confirmers (not who disputes it), lowercase."""
    return {(s.get("name") or "").lower() for s in f.get("sources") or []
            if s.get("name") and s.get("role") != "disputes"}


def _source_names(f: dict) -> set[str]:
    return {(s.get("name") or "").lower() for s in f.get("sources") or [] if s.get("name")}


def _significant_digits(f: dict) -> int:
    """How precisely a figure is stated: 738 -> 3, 6,700 -> 2, 100 -> 1; vague and ranges 0."""
    x = _anchor(f)
    if x is None or f.get("qualifier") in ("vague", "range"):
        return 0
    return len(str(int(round(abs(x) / _precision(x))))) if x else 1


def _evidence(a: Mention, b: Mention, same_place: bool, both_times: bool, lex: _Lexicon,
              with_value: bool = True, looseness: int = 0, explain: bool = True) -> tuple[int, list[str]]:
    """Points for what ties two figures to one story, and (``explain``) the words saying why."""
    e = vocabulary()["evidence"]
    points, why = 0, []
    if looseness:
        points -= e["loose_value"] * looseness
        if explain:
            why.append("values that only roughly agree" if looseness == 1 else "a vague quantity")
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
    if _specific_agreement(a, b, lex):
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


def _aspects(a: Mention, b: Mention) -> tuple[bool, list[str], bool, bool]:
    """Tests 1, 2, 4, 5, 6 (all but the value): (pass, reasons, same known place, both times known)."""
    lex = _lexicon()
    reasons = []
    ka, kb = a.figure.get("kind"), b.figure.get("kind")
    if ka != kb:
        return False, [f"different kinds ({ka}, {kb})"], False, False
    ok, why = _categories_compatible(a, b, lex)
    reasons.append(why)
    if not ok:
        return False, reasons, False, False
    ok, both_times, why = times_compatible(a.figure, b.figure)
    reasons.append(why)
    if not ok:
        return False, reasons, False, False
    ok, same_place, why = places_compatible(a.figure, b.figure, a.doc_country, b.doc_country)
    reasons.append(why)
    if not ok:
        return False, reasons, False, False
    ok, why = counted_compatible(a, b)
    reasons.append(why)
    return ok, reasons, same_place, both_times


def same_quantity(a: Mention | dict, b: Mention | dict, explain: bool = True) -> Verdict:
    """Whether two figures state the same quantity; ``Verdict.reasons`` says why or why not.

    Figures may be given as dicts (a figure of a record, taken to come from two different
    documents; a ``sentence_text`` key, where present, stands for its sentence) or as
    ``Mention``s (see ``mentions``), which carry the document, its text and what it names.
    ``explain=False`` leaves the evidence's reasons out (the same verdict, faster)."""
    a = a if isinstance(a, Mention) else Mention.of(a, doc="a")
    b = b if isinstance(b, Mention) else Mention.of(b, doc="b")
    lex = _lexicon()
    e = vocabulary()["evidence"]
    ok, reasons, same_place, both_times = _aspects(a, b)
    if not ok:
        return Verdict(False, reasons)
    vok, vwhy, loose = _value_match(a.figure, b.figure)
    reasons.insert(0, vwhy)
    points, why = _evidence(a, b, same_place, both_times, lex, with_value=vok, looseness=loose if vok else 0,
                            explain=explain)
    if explain:
        reasons.append(f"evidence {points} ({'; '.join(why) or 'none'})")
    if not vok:
        return Verdict(False, reasons, compatible=False, points=points)
    same = points >= e["link_threshold"]
    if not same:
        reasons.append(f"below the link threshold ({e['link_threshold']})")
    return Verdict(same, reasons, compatible=True, points=points)


def disagree(a: Mention | dict, b: Mention | dict, explain: bool = True) -> Verdict:
    """Whether two figures give different values for the same event (a conflict), and why.

    The same event: the same kind and category (not ``other``), counted nouns that agree
    without a generic wildcard, the same place (a figure that names none is about its document's
    main country; a city against its country is a part against its whole, not a conflict), times
    alike (both unknown, or intervals that overlap by half of their union), in different
    sentences, stated by different voices (no source or confirmer in common; within one
    document both must name their source), neither vague, with ``conflict_threshold`` evidence
    points (the value earning none). Different values: ``values_compatible`` fails."""
    a = a if isinstance(a, Mention) else Mention.of(a, doc="a")
    b = b if isinstance(b, Mention) else Mention.of(b, doc="b")
    lex = _lexicon()
    fa, fb = a.figure, b.figure
    cat = fa.get("category")
    if fa.get("kind") != fb.get("kind") or cat in (None, lex.fallback) or cat != fb.get("category"):
        return Verdict(False, ["not the same kind and category"])
    if "vague" in (fa.get("qualifier"), fb.get("qualifier")):
        return Verdict(False, ["a vague quantity does not conflict"])
    if a.doc == b.doc and fa.get("sentence") and fa.get("sentence") == fb.get("sentence"):
        return Verdict(False, ["one sentence states different parts"])
    sa, sb = a.voices, b.voices
    if sa & sb:
        return Verdict(False, [f"the same voice ({', '.join(sorted(sa & sb))})"])
    if a.doc == b.doc and not (sa and sb):
        return Verdict(False, ["within one document, only two named sources can disagree"])
    if not _strict_counted(a, b, lex):
        return Verdict(False, [f"counted nouns do not name the same thing ({a.head}, {b.head})"])
    pa = (fa.get("place") or "").lower() or a.doc_country
    pb = (fb.get("place") or "").lower() or b.doc_country
    if (pa or pb) and pa != pb:
        return Verdict(False, [f"not the same place ({pa or '-'}, {pb or '-'}): maybe a part and its whole"])
    same_place = bool(fa.get("place") and fb.get("place"))
    ia, ib = _interval(fa), _interval(fb)
    if bool(ia) != bool(ib):
        return Verdict(False, ["one is dated, the other not: maybe a day against the whole"])
    if ia and ib:
        lo, hi = max(ia[0], ib[0]), min(ia[1], ib[1])
        union = (max(ia[1], ib[1]) - min(ia[0], ib[0])).days + 1
        if hi < lo or ((hi - lo).days + 1) * 2 < union:
            return Verdict(False, ["different periods"])
    vok, vwhy = values_compatible(fa, fb)
    if vok:
        return Verdict(False, [vwhy])
    points, evidence = _evidence(a, b, same_place, bool(ia and ib), lex, with_value=False, explain=explain)
    need = vocabulary()["evidence"]["conflict_threshold"]
    if not explain:
        return Verdict(points >= need, [], points=points)
    reasons = [vwhy, f"same event: {cat}, {a.head or '-'} / {b.head or '-'}",
               f"evidence {points} ({'; '.join(evidence) or 'none'})"]
    if points < need:
        reasons.append(f"below the conflict threshold ({need})")
    return Verdict(points >= need, reasons, points=points)


def _strict_counted(a: Mention, b: Mention, lex: _Lexicon) -> bool:
    """Counted nouns that agree without a generic wildcard: both generic (or missing), or the
    same specific head."""
    ga = not a.head or a.head in lex.generic
    gb = not b.head or b.head in lex.generic
    if ga and gb:
        return True
    return not ga and not gb and _specific_agreement(a, b, lex)


# --------------------------------------------------------------------------------------------
# over a batch of records

def _texts(records: Sequence[dict], texts) -> list[str | None]:
    if texts is None:
        return [r.get("text") for r in records]
    if isinstance(texts, Mapping):
        return [texts.get((r.get("document") or {}).get("id")) or r.get("text") for r in records]
    return [t if t is not None else r.get("text") for t, r in zip(texts, records)]


def mentions(records: Sequence[dict], texts=None) -> list[Mention]:
    """Every figure of the records as a ``Mention``, in reading order. ``texts``: the documents'
    texts, a list parallel to ``records`` or a mapping from document id (default: a record's own
    ``text`` key, as in a gold set); without a text the sentence's words are not used."""
    out = []
    for r, text in zip(records, _texts(records, texts)):
        doc = (r.get("document") or {}).get("id") or ""
        places = _places_in(text) if text else []
        names = _orgs_in(text) | set(places) if text else set()
        country = _main_country(places)
        for f in r.get("figures") or []:
            names |= _source_names(f)
            if f.get("place"):
                names.add(f["place"])
        for q in r.get("quotes") or []:
            if q.get("speaker"):
                names.add(q["speaker"])
        for f in r.get("figures") or []:
            out.append(Mention.of(f, doc=doc, index=len(out), text=text, doc_names=names, doc_country=country))
    return out


def _orgs_in(text: str) -> set[str]:
    """Organisations the text names (the builtin registry), canonical names."""
    from sayso.link.aliases import default_aliases
    return {name for _, _, name in default_aliases().find(text)}


def _places_in(text: str) -> list[str]:
    """Places the text names (the builtin registry), canonical names, one per mention."""
    from sayso.link.aliases import default_places
    return [name for _, _, name in default_places().find(text)]


def _main_country(places: list[str]) -> str | None:
    """The country more than half of the document's place mentions lie in (two at least)."""
    counts: dict[str, int] = {}
    for p in places:
        c = country_of(p)
        if c:
            counts[c] = counts.get(c, 0) + 1
    if not counts:
        return None
    best, n = max(counts.items(), key=lambda kv: kv[1])
    return best if n >= 2 and n * 2 > sum(counts.values()) else None


def _window(m: Mention) -> tuple[float, float] | None:
    """Values a compatible figure may have: used to compare only figures that can match."""
    f = m.figure
    v = f.get("value") or {}
    q = f.get("qualifier")
    tol = vocabulary()["values"]["max_relative_difference"]
    span = vocabulary()["values"]["vague_span"]
    if q == "vague" and v.get("low") is not None:
        return v["low"], v["low"] * span
    if q == "range" and v.get("low") is not None and v.get("high") is not None:
        return v["low"], v["high"]
    x = _anchor(f)
    if x is None:
        return None
    x = abs(x)
    if q not in HEDGED:
        # two unhedged numbers match only when equal once rounded (80 and 80.4); a hedged one
        # reaches them through its own, wider window
        return x - 1, x + 1
    return x * (1 - tol) - 1e-9, x / (1 - tol) + 1e-9


def _country_key(m: Mention) -> str | None:
    """The country a figure is about: its place's, else (naming no place) its document's."""
    place = (m.figure.get("place") or "").strip().lower()
    return country_of(place) if place else m.doc_country


def _candidate_pairs(ms: list[Mention]) -> Iterable[tuple[Mention, Mention]]:
    """Pairs of the same kind whose value windows overlap (a sweep over sorted windows), about
    the same country or one of unknown country, with categories that can be compatible and times
    that overlap (or one unknown): every pair ``_aspects`` can pass, without comparing every
    figure with every other."""
    lex = _lexicon()
    by_kind: dict[str, list[tuple[float, float, Mention]]] = {}
    for m in ms:
        w = _window(m)
        if w is not None:
            by_kind.setdefault(m.figure.get("kind"), []).append((w[0], w[1], m))
    for items in by_kind.values():
        items.sort(key=lambda t: (t[0], t[2].index))
        # per country (None: unknown): (window end, category, time interval, mention)
        active: dict[str | None, list[tuple[float, str, tuple | None, Mention]]] = {}
        for lo, hi, m in items:
            key, cat, span = _country_key(m), m.figure.get("category") or lex.fallback, _interval(m.figure)
            for k in (list(active) if key is None else [k for k in (key, None) if k in active]):
                active[k] = kept = [t for t in active[k] if t[0] >= lo]
                for _, cat_b, span_b, b in kept:
                    if cat != cat_b and lex.fallback not in (cat, cat_b) and (cat_b, cat) not in lex.compatible_categories:
                        continue
                    if span is not None and span_b is not None and (span[0] > span_b[1] or span_b[0] > span[1]):
                        continue
                    yield b, m
            active.setdefault(key, []).append((hi, cat, span, m))


def _conflict_pairs(ms: list[Mention]) -> Iterable[tuple[Mention, Mention]]:
    """Pairs that may disagree (``disagree``'s first tests, as blocks): the same kind and
    category, neither vague, the same place (or document country), counted nouns both generic or
    of one specific meaning, both dated with overlapping times or both undated."""
    lex = _lexicon()
    blocks: dict[tuple, list[Mention]] = {}
    for m in ms:
        f = m.figure
        cat = f.get("category")
        if not cat or cat == lex.fallback or f.get("qualifier") == "vague":
            continue
        place = (f.get("place") or "").lower() or m.doc_country or ""
        counted = "" if not m.head or m.head in lex.generic else lex.synonym_of.get(m.head, m.head)
        blocks.setdefault((f.get("kind"), cat, place, counted, _interval(f) is not None), []).append(m)
    for (*_, dated), items in blocks.items():
        if not dated:
            for i, a in enumerate(items):
                for b in items[i + 1:]:
                    yield a, b
            continue
        spans = sorted(((_interval(m.figure), m) for m in items), key=lambda t: (t[0][0], t[1].index))
        active: list[tuple[tuple, Mention]] = []
        for span, m in spans:
            active = [t for t in active if t[0][1] >= span[0]]
            for _, a in active:
                yield (a, m) if a.index < m.index else (m, a)
            active.append((span, m))


def _compatible(a: Mention, b: Mention) -> bool:
    """Tests 1-6 of ``same_quantity`` (values included), without the evidence."""
    return _aspects(a, b)[0] and _value_match(a.figure, b.figure)[0]


_MAX_POINTS = 1 << 10     # above any evidence score: links are sorted on one int64 key


def _linked_pairs(ms: list[Mention]) -> numpy.ndarray:
    """Every linked pair (``same_quantity``), strongest first then in reading order, packed in one
    int64 each (8 bytes a pair, where a list of tuples takes ~100: millions of pairs on a large
    ledger): ``((_MAX_POINTS - points) * n + first) * n + second``, sorted."""
    n = len(ms)
    keys = array("q")
    for a, b in _candidate_pairs(ms):
        v = same_quantity(a, b, explain=False)
        if v.same:
            i, j = min(a.index, b.index), max(a.index, b.index)
            keys.append(((_MAX_POINTS - v.points) * n + i) * n + j)
    return numpy.sort(numpy.frombuffer(keys, dtype=numpy.int64)) if keys else numpy.empty(0, numpy.int64)


def cluster(ms: list[Mention]) -> list[list[Mention]]:
    """Groups of two or more mentions that state the same quantity, in reading order."""
    n = len(ms)
    by_index = {m.index: m for m in ms}
    group_of = {m.index: {m.index} for m in ms}
    apart: dict[int, set[int]] = {}     # figures found incompatible, which no merge can join
    linked = _linked_pairs(ms)
    for key in (k for at in range(0, len(linked), 1 << 16) for k in linked[at:at + (1 << 16)].tolist()):
        a, b = (key // n) % n, key % n
        ga, gb = group_of[a], group_of[b]
        if ga is gb:
            continue
        small, big = (ga, gb) if len(ga) <= len(gb) else (gb, ga)
        if any(y in big for x in small for y in apart.get(x, ())):
            continue
        clash = next(((x, y) for x in small for y in big if not _compatible(by_index[x], by_index[y])), None)
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


def _assign(ms: list[Mention]) -> None:
    for m in ms:
        m.figure["group"] = None
    for n, group in enumerate(cluster(ms), start=1):
        for m in group:
            m.figure["group"] = f"g{n}"


def assign_groups(records: list[dict], texts=None) -> None:
    """Set ``figure["group"]`` on every figure of ``records``: ``"g1"``, ``"g2"``, … (numbered in
    reading order) for figures of a group of two or more, ``None`` for the rest. ``texts`` as for
    ``mentions``."""
    _assign(mentions(records, texts))


def conflicts(records: list[dict], texts=None) -> list[dict]:
    """Figures about the same event that state different values, for the ledger to show side by
    side (see the module docstring). Groups are those of ``figure["group"]`` where the records
    carry them, else computed here."""
    ms = mentions(records, texts)
    if not any(m.figure.get("group") for m in ms):
        _assign(ms)
    return _conflicts(ms)


def group_and_conflicts(records: list[dict], texts=None) -> list[dict]:
    """``assign_groups`` then ``conflicts``, reading the documents once: the ledger's regroup."""
    ms = mentions(records, texts)
    _assign(ms)
    return _conflicts(ms)


def _conflicts(ms: list[Mention]) -> list[dict]:
    unit = {m.index: (m.figure.get("group") or f"_{m.key}") for m in ms}
    links: dict[str, set[str]] = {}
    for a, b in _conflict_pairs(ms):
        if unit[a.index] == unit[b.index] or unit[b.index] in links.get(unit[a.index], ()):
            continue
        if disagree(a, b, explain=False):
            links.setdefault(unit[a.index], set()).add(unit[b.index])
            links.setdefault(unit[b.index], set()).add(unit[a.index])
    members: dict[str, list[Mention]] = {}
    for m in ms:
        members.setdefault(unit[m.index], []).append(m)
    out, done = [], set()
    for m in ms:
        start = unit[m.index]
        if start in done or start not in links:
            continue
        component, todo = [], [start]
        while todo:
            u = todo.pop()
            if u in done:
                continue
            done.add(u)
            component.append(u)
            todo.extend(links.get(u, ()))
        figs = sorted((x for u in component for x in members[u]), key=lambda x: x.index)
        figs.sort(key=lambda x: component.index(unit[x.index]))
        first = figs[0].figure
        out.append({
            "event": {"category": first.get("category"), "counted": first.get("counted"),
                      "place": next((x.figure.get("place") for x in figs if x.figure.get("place")), None),
                      "time": next(((x.figure.get("time") or {}).get("text") for x in figs
                                    if (x.figure.get("time") or {}).get("text")), None)},
            "figures": [x.key for x in figs],
            "groups": [x.figure.get("group") for x in figs],
            "values": [x.figure.get("text") for x in figs],
            "sources": [[s.get("name") for s in x.figure.get("sources") or []] for x in figs],
        })
    return out


__all__ = ["Mention", "Verdict", "assign_groups", "cluster", "conflicts", "counted_compatible", "country_of", "disagree",
           "group_and_conflicts", "mentions", "places_compatible", "same_quantity", "times_compatible", "values_compatible", "vocabulary"]
