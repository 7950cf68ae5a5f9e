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
    # a letter (or a letter and a full stop) right before the digits is allowed here and checked in
    # find_atoms: "EUR50m", "Rs.750" are money, "COVID19" no figure; "16:35" is a clock time;
    # thousands may be grouped by a space ("10 000"; not "2019 450": the first group has 1 to 3 digits;
    # not a telephone number "5 000 0000", nor "3 100m");
    # a bn/mn/mln/tn suffix may stand apart ("USD 1.2 bn"), a one-letter one not ("500 m" is metres)
    digits = r"(?<![\d_,/])(?<![^A-Za-z]\.)(?<!^\.)(?<!\d:)(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d,A-Za-z]|\.\d|\s\d)|\d+(?:\.\d+)?)"
    suffixes = "|".join(sorted(numbers._vocab()["suffixes"], key=len, reverse=True))
    large = "|".join(sorted((w for w, n in numbers._vocab()["scales"].items() if n >= 1000), key=len, reverse=True))
    spaced = "|".join(sorted((s for s in numbers._vocab()["suffixes"] if len(s) > 1), key=len, reverse=True))
    scale = (rf"(?:\s+hundred(?:\s+(?:{large}))?\b|(?:\s+|[-\u2010\u2011])(?:{large})(?:\s+(?:{large}))?\b"
             rf"|(?:{suffixes})\b|\s(?:{spaced})\b)")
    return re.compile(
        rf"(?P<vague>\b(?:{numbers.VAGUE_PATTERN})\b)"
        rf"|(?P<dord>(?<![\w.,/])\d+(?:st|nd|rd|th)\b)"
        rf"|(?P<digits>(?:{digits}){scale}?)(?!(?!pc\b)\w|/\d|[.,:]\d|-(?!plus\b|strong\b|per\s?cent\b)[A-Za-z])"
        rf"|(?P<oword>\b(?:{numbers.ORDINAL_WORD_PATTERN})\b)"
        rf"|(?P<words>\b(?:{numbers.NUMBER_WORD_PATTERN})\b(?:\s+(?:million|billion|thousand)\b)?)",
        re.IGNORECASE,
    )


