"""Turn number expressions into values.

Cardinals written in digits ("23,184", "2.4 million", "1.5bn") or in words ("twenty-three",
"one hundred and five", "half a million"), ordinals ("third", "twenty-first", "44th") and vague
quantities ("tens of thousands", "several hundred") are read into numbers. The vocabularies live
in ``sayso/data/numbers.json``; the regex sources exported here are built from the same file so
the figure finder and these parsers always agree on what counts as a number.
"""
from __future__ import annotations

import json
import math
import re
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files

_SPLIT = re.compile(r"[\s,\-\u2010\u2011\u2012\u2013]+")
_SEP = r"[\s\-\u2010\u2011]+"
_DIGITS = re.compile(
    r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3})+|[0-9]+)(\.[0-9]+)?"
    r"(?:\s*[-\u2010\u2011]?\s*([a-z]+))?"
)
_DIGITS_SCALES = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3})+|[0-9]+)(\.[0-9]+)?((?:\s+[a-z]+){2,})")
_GROUPING = re.compile(r"[, \u00a0\u2009\u202f]")     # thousands separators: "1,500", "10 000"
_DIGIT_ORDINAL = re.compile(r"([0-9]{1,12})(?:st|nd|rd|th)")


@cache
def _vocab() -> dict[str, dict[str, int]]:
    """The vocabularies from ``data/numbers.json``: units, tens, scales, suffixes, ordinals, vague."""
    return json.loads((files("sayso") / "data" / "numbers.json").read_text(encoding="utf-8"))


@cache
def _cardinals() -> dict[str, int]:
    """Every cardinal word (units, tens and scales) mapped to its value."""
    v = _vocab()
    return {**v["units"], **v["tens"], **v["scales"]}


def _words_value(tokens: list[str]) -> float | None:
    """The value of a sequence of lower-cased number-word tokens, or None if it is not a number."""
    quarter = tokens[1:4] == ["quarter", "of", "a"] and tokens[0] == "a" or tokens[:3] == ["quarter", "of", "a"]
    if quarter:                  # "a quarter of a million"
        rest = _words_value(tokens[tokens.index("of") + 1:])
        return None if rest is None or tokens[-1] not in _vocab()["scales"] else rest / 4
    units, tens, scales = _vocab()["units"], _vocab()["tens"], _vocab()["scales"]
    total, cur, last_large, need_scale, prev = 0, None, math.inf, False, None
    for i, t in enumerate(tokens):
        if t == "a" and (i == 0 or prev == "half"):
            cur, need_scale = (cur if prev == "half" else 1), True
        elif t == "half" and i == 0:
            cur, need_scale = 0.5, True
        elif t == "and" and prev in scales:
            pass
        elif need_scale and t not in scales:
            return None
        elif t in units or t in tens:
            n, c = units.get(t, tens.get(t)), cur or 0
            rest = c % 100
            if n == 0 and len(tokens) > 1:
                return None
            if not (rest == 0 or (t in units and n < 10 and rest >= 20 and rest % 10 == 0)):
                return None
            cur = c + n
        elif t in scales:
            m, c = scales[t], (1 if cur is None else cur)
            if m < 1000:
                if c >= 100:
                    return None
                cur = c * m
            else:
                if m >= last_large:
                    return None
                total, cur, last_large = total + c * m, None, m
            need_scale = False
        else:
            return None
        prev = t
    if prev is None or need_scale or prev == "and":
        return None
    return float(total + (cur or 0))


def parse_number(s: str) -> float | None:
    """The value of a cardinal number expression ("1,500", "2.4 million", "twenty-three"), or None."""
    text = s.strip().lower()
    m = _DIGITS.fullmatch(text)
    if m:
        whole, frac, scale = m.groups()
        mult = 1
        if scale:
            mult = _vocab()["suffixes"].get(scale) or _vocab()["scales"].get(scale)
            if mult is None:
                return None
        try:
            return _exact(Decimal(_GROUPING.sub("", whole) + (frac or "")) * mult)
        except (InvalidOperation, OverflowError):
            return None
    m = _DIGITS_SCALES.fullmatch(text)
    if m:
        return _scaled_digits(*m.groups())
    tokens = [t for t in _SPLIT.split(text) if t]
    return _words_value(tokens) if tokens else None


