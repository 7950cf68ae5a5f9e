"""Find figures in raw text: their spans, kinds, values and qualifiers.

A figure is a number (digits or words) or a vague quantity ("dozens", "hundreds of thousands")
that says how many or how much. This module works on characters only, before any parse:
it finds number *atoms*, joins ranges ("between 40 and 120", "2,000-2,500"), widens each to its
qualifier ("more than", "some", "450+"), currency ("$", "€") or percent sign, and drops what is
not a figure: dates and years (passed in as ``exclude`` spans), durations and ages, ordinals that
name which one, law articles and other reference numbers, list numbering, "one" as a pronoun.

Vocabularies come from ``data/figures.json`` and ``data/numbers.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Iterable, Iterator

from sayso.extract import numbers


@dataclass(frozen=True)
class Mention:
    """A figure as written: where it is, what kind, its value bounds and qualifier."""

    start: int
    end: int
    text: str
    kind: str                  # count | percent | rank | money
    low: float | None
    high: float | None
    qualifier: str             # exact | approx | at_least | at_most | range | vague
    currency: str | None = None


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    kind: str                  # digits | words | vague | ordinal
    value: float


@cache
def vocab() -> dict:
    return json.loads((files("sayso") / "data" / "figures.json").read_text(encoding="utf-8"))


def _alternation(phrases: Iterable[str]) -> str:
    """Regex alternation of phrases, longest first, spaces matching any whitespace."""
    parts = sorted(set(phrases), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)


@cache
def _atom_regex() -> re.Pattern:
    digits = r"(?<![\w.,/+])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    scale = r"(?:\s+(?:million|billion|trillion|thousand)\b|(?:m|bn|k)\b)"
    return re.compile(
        rf"(?P<vague>\b(?:{numbers.VAGUE_PATTERN})\b)"
        rf"|(?P<dord>(?<![\w.,/])\d+(?:st|nd|rd|th)\b)"
        rf"|(?P<digits>(?:{digits}){scale}?)(?![\w/]|[.,:]\d|-[A-Za-z])"
        rf"|(?P<oword>\b(?:{numbers.ORDINAL_WORD_PATTERN})\b)"
        rf"|(?P<words>\b(?:{numbers.NUMBER_WORD_PATTERN})\b(?:\s+(?:million|billion|thousand)\b)?)",
        re.IGNORECASE,
    )


@cache
def _context_regexes() -> dict[str, re.Pattern]:
    v = vocab()
    q = v["qualifiers"]
    currencies = _alternation(v["currencies"])
    return {
        **{f"pre_{k}": re.compile(rf"(?:^|(?<=[\s(\"'\u201c]))(?:{_alternation(words)})\s+$", re.I) for k, words in q.items()},
        **{f"post_{k}": re.compile(rf"^(?:\s*\+|\s+(?:{_alternation(words)})\b)", re.I)
           for k, words in v["suffix_qualifiers"].items()},
        "currency_pre": re.compile(rf"(?:{currencies})\s?$"),
        "currency_post": re.compile(rf"^\s+(?:{_alternation(v['currency_words'])})\b", re.I),
        "percent": re.compile(rf"^\s*(?:%|(?:{_alternation(w for w in v['percent_words'] if w != '%')})\b)", re.I),
        "range_join": re.compile(rf"^\s*(?:[-\u2013\u2014]|to)\s*(?:{currencies})?$", re.I),
        "between": re.compile(rf"\bbetween\s+(?:{currencies})?\s?$", re.I),
        "and": re.compile(rf"^\s+and\s+(?:{currencies})?$", re.I),
        "clock": re.compile(rf"^\s*(?:{_alternation(v['time_of_day'])})(?![\w])", re.I),
        "duration": re.compile(
            rf"^(?:\s+and\s+a\s+half)?(?:\s*-\s*|\s+)(?:(?:more|full|long|straight|consecutive|additional|further|whole|other)\s+)?"
            rf"(?:{_alternation(u.lstrip('-') for u in v['duration_units'])})\b", re.I),
        "reference": re.compile(rf"\b(?:{_alternation(v['reference_words'])})\s*$", re.I),
        "age_pre": re.compile(rf"\b(?:{_alternation(v['age_words'])})\s+(?:between\s+)?(?:\d+,?\s+(?:and\s+)?)*$", re.I),
        "rank_noun": re.compile(rf"^\s+(?:{_alternation(v['rank_nouns'])})\b", re.I),
        "rank_verb": re.compile(rf"\b(?:{_alternation(v['rank_verbs'])})\s+(?:\w+\s+)?$", re.I),
        "superlative": re.compile(rf"^[-\s](?:{_alternation(v['rank_superlative_suffixes'])})\b", re.I),
        "list_number": re.compile(r"^\s*$"),
        "age_noun": re.compile(rf"\b(?:{_alternation(v['age_nouns'])}),\s*$", re.I),
    }


_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")


@cache
def _number_words() -> frozenset[str]:
    """Words of which every atom without digits holds one (case-folded): the number words, and
    the last word of each vague phrase ("tens of *thousands*")."""
    v = numbers._vocab()
    return frozenset(phrase.split()[-1].casefold() for k in ("units", "tens", "scales", "ordinals", "vague")
                     for phrase in v[k])


def may_hold_atoms(text: str, start: int = 0, end: int | None = None) -> bool:
    """False when text[start:end] has neither a digit nor a number word, so no atom: a cheap
    test before the atom regex, which is slow on the many sentences that hold no number."""
    end = len(text) if end is None else end
    if _DIGIT.search(text, start, end):
        return True
    words = _number_words()
    return any(w.casefold() in words for w in _LETTERS.findall(text, start, end))


@cache
def _atom_starts() -> re.Pattern:
    """In lower-cased ASCII text, the word starts where an atom can begin: a digit, or a whole
    word a number written in words begins with. Every atom begins at a word start (each
    alternative opens with ``\\b`` or a look-behind refusing a word character before it)."""
    words = sorted(numbers.first_words(), key=len, reverse=True)
    return re.compile(rf"\b(?:[0-9]|(?:{'|'.join(map(re.escape, words))})\b)")


def _atom_matches(text: str, start: int, end: int) -> Iterator[re.Match]:
    """The atom regex's matches in text[start:end], as ``finditer`` gives them. On ASCII text it
    is tried only where an atom can begin (``_atom_starts``) instead of at every character; there
    its case-insensitive letters match exactly their ASCII upper and lower cases."""
    rx = _atom_regex()
    start, end = max(0, start), min(end, len(text))
    seg = text[start:end]
    if not seg.isascii():
        yield from rx.finditer(text, start, end)
        return
    pos = start
    for c in _atom_starts().finditer(seg.lower()):
        i = start + c.start()
        if i >= pos:
            m = rx.match(text, i, end)
            if m:
                yield m
                pos = m.end()


def find_atoms(text: str, start: int = 0, end: int | None = None) -> list[_Atom]:
    """Every number-like token group in text[start:end]."""
    end = len(text) if end is None else end
    if not may_hold_atoms(text, start, end):
        return []
    out = []
    for m in _atom_matches(text, start, end):
        kind = m.lastgroup
        s = m.group()
        if kind == "vague":
            value = numbers.vague_low(s)
        elif kind in ("dord", "oword"):
            value, kind = numbers.parse_ordinal(s), "ordinal"
        else:
            value = numbers.parse_number(s)
        if value is not None:
            out.append(_Atom(m.start(), m.end(), kind, value))
    return out


def find_figures(text: str, start: int = 0, end: int | None = None,
                 exclude: Iterable[tuple[int, int]] = (), atoms: list[_Atom] | None = None) -> list[Mention]:
    """The figures in text[start:end], in order; atoms overlapping ``exclude`` spans are dropped.
    ``atoms``: ``find_atoms(text, start, end)`` when the caller has it already."""
    end = len(text) if end is None else end
    exclude = list(exclude)
    atoms = [a for a in (find_atoms(text, start, end) if atoms is None else atoms)
             if not any(a.start < e and s < a.end for s, e in exclude)]
    out: list[Mention] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt and _joins_range(text, atom, nxt):
            mention = _range(text, atom, nxt)
            i += 2
        else:
            mention = _single(text, atom, atoms, i)
            i += 1
        if mention is not None:
            out.append(mention)
    return out


def _joins_range(text: str, a: _Atom, b: _Atom) -> bool:
    if a.kind in ("vague", "ordinal") or b.kind in ("vague", "ordinal") or a.value >= b.value:
        return False
    gap = text[a.end:b.start]
    rx = _context_regexes()
    if rx["range_join"].match(gap):
        return True
    return bool(rx["and"].match(gap) and rx["between"].search(text[max(0, a.start - 14):a.start]))


def _range(text: str, a: _Atom, b: _Atom) -> Mention | None:
    rx = _context_regexes()
    start, end = a.start, b.end
    window = text[max(0, a.start - 14):a.start]
    between = rx["between"].search(window)
    if between:
        start = a.start - (len(window) - between.start())
    after = text[end:end + 40]
    if _is_duration(after) or _is_age(text, a):
        return None
    kind, currency = "count", None
    pct = rx["percent"].match(after)
    if pct:
        kind, end = "percent", end + pct.end()
    else:
        inner, _, _ = _currency(text, a.start, a.end)      # "between €1,000 and €2,500"
        currency, start, end = _currency(text, start, end)
        currency = currency or inner
        if currency:
            kind = "money"
    return Mention(start, end, text[start:end], kind, a.value, b.value, "range", currency)


def _single(text: str, atom: _Atom, atoms: list[_Atom], i: int) -> Mention | None:
    rx = _context_regexes()
    before, after = text[max(0, atom.start - 40):atom.start], text[atom.end:atom.end + 40]
    if atom.kind == "ordinal":
        return _rank(text, atom, atoms, i)
    if _not_a_figure(text, atom, before, after):
        return None
    start, end, low, high = atom.start, atom.end, atom.value, atom.value
    qualifier = "vague" if atom.kind == "vague" else "exact"
    if qualifier == "vague":
        high = None
    kind, currency = "count", None
    pct = rx["percent"].match(after)
    if pct and atom.kind != "vague":
        kind, end = "percent", end + pct.end()
    else:
        currency, start, end = _currency(text, start, end)
        if currency:
            kind = "money"
    if qualifier == "exact":
        post = _suffix_qualifier(text, end)
        if post:
            qualifier, end = post
        else:
            pre = _prefix_qualifier(text, start)
            if pre:
                qualifier, start = pre
    if qualifier == "at_least":
        high = None
    elif qualifier == "at_most":
        low = None
    return Mention(start, end, text[start:end], kind, low, high, qualifier, currency)


def _prefix_qualifier(text: str, start: int) -> tuple[str, int] | None:
    """The longest qualifier phrase right before a number ("no more than" beats "more than")."""
    rx, window = _context_regexes(), text[max(0, start - 30):start]
    best = None
    for q in ("at_least", "at_most", "approx"):
        m = rx[f"pre_{q}"].search(window)
        if m and (best is None or m.start() < best[1]):
            best = (q, m.start())
    if best is None:
        return None
    return best[0], start - (len(window) - best[1])


def _suffix_qualifier(text: str, end: int) -> tuple[str, int] | None:
    """A qualifier after a number: "450+", "100 or more" (not "12 and more than 30")."""
    rx = _context_regexes()
    for q in ("at_least", "at_most"):
        m = rx[f"post_{q}"].match(text[end:end + 20])
        if m and not re.match(r"\s+than\b", text[end + m.end():end + m.end() + 6]):
            return q, end + m.end()
    return None


def _currency(text: str, start: int, end: int) -> tuple[str | None, int, int]:
    """Widen a span to a currency sign before it or a currency word after it."""
    rx, v = _context_regexes(), vocab()
    pre = rx["currency_pre"].search(text[max(0, start - 5):start])
    if pre:
        sign = pre.group().strip()
        return v["currencies"][sign], start - len(pre.group()), end
    post = rx["currency_post"].match(text[end:end + 25])
    if post:
        word = re.sub(r"\s+", " ", post.group().strip())
        name = next((c for w, c in v["currency_words"].items() if w.lower() == word.lower()), word)
        return name, start, end + post.end()
    return None, start, end


def _is_duration(after: str) -> bool:
    return bool(_context_regexes()["duration"].match(after))


def _is_age(text: str, atom: _Atom) -> bool:
    """"Jane Doe, 34, said" or "aged 34": a person's age, not a count."""
    rx = _context_regexes()
    if atom.kind not in ("digits", "words") or atom.value > 120 or not atom.value.is_integer():
        return False
    before = text[max(0, atom.start - 40):atom.start]
    if rx["age_pre"].search(before):
        return True
    if atom.kind != "digits":
        return False
    after = text[atom.end:atom.end + 2]
    if re.search(r"[A-Z][\w.\u00c0-\u024f'’-]*\s*\($", before) and after[:1] == ")":
        return True              # "Ali Reza (29) was arrested"
    if rx["age_noun"].search(before) and after[:1] == ",":
        return True              # "The man, 45, was freed"
    return bool(re.search(r"[A-Z][\w.\u00c0-\u024f'’-]*,\s*$", before)) and after[:1] in (",", ")")