@cache
def _context_regexes() -> dict[str, re.Pattern]:
    v = vocab()
    q = v["qualifiers"]
    currencies = _alternation(v["currencies"])
    percent_words = _alternation(w for w in v["percent_words"] if w != "%")
    return {
        **{f"pre_{k}": re.compile(rf"(?:^|(?<=[\s(\"'\u201c]))(?:{_alternation(words)})\s+$", re.I) for k, words in q.items()},
        **{f"verbal_{k}": re.compile(rf"(?:^|(?<=\s))(?:{_alternation(words)})\s+(?:(?:{currencies})\s?)?$", re.I)
           for k, words in v["verbal_qualifiers"].items()},
        **{f"verbal_amount_{k}": re.compile(rf"(?:^|(?<=\s))(?:{_alternation(words)})\s+(?:(?:{currencies})\s?)?$", re.I)
           for k, words in v["verbal_qualifiers_of_amounts"].items() if words},
        **{f"post_{k}": re.compile(rf"^(?:\s*\+|-plus\b|\s+(?:{_alternation(words)})\b)" if k == "at_least"
                                   else rf"^(?:\s+(?:{_alternation(words)})\b)", re.I)
           for k, words in v["suffix_qualifiers"].items()},
        "currency_pre": re.compile(rf"(?<![A-Za-z])(?:{currencies})\s?[-\u2212]?$"),
        "currency_post": re.compile(rf"^\s+(?:{_alternation(v['currency_words'])})\b", re.I),
        "percent": re.compile(rf"^(?:\s*|-)(?:%|(?:{_alternation(w for w in v['percent_words'] if w != '%')})\b)", re.I),
        "range_join": re.compile(rf"^\s*(?:[-\u2013\u2014]|to)\s*(?:{currencies})?$", re.I),
        # "12 percent and 13 percent", "2% to 3%": the unit written after both ends
        "unit_range_join": re.compile(rf"^\s*(?:%|(?:{percent_words})\b)\s*(?:[-\u2013\u2014]|to)\s*$", re.I),
        "unit_and": re.compile(rf"^\s*(?:%|(?:{percent_words})\b)\s+and\s+$", re.I),
        "from": re.compile(rf"\bfrom\s+(?:{currencies})?\s?$", re.I),
        "between": re.compile(rf"\bbetween\s+(?:{currencies})?\s?$", re.I),
        "change": re.compile(rf"\b(?:{_alternation(v['change_verbs'])})\s+(?:[a-z]+\s+){{0,4}}?(?P<prep>from|by)\s+"
                             rf"(?:{currencies})?\s?[-\u2212+]?$", re.I),
        "and": re.compile(rf"^\s+and\s+(?:{currencies})?$", re.I),
        "score": re.compile(rf"\b(?:{_alternation(v['score_words'])})\b", re.I),
        "clock": re.compile(rf"^\s*(?:{_alternation(v['time_of_day'])})(?![\w])", re.I),
        "duration": re.compile(
            rf"^(?:\s+and\s+a\s+half)?(?:\s*-\s*|\s+)(?:(?:more|full|long|straight|consecutive|additional|further|whole|other)\s+)?"
            rf"(?:{_alternation(u.lstrip('-') for u in v['duration_units'])})\b", re.I),
        "document_size": re.compile(rf"^(?:\s+|\s*-\s*)(?:{_alternation(u.lstrip('-') for u in v['document_size_units'])})\b", re.I),
        "reference": re.compile(rf"\b(?:{_alternation(v['reference_words'])})\s*$", re.I),
        "age_pre": re.compile(rf"\b(?:{_alternation(v['age_words'])})\s+(?:(?:{_alternation(v['age_spans'])})\s+)?"
                              rf"(?:\d+,?\s+(?:and\s+|to\s+)?)*$", re.I),
        "age_turn": re.compile(rf"\b(?:{_alternation(v['age_turn_words'])})\s+$", re.I),
        "age_limit": re.compile(rf"\b(?:{_alternation(v['age_limit_nouns'])})\s+(?:{_alternation(v['age_limits'])})\s+$", re.I),
        "up_to_predicate": re.compile(rf"\b(?:{_alternation(v['predicate_up_to'])})\s+(?:[\w-]+\s+){{0,3}}?up\s+to\s+$", re.I),
        "street": re.compile(rf"^\s+(?:[NSEW]\.?\s+)?(?:\d+(?:st|nd|rd|th)\s+)?(?:[A-Z][a-z]+\s+)?"
                             rf"(?:{_alternation(v['street_words'])})\b\.?"),
        "name_follower": re.compile(rf"^\s+(?:{_alternation(v['name_followers'])})\b"),
        "one_counts": re.compile(rf"^\s+(?:(?:in|at|on)\b|[a-z]+\s+(?:{_alternation(v['one_predicates'])})\b)"),
        "rank_noun": re.compile(rf"^\s+(?:{_alternation(v['rank_nouns'])})\b", re.I),
        "rank_verb": re.compile(rf"\b(?:{_alternation(v['rank_verbs'])})\s+(?:(?!(?:the|a|an|its|their|his|her)\s)\w+\s+)?$", re.I),
        "superlative": re.compile(rf"^[-\s](?:{_alternation(v['rank_superlative_suffixes'])})\b", re.I),
        "list_number": re.compile(r"^\s*$"),
        # one person, then "was" or "would be": "My son was ", "He would be " (AGE_COPULA_END after)
        "age_copula": re.compile(rf"(?:\b(?:{_alternation(v['age_copula_owners'])})\s+(?:{_alternation(v['age_nouns'])})"
                                 rf"|(?<![\w-])(?:{_alternation(v['age_copula_pronouns'])}))\s+"
                                 rf"(?:{_alternation(v['age_copula_verbs'])})\s+$", re.I),
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
    return re.compile(rf"\b(?:[0-9]|(?:{'|'.join(map(re.escape, words))})\b)|(?<=[a-z$])[0-9]")


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
        if kind == "digits" and m.start() > 0 and (text[m.start() - 1].isalpha() or text[m.start() - 1] == ".") \
                and not _glued_currency(text, m.start()):
            continue             # "COVID19", "G7", "MH17", "v.2": part of a name ("Rs.750" is money)
        if kind == "digits" and m.start() > 0 and text[m.start() - 1] == "+" \
                and not _context_regexes()["percent"].match(text[m.end():m.end() + 20]):
            continue             # "+44 20 ...": a telephone number; "+2.3%" is a figure
        if kind == "vague":
            value = numbers.vague_low(s)
        elif kind in ("dord", "oword"):
            value, kind = numbers.parse_ordinal(s), "ordinal"
        else:
            value = numbers.parse_number(s)
        if value is not None:
            out.append(_Atom(m.start(), m.end(), kind, value))
    return out


def _glued_currency(text: str, start: int) -> bool:
    """True where the letters right before ``start`` are a currency code ("EUR50m", "$US55")."""
    rx = _context_regexes()["currency_pre"]
    return bool(rx.search(text[max(0, start - 5):start]))


def find_figures(text: str, start: int = 0, end: int | None = None,
                 exclude: Iterable[tuple[int, int]] = (), atoms: list[_Atom] | None = None) -> list[Mention]:
    """The figures in text[start:end], in order; atoms overlapping ``exclude`` spans are dropped.
    ``atoms``: ``find_atoms(text, start, end)`` when the caller has it already."""
    end = len(text) if end is None else end
    exclude = list(exclude)
    atoms = [a for a in (find_atoms(text, start, end) if atoms is None else atoms)
             if not any(a.start < e and s < a.end for s, e in exclude)]
    out: list[Mention] = []
    ratio = _ratios(text, atoms) | _scores(text, atoms)
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        if i in ratio:
            i += 1
            continue
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        if nxt and _joins_range(text, atom, nxt):
            mention = _range(text, atom, nxt)
            i += 2
        else:
            mention = _single(text, atom, atoms, i)
            i += 1
        if mention is not None:
            out.append(_as_converted(text, out[-1], mention) if out else mention)
    return _with_point_fractions(text, start, end, out)


@cache
def _point_fraction_regex() -> re.Pattern:
    return re.compile(rf"\b(?P<f>{_alternation(vocab()['fractions'])})(?:\s+of)?\s+(?:a\s+)?percentage\s+points?\b", re.I)


def has_point_fraction(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] holds a fraction of a percentage point, a figure without a digit
    or a number word."""
    end = len(text) if end is None else end
    return "percentage" in text[start:end].lower() and _point_fraction_regex().search(text, start, end) is not None


def _with_point_fractions(text: str, start: int, end: int, out: list[Mention]) -> list[Mention]:
    """Add the fractions of a percentage point ("a quarter of a percentage point": 0.25
    percent), which hold no digit or number word, in order."""
    if not has_point_fraction(text, start, end):
        return out
    fractions = {k.lower(): v for k, v in vocab()["fractions"].items()}
    for m in _point_fraction_regex().finditer(text, start, end):
        if any(o.start < m.end() and m.start() < o.end and not (m.start() <= o.start and o.end <= m.end()) for o in out):
            continue
        out = [o for o in out if not (m.start() <= o.start and o.end <= m.end())]   # "three" of "three-quarters"
        value = fractions[re.sub(r"\s+", " ", m.group("f").lower())]
        out.append(Mention(m.start(), m.end(), m.group(), "percent", value, value, "exact"))
    return sorted(out, key=lambda x: x.start)


def _as_converted(text: str, prev: Mention, m: Mention) -> Mention:
    """A sum in brackets right after another is the same sum converted: "passed £1 billion
    (BD488m)" takes the first one's qualifier."""
    if not (prev.kind == m.kind == "money" and m.qualifier == "exact" and prev.qualifier in ("at_least", "at_most", "approx")
            and re.fullmatch(r"\s*\(", text[prev.end:m.start]) and text[m.end:m.end + 1] == ")"):
        return m
    low = None if prev.qualifier == "at_most" else m.low
    high = None if prev.qualifier == "at_least" else m.high
    return Mention(m.start, m.end, m.text, m.kind, low, high, prev.qualifier, m.currency)


RATIO_GAP = re.compile(r"\s+(?:in|out\s+of)\s+(?:every\s+)?$", re.I)


def _ratios(text: str, atoms: list[_Atom]) -> set[int]:
    """Indexes of the atoms of ratios, which are no figures: "one in 13 victims", "three in
    every ten", "2 out of 5", "3 in 10 voters" — not "killed 2 in 3 raids"."""
    out = set()
    for i in range(len(atoms) - 1):
        a, b = atoms[i], atoms[i + 1]
        gap = text[a.end:b.start]
        if a.kind in ("digits", "words") and b.kind in ("digits", "words") and a.value <= 10 \
                and a.value < b.value <= 100 and RATIO_GAP.fullmatch(gap) \
                and (a.value == 1 or b.value in (5, 10, 100) or "every" in gap.lower()):
            out.update((i, i + 1))
    return out


def _scores(text: str, atoms: list[_Atom]) -> set[int]:
    """Indexes of the atoms of match scores, which are no figures: "won 3-1", "a 2-2 draw"."""
    rx = _context_regexes()["score"]
    out = set()
    for i in range(len(atoms) - 1):
        a, b = atoms[i], atoms[i + 1]
        if a.kind == b.kind == "digits" and re.fullmatch(r"[-\u2013]", text[a.end:b.start]) and a.value <= 200 \
                and b.value <= 200 and rx.search(text[max(0, a.start - 40):a.start] + " " + text[b.end:b.end + 12]) \
                and not re.match(r"\s+(?!(?:was|is|as|this|his|its|thus)\b)[a-z]+s\b", text[b.end:b.end + 20]):
            out.update((i, i + 1))       # but "won 40-50 matches" counts matches
    return out


def _joins_range(text: str, a: _Atom, b: _Atom) -> bool:
    if a.kind in ("vague", "ordinal") or b.kind in ("vague", "ordinal") or a.value >= b.value:
        return False
    gap = text[a.end:b.start]
    rx = _context_regexes()
    if (rx["range_join"].match(gap) or rx["unit_range_join"].match(gap)) and _is_change(text, a, b):
        return False
    if rx["range_join"].match(gap):
        return True
    before = text[max(0, a.start - 14):a.start]
    after = text[b.end:b.end + 25]
    if rx["unit_range_join"].match(gap):             # "rose from 2% to 3%" is a change, not a range;
        return not rx["from"].search(before) and bool(rx["percent"].match(after))   # "0.4 points to 52.3" too
    if rx["unit_and"].match(gap) and not rx["percent"].match(after):
        return False
    return bool((rx["and"].match(gap) or rx["unit_and"].match(gap)) and rx["between"].search(before))


def _is_change(text: str, a: _Atom, b: _Atom) -> bool:
    """Whether "N to M" states a change, two figures, rather than a range: after a change verb and
    "from" ("rose from 83 to 95"), or "by" where both are written in full and the second is more
    than twice the first (the change and the new level: "was cut by $300m to $2.1bn", "raised by
    0.5% to 6.25%"; not "cut by 10 to 15 percent", "by $1 to $3 billion", with the unit or the
    scale written once)."""
    rx = _context_regexes()
    m = rx["change"].search(text, max(0, a.start - 50), a.start)
    if not m:
        return False
    if m.group("prep").lower() == "from":
        return True
    if _scale_of(text[b.start:b.end]) is not None and _scale_of(text[a.start:a.end]) is None:
        return False
    if rx["percent"].match(text[b.end:b.end + 25]) and not rx["unit_range_join"].match(text[a.end:b.start]):
        return False
    return b.value > 2 * a.value


def _range(text: str, a: _Atom, b: _Atom) -> Mention | None:
    rx = _context_regexes()
    start, end = a.start, b.end
    window = text[max(0, a.start - 14):a.start]
    between = rx["between"].search(window)
    if between:
        start = a.start - (len(window) - between.start())
    after = text[end:end + 40]
    if _is_unit(after) or _is_age(text, a):
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
    return Mention(start, end, text[start:end], kind, _scaled_low(text, a, b), b.value, "range", currency)


def _scaled_low(text: str, a: _Atom, b: _Atom) -> float:
    """The low end of a range whose scale is written once, after the high end: "$10 to $15
    billion" is 10 billion to 15 billion, "four to five thousand" 4,000 to 5,000."""
    scale = _scale_of(text[b.start:b.end])
    if scale is None or _scale_of(text[a.start:a.end]) is not None or a.value * scale > b.value:
        return a.value
    return a.value * scale


def _scale_of(s: str) -> float | None:
    """The value of the scale word or suffix a number ends with ("15 billion", "50m"), if any."""
    m = re.search(r"([a-z]+)\s*$", s, re.I)
    if not m:
        return None
    v = numbers._vocab()
    word = m.group(1).lower()
    return v["scales"].get(word) if word in v["scales"] and word != "dozen" else v["suffixes"].get(word)


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
            else:
                amount = kind in ("money", "percent") or _scale_of(text[atom.start:atom.end]) is not None
                qualifier = _verbal_qualifier(text, start, amount) or qualifier
    if qualifier == "at_most" and _up_to_predicate(text, start):
        qualifier = "exact"      # "the toll is up to 30": a toll that has reached 30
        start += len(re.match(r"up\s+to\s+", text[start:], re.I).group())
    if qualifier == "at_least":
        high = None
    elif qualifier == "at_most":
        low = None
    if kind in ("percent", "money") and (_negative(text, atom.start) or _negative(text, start)):
        low, high = (None if high is None else -high), (None if low is None else -low)
        if _negative(text, start):
            start -= 1           # "-1.3%", "-$4.5m": the sign is part of the figure
    return Mention(start, end, text[start:end], kind, low, high, qualifier, currency)


def _up_to_predicate(text: str, start: int) -> bool:
    """ "up to" as a predicate: "the toll is up to 30", "death toll from the unrest up to 30"."""
    window = text[max(0, start - 50):start]
    m = re.match(r"up\s+to\s+", text[start:start + 10], re.I)
    if not m:
        return False
    return bool(_context_regexes()["up_to_predicate"].search(window + text[start:start + m.end()]))


def _negative(text: str, start: int) -> bool:
    """A minus sign glued to the number: "-1.3%", "$-50.8bn", "\u22122.1%" (not a dash between words)."""
    if start == 0 or text[start - 1] not in "-\u2212":
        return False
    return start == 1 or not (text[start - 2].isalnum() or text[start - 2] in "%)")


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


def _verbal_qualifier(text: str, start: int, amount: bool) -> str | None:
    """A qualifier written as a verb before the number (GUIDELINES rule 10): "has exceeded 300",
    "did not exceed 46"; before an ``amount`` (a sum, a percentage, a scaled number) also "passed
    £1 billion", "topped 40%". The verb is not in the span."""
    rx, window = _context_regexes(), text[max(0, start - 30):start]
    keys = [(q, f"verbal_{q}") for q in ("at_most", "at_least")]
    if amount:
        keys += [(q, f"verbal_amount_{q}") for q in ("at_most", "at_least") if f"verbal_amount_{q}" in rx]
    hits = [(m.start(), q) for q, key in keys if (m := rx[key].search(window))]
    return min(hits)[1] if hits else None


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
        sign = pre.group().rstrip("-\u2212").strip()
        return v["currencies"][sign], start - len(pre.group()), end
    post = rx["currency_post"].match(text[end:end + 25])
    if post:
        word = re.sub(r"\s+", " ", post.group().strip())
        name = next((c for w, c in v["currency_words"].items() if w.lower() == word.lower()), word)
        return name, start, end + post.end()
    return None, start, end


def _is_unit(after: str) -> bool:
    """A unit that makes the number no figure follows: a duration ("40 years") or a document's size
    ("a 309-page report", "1,200 pages")."""
    rx = _context_regexes()
    return bool(rx["duration"].match(after) or rx["document_size"].match(after))


def _is_age(text: str, atom: _Atom) -> bool:
    """"Jane Doe, 34, said" or "aged 34": a person's age, not a count."""
    rx = _context_regexes()
    if atom.kind not in ("digits", "words") or atom.value > 120 or not atom.value.is_integer():
        return False
    before = text[max(0, atom.start - 40):atom.start]
    if rx["age_pre"].search(before) or rx["age_limit"].search(before):
        return True              # "aged 34", "ages ranging from 11 to 84", "children under 16"
    if rx["age_turn"].search(before) and AGE_TURN_END.match(text, atom.end):
        return True              # "who turned 40 in March", not "turned six others into bases"
    if rx["age_copula"].search(before) and AGE_COPULA_END.match(text, atom.end):
        return True              # "My son was 17.", "He would be 31 now"
    if atom.kind != "digits":
        return False
    after = text[atom.end:atom.end + 2]
    if re.search(r"[A-Z][\w.\u00c0-\u024f'’-]*\s*\($", before) and after[:1] == ")":
        return True              # "Ali Reza (29) was arrested"
    if (rx["age_noun"].search(before) or AGE_APPOSITION.search(before)) and after[:1] == ",":
        return True              # "The man, 45, was freed", "The city's mayor, 45, said"
    if re.search(r"[A-Z][\w.\u00c0-\u024f'’-]*,\s*$", before) and after[:1] in (",", ")"):
        return True              # "Jane Doe, 34, said"
    return bool(re.search(r"[a-z][\w.\u00c0-\u024f'’-]* [A-Z][\w.\u00c0-\u024f'’-]+,\s*$", before)) \
        and re.match(r"\.(?:\s|$)", after) is not None     # "could not match Jane Doe, 34."


# what may follow an age after "was" ("My son was 17."): the end of a clause, "when", "now"
AGE_COPULA_END = re.compile(r"\s*(?:[.,;:!?)\u201d\"]|$)|\s+(?:when|now|at\s+the\s+time)\b")

# what may follow an age after "turned": the end of a clause or a time ("turned 40 in March")
AGE_TURN_END = re.compile(r"\s*(?:[.,;:)]|$)|\s+(?:in|on|at|last|this|next|before|after|and|when|while|years?)\b")

# a noun phrase in the singular opened by a determiner or a possessive, then a comma: "The
# senator, ", "the club's goalkeeper, ", "The 800m runner, " (a number between two commas after it
# is that person's age); not a plural ("The protesters, 45, were freed") nor "of the dead, "
AGE_APPOSITION = re.compile(r"(?<![Oo]f\s)(?<![Aa]mong\s)\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts|[Oo]ur|\w+['\u2019]s)"
                            r"\s+(?:[\w-]+\s+){0,2}[a-z][\w-]*(?<![^su]s),\s*$")


def _not_a_figure(text: str, atom: _Atom, before: str, after: str) -> bool:
    rx = _context_regexes()
    if _is_unit(after) or _is_age(text, atom) or rx["clock"].match(after):
        return True
    if atom.kind == "digits":
        if rx["reference"].search(before):
            return True
        line_start = text.rfind("\n", 0, atom.start) + 1
        if rx["list_number"].match(text[line_start:atom.start]) and re.match(r"[.)]\s", after):
            return True          # "1. The ministry ..." list numbering
        if re.match(r"\d{4}$", text[atom.start:atom.end]) and 1800 <= atom.value <= 2100 \
                and not rx["currency_pre"].search(before[-6:]):
            return True          # a year the time finder did not claim ("$2000" is money)
        if re.search(r"(?:^|[.:;]\s*)$", text[line_start:atom.start]) and re.match(r"[.)]\s+[A-Z]", after) \
                and ":" in text[line_start:atom.start]:
            return True          # "the following: 1. Security forces ..." inline list numbering
        if re.fullmatch(r"[\d.,]+m", text[atom.start:atom.end]) and re.search(r"\b(?:the|a|an)\s+$", before, re.I) \
                and not rx["currency_pre"].search(before[-6:]):
            return True          # "the 100m", "a 10m wall": metres, not millions
        if rx["street"].match(after) or (len(text[atom.start:atom.end]) == 5 and re.search(r"\b[A-Z]{2}\s$", before)):
            return True          # "9 E 71st St", a ZIP code "NY 10021"
    if _in_name(text, atom, before, after):
        return True
    if atom.kind == "words" and text[atom.start:atom.start + 1].isupper() and re.search(r"\w-$", before):
        return True              # "7-Eleven": a number word in a name
    if atom.kind == "words" and atom.value == 1 and not re.search(r"illion|thousand|hundred", text[atom.start:atom.end], re.I) \
            and not _prefix_qualifier(text, atom.start) and not _one_of_a_list(text, atom, before, after):
        return True              # "one" as a pronoun or determiner, but "at least one journalist" counts
    if atom.kind == "vague" and re.match(r"(?:scores|tens)$", text[atom.start:atom.end], re.I) and not re.match(r"\s+of\b", after):
        return True              # "scores" as points, not as "scores of people"; "tens of groups" counts
    return False


NAME_CHARS = re.compile(r"(?:^|\s)(\S*[A-Z&]\S*)\s$")


def _in_name(text: str, atom: _Atom, before: str, after: str) -> bool:
    """A number in a name of a product, index or team: "S&P 500", "iPhone 11 Pro", "the Big 12
    conference", "Boeing 787 Dreamliner" (a capitalised word before it, and after it a capitalised
    word or a word that names a thing), not "on Monday 12" or a title-case "Toll Rises To 30"."""
    if atom.kind != "digits":
        return False
    m = NAME_CHARS.search(before)
    if not m:
        return False
    word = m.group(1)
    v = vocab()
    if word in v["not_name_words"] or word.lower() in _time_words() or not word[:1].isalpha() and "&" not in word:
        return False
    if "&" in word or (word[:1].islower() and any(c.isupper() for c in word[1:])):
        return True              # "S&P 500", "iPhone 11"
    if not word[:1].isupper() or before[:m.start(1)].rstrip().endswith((".", ":", "\n")) or not before[:m.start(1)].strip():
        return False             # a sentence's first word
    if _title_case(text, atom):
        return False             # a headline "Police Arrest 40 Protesters"
    return bool(re.match(r"\s+[A-Z]", after) or _context_regexes()["name_follower"].match(after))


def _title_case(text: str, atom: _Atom) -> bool:
    """Whether the line around a number is written in title case (no lower-case word of more
    than three letters within 60 characters either side)."""
    lo = max(text.rfind("\n", 0, atom.start) + 1, atom.start - 60)
    hi = text.find("\n", atom.end)
    hi = min(atom.end + 60, len(text) if hi < 0 else hi)
    return not re.search(r"(?<![\w'’-])[a-z][a-z]{3,}", text[lo:hi])


@cache
def _time_words() -> frozenset[str]:
    data = json.loads((files("sayso") / "data" / "time.json").read_text(encoding="utf-8"))
    return frozenset([*data["months"], *data["month_abbreviations"], *data["weekdays"]])


def _one_of_a_list(text: str, atom: _Atom, before: str, after: str) -> bool:
    """ "one" that states how many after other counts: "three in Basra and one in Najaf", "six
    died and one patient was in intensive care" (GUIDELINES rule 9)."""
    if not re.search(r"(?:,|\band)\s+$", before) or re.match(r"\s+(?:of|another|day|time)\b|-", after):
        return False
    if not _context_regexes()["one_counts"].match(after):
        return False
    prior = text[max(0, atom.start - 80):atom.start]
    return bool(re.search(r"\d|\b(?:" + numbers.NUMBER_WORD_PATTERN + r")\b", prior[:-len(before)] + before, re.I))


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