def _scaled_digits(whole: str, frac: str | None, words: str) -> float | int | None:
    """Digits followed by two scale words, each multiplying: "4 hundred million" (400,000,000),
    "6.2 lakh crore" (6.2 trillion); None where a word is no scale or one is repeated."""
    scales = _vocab()["scales"]
    names = words.split()
    if len(set(names)) != len(names) or not all(w in scales and w != "dozen" for w in names):
        return None
    mult = math.prod(scales[w] for w in names)
    try:
        return _exact(Decimal(_GROUPING.sub("", whole) + (frac or "")) * mult)
    except (InvalidOperation, OverflowError):
        return None


def _exact(d: Decimal) -> float | int | None:
    """A parsed number as a float, or as an int where it is whole and too large for a float to
    hold exactly ("999,999,999,999,999,999"); None when it is not finite."""
    value = float(d)
    if not math.isfinite(value):
        return None
    if abs(value) >= 2 ** 53 and d == d.to_integral_value():
        return int(d)
    return value


def parse_ordinal(s: str) -> int | None:
    """The number an ordinal denotes ("third" -> 3, "twenty-first" -> 21, "44th" -> 44), or None."""
    text = s.strip().lower()
    m = _DIGIT_ORDINAL.fullmatch(text)
    if m:
        n = int(m.group(1))
        return n if n > 0 else None
    tokens = [t for t in _SPLIT.split(text) if t]
    if not tokens or tokens[-1] not in _vocab()["ordinals"]:
        return None
    value = _vocab()["ordinals"][tokens[-1]]
    cardinal = next(w for w, n in _cardinals().items() if n == value)
    result = _words_value(tokens[:-1] + [cardinal])
    return int(result) if result is not None and result == int(result) else None


def vague_low(s: str) -> float | None:
    """The lower bound of a vague quantity ("dozens" -> 24, "tens of thousands" -> 20000), or None."""
    key = " ".join(s.lower().split())
    key = key[:-3] if key.endswith(" of") else key
    low = _vocab()["vague"].get(key)
    return float(low) if low is not None else None


def _alternation(words) -> str:
    """A regex alternation of ``words``, longest first, with any inner spaces as ``\\s+``."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered)


_LEAD = ("half", "a", "quarter")   # "half a million", "a thousand", "a quarter of a million": only before a scale


def _patterns() -> tuple[str, str, str]:
    """The regex sources for vague quantities, number-word cardinals and ordinals."""
    v = _vocab()
    word = rf"(?:{_alternation(_cardinals())})\b"
    scale = rf"(?:{_alternation(v['scales'])})\b"
    half, a, quarter = _LEAD
    lead = rf"(?:(?:{a}{_SEP})?{quarter}\s+of\s+{a}{_SEP}|{half}{_SEP}(?:{a}{_SEP})?|{a}{_SEP})(?={scale})"
    prefix = rf"(?:(?:{scale}\s+and|{word}){_SEP})*"
    vague = rf"(?i:\b(?:{_alternation(v['vague'])})\b)"
    number = rf"(?i:\b(?:{lead})?{prefix}{word})"
    ordinal = rf"(?i:\b(?:{prefix}(?:{_alternation(v['ordinals'])})\b|[0-9]+(?:st|nd|rd|th)\b))"
    return vague, number, ordinal


def first_words() -> frozenset[str]:
    """The lower-case words a number written in words can begin with (matched by the patterns
    below only as whole words): those of ``_LEAD``, every cardinal and ordinal word, and the
    first word of each vague quantity."""
    v = _vocab()
    return frozenset([*_LEAD, *_cardinals(), *v["ordinals"], *(p.split()[0] for p in v["vague"])])


VAGUE_PATTERN, NUMBER_WORD_PATTERN, ORDINAL_WORD_PATTERN = _patterns()