def _not_a_figure(text: str, atom: _Atom, before: str, after: str) -> bool:
    rx = _context_regexes()
    if _is_duration(after) or _is_age(text, atom) or rx["clock"].match(after):
        return True
    if atom.kind == "digits":
        if rx["reference"].search(before):
            return True
        line_start = text.rfind("\n", 0, atom.start) + 1
        if rx["list_number"].match(text[line_start:atom.start]) and re.match(r"[.)]\s", after):
            return True          # "1. The ministry ..." list numbering
        if re.match(r"\d{4}$", text[atom.start:atom.end]) and 1800 <= atom.value <= 2100:
            return True          # a year the time finder did not claim
    if atom.kind == "words" and atom.value == 1 and not re.search(r"illion|thousand|hundred", text[atom.start:atom.end], re.I) \
            and not _prefix_qualifier(text, atom.start):
        return True              # "one" as a pronoun or determiner, but "at least one journalist" counts
    if atom.kind == "vague" and re.match(r"scores\b", text[atom.start:atom.end], re.I) and not re.match(r"\s+of\b", after):
        return True              # "scores" as points, not as "scores of people"
    return False


def _rank(text: str, atom: _Atom, atoms: list[_Atom], i: int) -> Mention | None:
    """An ordinal is a figure only where it states a rank: "ranked first", "44th place"."""
    rx = _context_regexes()
    after = text[atom.end:atom.end + 40]
    before = text[max(0, atom.start - 40):atom.start]
    is_rank = bool(rx["superlative"].match(after) or rx["rank_verb"].search(before))
    if not is_rank:
        # the last ordinal of a list ("second, third and fourth place") carries the noun
        j = i
        while j + 1 < len(atoms) and atoms[j + 1].kind == "ordinal" and re.fullmatch(r",?\s*(?:and|or)?\s*", text[atoms[j].end:atoms[j + 1].start]):
            j += 1
        is_rank = bool(rx["rank_noun"].match(text[atoms[j].end:atoms[j].end + 20]))
    line_start = text.rfind("\n", 0, atom.start) + 1
    if not is_rank and text[line_start:atom.start].strip() in ("", "\u2022", "-", "*") and \
            re.match(r"\s*[-\u2013\u2014]\s", after):
        is_rank = True         # a list line "• 1st – the state's rank among ..."
    if not is_rank and re.match(r"\d", text[atom.start:atom.end]) and not re.search(r"\bthe\s+$", before, re.I):
        # a digit ordinal at a clause end or before "in"/"among": "slipped to 111th."
        is_rank = bool(re.match(r"\s*(?:[.,;)]|$|\s(?:in|among|out of|on|of)\b)", after))
    if not is_rank:
        return None
    return Mention(atom.start, atom.end, text[atom.start:atom.end], "rank", atom.value, atom.value, "exact")
