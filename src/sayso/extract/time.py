"""Explicit time expressions in English text, resolved to ISO date intervals.

``find_times`` finds dates ("on 14 August 2013", "December 23, 2019"), months ("in March",
"November 2020"), years ("in 2020"), decades, seasons ("the summer of 1988"), parts of a year
("in the first half of 2019"), ranges ("between 9 and 12 August"), weekdays ("on Sunday") and
relative expressions ("last month", "so far this year", "two years ago") in a text; ``resolve``
turns one expression into an inclusive interval of ISO dates. Relative expressions are resolved
against the document's publication date and stay unresolved (None, None) without one.

Durations and ages ("for 26 years", "a 17-year-old", "every two weeks") are not points in time
and are not returned; neither are numbers that merely look like years ("2013 people",
"Article 1999", "14/2021", "2,000-2,500").

Resolution rules (the annotation guidelines):

* a year is 1 January..31 December; a month its first..last day; a full date that day;
* a day and month without a year is the most recent such date on or before publication;
  a bare month the most recent such month before or containing publication ("last November":
  strictly before the publication month); a weekday the most recent such day on or before
  publication;
* "since X" runs from the start of X to the publication date (end None without one, or when
  the publication date is earlier than X);
* seasons are northern-hemisphere meteorological seasons; winter runs from December to the end
  of the following February;
* "the same period last year" shifts the nearest earlier resolved expression back a year.

Vocabularies live in ``sayso/data/time.json`` and are loaded once, on first use.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from typing import Callable, Iterator

from sayso.model import TimeExpr

Interval = tuple[date | None, date | None]
_NONE: Interval = (None, None)


# --------------------------------------------------------------------------- vocabulary

@cache
def vocab() -> dict:
    """The time vocabulary (``data/time.json``) as a dict, read once per process."""
    return json.loads((files("sayso") / "data" / "time.json").read_text(encoding="utf-8"))


def _month_number(word: str) -> int | None:
    """The month (1-12) a month name or abbreviation denotes, else None."""
    low = word.lower().rstrip(".")
    v = vocab()
    return v["months"].get(low) or v["month_abbreviations"].get(low)


def _number(word: str) -> int | None:
    """The value of a number written in digits or as a word ("six"), else None."""
    if word.isascii() and word.isdigit():
        return int(word)
    return vocab()["numbers"].get(word.lower())


def _relative(word: str | None) -> int | None:
    """The offset (-1, 0, +1) a relative word ("last", "this", "next") denotes; None if absent."""
    if not word:
        return None
    return vocab()["relative"].get(" ".join(word.lower().split()))


# --------------------------------------------------------------------------- regex pieces

def _alt(words) -> str:
    """A regex alternation of phrases, longest first; a space matches any run of whitespace."""
    ws = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in ws) + ")"


def _capitalised(words) -> str:
    """A case-sensitive alternation of the capitalised forms of ``words``, longest first."""
    ws = sorted({w.capitalize() for w in words}, key=len, reverse=True)
    return "(?-i:" + "|".join(map(re.escape, ws)) + ")"


@cache
def _pieces() -> dict[str, str]:
    """Named regex fragments built from the vocabulary."""
    v = vocab()
    full = _capitalised(v["months"])
    abbr = _capitalised(v["month_abbreviations"])
    p: dict[str, str] = {}
    p["DAY"] = r"(?<![\w.,/$£€#+])(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?\b"
    p["YEAR"] = r"(?<![\w$£€#+/])(?<![0-9][.,])(?:19|20)[0-9]{2}(?![\w%/])(?![.,][0-9])"
    p["MONTH_FULL"] = rf"(?<!\w){full}(?!\w)"
    p["MONTH"] = rf"(?<!\w)(?:{full}(?!\w)|{abbr}(?:\.|(?!\w)))"
    p["WD"] = rf"(?<!\w){_capitalised(v['weekdays'])}(?!\w)"
    p["SEASON"] = rf"(?<!\w){_alt(v['seasons'])}(?!\w)"
    p["PART"] = _alt(v["day_parts"])
    p["REL"] = rf"(?<![\w-]){_alt(v['relative'])}"
    p["MOD"] = rf"{_alt(v['modifiers'])}(?:\s*-\s*|\s+)"
    p["NUM"] = rf"(?:{_alt(v['numbers'])}|[0-9]{{1,3}})"
    p["ORD"] = _alt(v["ordinals"])
    bounds = rf"(?:the\s+)?(?:very\s+)?{_alt(v['boundaries'])}\s+of\s+"
    anchor = rf"(?<![\w-]){_alt(v['anchors'])}\s+"
    bound_anchor = rf"(?<![\w-]){_alt(v['boundary_anchors'])}\s+(?={bounds})"
    p["PRE"] = rf"(?P<pre>(?:{anchor}|{bound_anchor})?(?:{bounds})?(?:{p['MOD']})?)"
    return p


def _pd(p: dict[str, str]) -> str:
    """A possibly partial date: day month year, month day year, month year, month, year or day."""
    wd = rf"(?:{p['WD']},?\s+)?"
    return (rf"(?:{wd}(?:the\s+)?{p['DAY']}\s+(?:of\s+)?{p['MONTH']}(?:,?\s+{p['YEAR']})?"
            rf"|{wd}{p['MONTH']}\s+(?:the\s+)?{p['DAY']}(?:,?\s+{p['YEAR']})?"
            rf"|{p['MONTH']}(?:\s+of)?,?\s+{p['YEAR']}|{p['MONTH']}|{p['YEAR']}"
            rf"|(?:the\s+)?{p['DAY']}(?:,\s*{p['YEAR']})?)")


# --------------------------------------------------------------------------- date helpers

def _parse_published(published: str | None) -> date | None:
    """The publication date as a ``date``, or None if absent or malformed."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _iso(d: date | None) -> str | None:
    """A date as YYYY-MM-DD, or None."""
    return d.isoformat() if d else None


def _month_end(y: int, m: int) -> date:
    """The last day of month ``m`` of year ``y``."""
    return date(y, m, calendar.monthrange(y, m)[1])


def _year_span(y: int) -> Interval:
    """1 January..31 December of year ``y``."""
    return date(y, 1, 1), date(y, 12, 31)


def _month_span(y: int, m: int) -> Interval:
    """First..last day of month ``m`` of year ``y``, normalising months outside 1-12."""
    y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
    return date(y, m, 1), _month_end(y, m)


def _shift_years(d: date, k: int) -> date:
    """The same day ``k`` years later (28 February for a 29 February in a common year)."""
    try:
        return d.replace(year=d.year + k)
    except ValueError:
        return d.replace(year=d.year + k, day=28)


def _latest_day(m: int, d: int, pub: date | None) -> date | None:
    """The most recent ``d`` of month ``m`` on or before ``pub``; None without ``pub``."""
    if pub is None:
        return None
    for y in range(pub.year, pub.year - 9, -1):
        try:
            day = date(y, m, d)
        except ValueError:
            continue
        if day <= pub:
            return day
    return None


def _latest_month_year(m: int, pub: date, rel: int | None) -> int:
    """The year of the month ``m`` meant relative to ``pub``.

    No relative word: the most recent such month before or containing the publication date;
    "last": strictly before the publication month; "this": the publication year; "next":
    strictly after the publication month.
    """
    if rel == 0:
        return pub.year
    if rel == 1:
        return pub.year if m > pub.month else pub.year + 1
    if rel == -1:
        return pub.year if m < pub.month else pub.year - 1
    return pub.year if m <= pub.month else pub.year - 1


# --------------------------------------------------------------------------- date parts

@dataclass
class _Parts:
    """The day, month and year written in a date phrase (any may be missing)."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    day_first: bool = False   # the day is written before the month ("9 August")


def _parts(s: str) -> _Parts:
    """The day, month and year found in a short date phrase such as "Wednesday, 3 March 2021"."""
    p = _Parts()
    for tok in re.findall(r"[A-Za-z]+|[0-9]+", s):
        if tok.isdigit():
            n = int(tok)
            if len(tok) == 4 and p.year is None:
                p.year = n
            elif len(tok) <= 2 and 1 <= n <= 31 and p.day is None:
                p.day = n
                p.day_first = p.month is None
        elif p.month is None and _month_number(tok):
            p.month = _month_number(tok)
    return p


def _day_valid(p: _Parts) -> bool:
    """Whether the day exists in the month (in a leap year when no year is given)."""
    if p.day is None or p.month is None:
        return True
    return p.day <= calendar.monthrange(p.year or 2000, p.month)[1]


def _first(p: _Parts, y: int) -> date:
    """The first day the parts denote, in year ``y``."""
    if p.month is None:
        return date(y, 1, 1)
    return date(y, p.month, p.day or 1)


def _last(p: _Parts, y: int) -> date:
    """The last day the parts denote, in year ``y``."""
    if p.month is None:
        return date(y, 12, 31)
    return date(y, p.month, p.day) if p.day else _month_end(y, p.month)


def _parts_interval(p: _Parts, pub: date | None, rel: int | None = None) -> Interval:
    """The interval a single date phrase denotes; yearless ones need the publication date."""
    if p.month is None:
        return _year_span(p.year) if p.year else _NONE
    if p.year is not None:
        return _first(p, p.year), _last(p, p.year)
    if pub is None:
        return _NONE
    if p.day is not None:
        day = _latest_day(p.month, p.day, pub)
        return (day, day) if day else _NONE
    return _month_span(_latest_month_year(p.month, pub, rel), p.month)


# --------------------------------------------------------------------------- context checks

_WORD_BEFORE = re.compile(r"([A-Za-z]+)[ \t\u00a0]*(?:\n[ \t\u00a0]*)?$")
_WORD_DOT_BEFORE = re.compile(r"([A-Za-z]+)\.?[ \t\u00a0]*(?:\n[ \t\u00a0]*)?$")
_NEXT_WORDS = re.compile(r"[ \t\u00a0]+([A-Za-z]+)(?:[ \t\u00a0]+([A-Za-z]+))?")


def _word_before(text: str, i: int, dot: bool = False) -> str:
    """The word just before offset ``i`` (separated by whitespace only, or also by a period
    with ``dot``, as in "No. 5"), or ''."""
    m = (_WORD_DOT_BEFORE if dot else _WORD_BEFORE).search(text, max(0, i - 40), i)
    return m.group(1) if m else ""


def _plural(word: str) -> bool:
    """Whether a lower-case word looks like a plural noun ("protesters", not "was" or "crisis")."""
    w = word.lower()
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))
            and w not in vocab()["not_plural"])


def _counts_follow(text: str, end: int, strict: bool) -> bool:
    """Whether the number ending at ``end`` is followed by what it counts or measures.

    Units and counted nouns ("2000 km", "2000 people", "2000 political prisoners") always
    count; with ``strict``, so does any lower-case plural ("2013 protests").
    """
    m = _NEXT_WORDS.match(text, end)
    if not m:
        return False
    v = vocab()
    w1, w2 = m.group(1), m.group(2) or ""
    if w1.lower() in v["units"] or w1.lower() in v["counted_nouns"]:
        return True
    if w1.islower() and w2.lower() in v["counted_nouns"] and w2.lower() not in ("of", "more", "other"):
        return True
    return strict and w1.islower() and _plural(w1)


def _year_ok(text: str, s: int, e: int) -> bool:
    """Whether the four digits text[s:e] are used as a year rather than a count or a label."""
    v = vocab()
    before, after = text[max(0, s - 40):s], text[e:e + 40]
    if re.search(r"[0-9]\s*(?:[-–—]\s*)?$", before) or re.match(r"\s*[-–—]\s*[0-9]|[-–][A-Za-z]", after):
        return False                      # phone numbers, numeric ranges, "2000-strong"
    if _word_before(text, s, dot=True).lower() in v["not_year_before"]:
        return False                      # "Article 1999", "No. 2013"
    prev = _word_before(text, s).lower()
    if prev in v["not_year_before"]:
        return False                      # "Article 1999", "No. 2013"
    if prev in v["year_anchors"]:
        return True                       # "in 2013 security forces ..."
    if re.match(r"\s+[0-9]", after):
        return False
    determined = prev in v["year_determiners"] or prev == "year" or re.search(r"['’]s\s+$", before)
    if not determined and re.match(r"\s+(?:to|and|or)\s+[0-9]", after, re.I):
        return False                      # "from 1990 to 2000 people" already refused as a range
    return not _counts_follow(text, e, strict=not determined)


def _name_before(text: str, s: int) -> bool:
    """Whether a capitalised word that is no anchor precedes offset ``s`` ("Bloody Sunday")."""
    prev = _word_before(text, s)
    return bool(prev[:1].isupper() and prev.lower() not in vocab()["anchors"]
                and _relative(prev) is None)


def _name_after(text: str, e: int) -> bool:
    """Whether a capitalised word other than a month or weekday follows offset ``e``
    ("Sunday Times")."""
    m = _NEXT_WORDS.match(text, e)
    return bool(m and m.group(1)[:1].isupper() and not _month_number(m.group(1))
                and m.group(1).lower() not in vocab()["weekdays"])


# --------------------------------------------------------------------------- resolvers

Resolver = Callable[[re.Match, "date | None", "Interval | None"], Interval]


def _res_iso(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """An ISO date: that day."""
    d = date(int(m["iy"]), int(m["im"]), int(m["id"]))
    return d, d


def _res_date(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A day and month, with or without a year (then the latest one on or before ``pub``)."""
    return _parts_interval(_parts(m["core"]), pub)


def _res_month(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A month, possibly with a year or a relative word ("last November")."""
    return _parts_interval(_parts(m["core"]), pub, _relative(m.groupdict().get("mrel")))


def _res_month_quarter(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """ "the March quarter": the three months ending with that month, in the year written or
    the latest before publication."""
    month = _parts(m["mq"]).month
    if month is None:
        return _NONE
    if m["mqy"]:
        year = int(m["mqy"])
    elif pub is not None:
        year = _latest_month_year(month, pub, None)
    else:
        return _NONE
    return _month_span(year, month - 2)[0], _month_end(year, month)


def _res_year(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A year: 1 January..31 December."""
    return _year_span(int(m["y"]))


def _res_decade(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A decade ("the 1990s"): its first..last year."""
    y = int(m["dec"])
    return date(y, 1, 1), date(y + 9, 12, 31)


def _res_year_pair(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """An abbreviated year range ("2019-20"): start of the first..end of the second year."""
    ya = int(m["ya"])
    yb = ya // 100 * 100 + int(m["yb"])
    if yb <= ya:
        yb += 100
    return date(ya, 1, 1), date(yb, 12, 31)


def _range_sides(m: re.Match) -> tuple[_Parts, _Parts] | None:
    """The two ends of a range, each completed from the other, or None if not a date range."""
    gd = m.groupdict()
    xs = next((gd[k] for k in ("x1", "x2", "x3", "x4", "x5") if gd.get(k)), None)
    ys = next((gd[k] for k in ("y1", "y2", "y3", "y4", "y5") if gd.get(k)), None)
    if xs is None or ys is None:
        return None
    x, y = _parts(xs), _parts(ys)
    if x.month is None and x.day is not None:       # "9 and 12 August"
        if not (y.day and y.month and y.day_first):
            return None
        x.month = y.month
    elif y.month is None and y.day is not None:     # "August 9-12", "March 3 to 5, 2020"
        if not (x.day and x.month and not x.day_first):
            return None
        y.month = x.month
    if x.month is None and y.month is None and not (x.year and y.year):
        return None
    if (x.month is None) != (y.month is None) and (x.year is None or y.year is None):
        return None                                  # "2019 to March", "March to 2020"
    if not (_day_valid(x) and _day_valid(y)):
        return None
    return x, y


def _res_range(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A range between two dates, months or years; a missing year comes from the other end,
    else from the publication date (the latest start on or before it)."""
    sides = _range_sides(m)
    if sides is None:
        return _NONE
    x, y = sides
    if x.year is None and y.year is None:
        if pub is None:
            return _NONE
        yx = pub.year if _first(x, pub.year) <= pub else pub.year - 1
        yy = yx if _last(y, yx) >= _first(x, yx) else yx + 1
    else:
        yx = x.year if x.year is not None else y.year
        yy = y.year if y.year is not None else x.year
        if x.year is None and _first(x, yx) > _last(y, yy):
            yx -= 1                                  # "December to February 2021"
        elif y.year is None and _last(y, yy) < _first(x, yx):
            yy += 1
    start, end = _first(x, yx), _last(y, yy)
    return (start, end) if start <= end else _NONE


def _season_bounds(name: str, y: int) -> Interval:
    """The meteorological season ``name`` that starts in year ``y``."""
    a, b = vocab()["seasons"][name.lower()]
    if a <= b:
        return date(y, a, 1), _month_end(y, b)
    return date(y, a, 1), _month_end(y + 1, b)


def _res_season_year(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A season of a given year ("the summer of 1988"); winter 2019 is Dec 2019..Feb 2020."""
    return _season_bounds(m["sn"], int(m["sy"]))


def _res_season(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A season relative to publication: "this/last/next summer", or a bare "in the summer"
    (the latest such season that began on or before publication)."""
    if pub is None:
        return _NONE
    rel = _relative(m["srel"])
    name = m["sn"]
    if rel is None:
        y = pub.year if _season_bounds(name, pub.year)[0] <= pub else pub.year - 1
        return _season_bounds(name, y)
    a, b = vocab()["seasons"][name.lower()]
    current = pub.year - 1 if a > b and pub.month <= b else pub.year
    return _season_bounds(name, current + rel)


def _container(s: str, pub: date | None) -> tuple[Interval, str] | None:
    """The year or month a period is part of ("2019", "March 2020", "this year"), with its kind."""
    low = " ".join(s.lower().split())
    words = low.split()
    if words[-1] in ("year", "month"):
        if pub is None:
            return None
        rel = _relative(" ".join(words[:-1])) if len(words) > 1 else 0
        if words[:-1] == ["the"]:
            rel = 0
        if rel is None:
            return None
        if words[-1] == "year":
            return _year_span(pub.year + rel), "year"
        return _month_span(pub.year, pub.month + rel), "month"
    p = _parts(s)
    iv = _parts_interval(p, pub)
    if iv[0] is None:
        return None
    return iv, ("year" if p.month is None else "month")


def _slice(cont: Interval, kind: str, ordinal: int, n: int, unit: str) -> Interval:
    """Part ``ordinal`` (1-based; -1 = last) of ``n`` units of a year or month."""
    cs, ce = cont
    unit = unit.rstrip("s")
    if unit in ("half", "quarter"):
        parts = vocab()["period_units"][unit]
        k = parts if ordinal == -1 else ordinal
        if k > parts:
            return _NONE
        if kind == "year":
            size = 12 // parts
            return _month_span(cs.year, (k - 1) * size + 1)[0], _month_span(cs.year, k * size)[1]
        if unit == "half":
            mid = cs + timedelta(days=14)
            return (cs, mid) if k == 1 else (mid + timedelta(days=1), ce)
        return _NONE
    if unit == "month":
        if kind != "year" or n * max(ordinal, 1) > 12:
            return _NONE
        first = 12 - n + 1 if ordinal == -1 else (ordinal - 1) * n + 1
        return _month_span(cs.year, first)[0], _month_span(cs.year, first + n - 1)[1]
    length = 7 * n if unit == "week" else n
    if ordinal == -1:
        return max(cs, ce - timedelta(days=length - 1)), ce
    start = cs + timedelta(days=length * (ordinal - 1))
    if start > ce:
        return _NONE
    return start, min(ce, start + timedelta(days=length - 1))


def _res_period(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A part of a year or month: "the first half of 2019", "the first six months of 2021",
    "Q3 2020", "the last week of March"."""
    if m["q"]:
        cont = _container(m["qy"], pub)
        unit = "quarter" if m["q"][0] in "Qq" else "half"
        return _slice(cont[0], "year", int(m["q"][1]), 1, unit) if cont else _NONE
    cont = _container(m["cont"], pub)
    if cont is None:
        return _NONE
    ordinal = vocab()["ordinals"][m["ord"].lower()]
    n = _number(m["num"]) if m["num"] else 1
    return _slice(cont[0], cont[1], ordinal, n or 1, m["unit"].lower())


def _res_weekday(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """A weekday: the latest one on or before publication ("last": strictly before,
    "next": strictly after)."""
    if pub is None:
        return _NONE
    wd = vocab()["weekdays"][m["wd"].lower()]
    rel = _relative(m["wrel"])
    if rel == 1:
        d = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
    elif rel == -1:
        d = pub - timedelta(days=(pub.weekday() - wd) % 7 or 7)
    else:
        d = pub - timedelta(days=(pub.weekday() - wd) % 7)
    return d, d


def _res_relday(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """"today", "yesterday", "last night" ...: the publication date shifted by whole days."""
    if pub is None:
        return _NONE
    d = pub + timedelta(days=vocab()["relative_days"][" ".join(m["rd"].lower().split())])
    return d, d


def _res_relunit(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """"this year", "last month", "next week", "so far this year", "later this month"."""
    if pub is None:
        return _NONE
    rel = _relative(m["urel"]) or 0
    unit = m["unit"].lower()
    if unit == "year":
        s, e = _year_span(pub.year + rel)
    elif unit == "month":
        s, e = _month_span(pub.year, pub.month + rel)
    else:
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=rel)
        s, e = (monday, monday + timedelta(days=6)) if unit == "week" else \
            (monday + timedelta(days=5), monday + timedelta(days=6))
    mode = " ".join((m["sofar"] or m["sofar2"] or "").lower().split())
    if mode in vocab()["later_words"]:
        return max(s, pub), e
    if mode:
        return s, min(e, pub)
    return s, e


def _res_ago(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """"two years ago", "a week ago": the day, week, month or year that far before publication."""
    n = _number(m["an"])
    if pub is None or n is None:
        return _NONE
    unit = m["aunit"].lower().rstrip("s")
    if unit == "day":
        d = pub - timedelta(days=n)
        return d, d
    if unit == "week":
        d = pub - timedelta(weeks=n)
        monday = d - timedelta(days=d.weekday())
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return _month_span(pub.year, pub.month - n)
    return _year_span(pub.year - n * (10 if unit == "decade" else 1))


def _res_same_period(m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """"the same period last year": the previous resolved expression, a year earlier (or moved
    to the year given: "the same period of 2019"); unresolved without one."""
    if ctx is None or ctx[0] is None or ctx[1] is None:
        return _NONE
    k = int(m["spy"]) - ctx[0].year if m["spy"] else -1
    return _shift_years(ctx[0], k), _shift_years(ctx[1], k)


# --------------------------------------------------------------------------- checks

Check = Callable[[str, re.Match], bool]


def _ok(text: str, m: re.Match) -> bool:
    """No check beyond the pattern."""
    return True


def _check_date(text: str, m: re.Match) -> bool:
    """The day exists, and a yearless "May 5" is not followed by what 5 counts."""
    p = _parts(m["core"])
    if not _day_valid(p):
        return False
    # "the October 6 celebrations": after "the", a plural noun names what the date is of
    named = re.search(r"\bthe\s+$", text[max(0, m.start() - 5):m.start()], re.I) is not None
    return p.year is not None or not _counts_follow(text, m.end(), strict=not named)


def _check_range(text: str, m: re.Match) -> bool:
    """Both ends form a date range, and a final year is not followed by a counted noun."""
    if _range_sides(m) is None:
        return False
    return not (text[m.end() - 1].isdigit() and _counts_follow(text, m.end(), strict=False))


def _check_month(text: str, m: re.Match) -> bool:
    """A bare month needs an anchor ("in", "since", "early") or a relative word ("last")."""
    return bool(m["pre"] or m["mrel"])


def _check_year(text: str, m: re.Match) -> bool:
    """The digits are used as a year (see ``_year_ok``)."""
    return _year_ok(text, m.start("y"), m.end("y"))


def _check_year_pair(text: str, m: re.Match) -> bool:
    """A "2019-20" pair: a span of at most ten years, not a count."""
    ya = int(m["ya"])
    yb = ya // 100 * 100 + int(m["yb"])
    yb = yb + 100 if yb <= ya else yb
    return yb - ya <= 10 and _year_ok(text, m.start("ya"), m.end())


def _check_season(text: str, m: re.Match) -> bool:
    """A season needs a year, an anchor or a relative word, and must not be part of a name
    ("the Arab Spring")."""
    if "sy" not in m.groupdict() and not (m["pre"] or m["srel"]):
        return False
    return not (m["sn"][0].isupper() and _name_before(text, m.start("sn")))


def _check_weekday(text: str, m: re.Match) -> bool:
    """A weekday is not recurring ("every Friday") nor part of a name ("Bloody Sunday")."""
    if _word_before(text, m.start("wd")).lower() in ("every", "each"):
        return False
    if m["pre"] or m["wrel"]:
        return True
    return not (_name_before(text, m.start("wd")) or _name_after(text, m.end()))


def _check_relunit(text: str, m: re.Match) -> bool:
    """"the last year" / "over the past month" are durations, not the calendar unit."""
    return _word_before(text, m.start()).lower() != "the"


# --------------------------------------------------------------------------- rules

@dataclass(frozen=True, eq=False)
class _Need:
    """A pattern every match of a rule contains, and ``words``: lower-case strings one of which
    an ASCII text holds, once lower-cased, wherever the pattern occurs in it (a test far cheaper
    than a search, made first; none: no such test)."""

    rx: re.Pattern
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Rule:
    """One kind of time expression: its pattern, how to check a match, how to resolve it."""

    kind: str
    rx: re.Pattern
    resolve: Resolver
    check: Check = _ok
    needs: tuple[_Need, ...] = ()         # each must occur in a text the rule can match at all
    core: re.Pattern | None = None        # ``rx`` without its optional prefix PRE


@cache
def _rules() -> tuple[_Rule, ...]:
    """The patterns, most specific first (the order breaks ties between equal spans)."""
    p = _pieces()
    v = vocab()
    pd = _pd(p)
    year = p["YEAR"]
    cont = (rf"(?:(?:the\s+year\s+)?{year}|{p['MONTH']}(?:,?\s+{year})?"
            rf"|(?:{p['REL']}|the)\s+(?:year|month))")
    shifts = _alt(v["same_period_shifts"])
    to_date = _alt(v["to_date_words"] + v["later_words"])
    specs: list[tuple[str, str, Resolver, Check]] = [
        ("iso", r"(?<![\w-])(?P<iy>(?:19|20)[0-9]{2})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12][0-9]|3[01])(?![\w-])",
         _res_iso, _ok),
        ("range", rf"(?:between\s+(?P<x1>{pd})\s+and\s+(?P<y1>{pd})"
                  rf"|from\s+(?P<x2>{pd})\s+(?:to|until|till|through|thru)\s+(?P<y2>{pd})"
                  rf"|(?P<x3>{pd})(?:\s*[-–—]\s*|\s+(?:to|through|until|till)\s+)(?P<y3>{pd})"
                  rf"|(?P<x4>{p['DAY']})\s+and\s+(?P<y4>{p['DAY']}\s+(?:of\s+)?{p['MONTH']}(?:,?\s+{year})?)"
                  rf"|(?P<x5>{p['MONTH_FULL']})\s+and\s+(?P<y5>{p['MONTH_FULL']}(?:,?\s+{year})?))",   # "July and August (2024)"
         _res_range, _check_range),
        ("date", rf"(?:(?:the\s+)?{p['PART']}\s+of\s+)?(?:{p['WD']},?\s+)?"
                 rf"(?:(?:the\s+)?{p['DAY']}\s+(?:of\s+)?{p['MONTH']}|{p['MONTH']}\s+(?:the\s+)?{p['DAY']})"
                 rf"(?:,?\s+{year})?",
         _res_date, _check_date),
        ("period", rf"(?:(?:the\s+)?(?P<ord>{p['ORD']})\s+(?:(?P<num>{p['NUM']})\s+)?"
                   rf"(?P<unit>half|quarter|months?|weeks?|days?)\s+of\s+(?P<cont>{cont})"
                   rf"|(?P<q>[QH][1-4])(?:\s+of)?\s+(?P<qy>{year}))",
         _res_period, _ok),
        ("month_quarter", rf"the\s+(?P<mq>{p['MONTH_FULL']})\s+quarter(?:\s+(?:of\s+)?(?P<mqy>{year}))?(?!\w)",
         _res_month_quarter, _ok),
        ("same_period", rf"the\s+same\s+{_alt(v['same_period_units'])}\s+"
                        rf"(?:{shifts}|(?:of|in)\s+(?P<spy>{year}))",
         _res_same_period, _ok),
        ("season_year", rf"(?:the\s+)?(?:{p['MOD']})?(?P<sn>{p['SEASON']})(?:\s+of)?,?\s+(?P<sy>{year})",
         _res_season_year, _check_season),
        ("month_year", rf"{p['MONTH']}(?:\s+of)?,?\s+{year}", _res_month, _ok),
        ("decade", rf"(?:the\s+)?(?:{p['MOD']})?(?<![\w$£€#+/])(?P<dec>(?:19|20)[0-9]0)['’]?s(?!\w)",
         _res_decade, _ok),
        ("year_pair", r"(?<![\w$£€#+/])(?<![0-9][.,])(?P<ya>(?:19|20)[0-9]{2})[-–/](?P<yb>[0-9]{2})"
                      r"(?![\w%/-])(?![.,][0-9])",
         _res_year_pair, _check_year_pair),
        ("relunit", rf"(?:(?P<sofar>{to_date})\s+)?(?P<urel>{p['REL']})\s+(?P<unit>year|month|week|weekend)(?!\w)"
                    rf"(?:\s+(?P<sofar2>so\s+far|thus\s+far))?",
         _res_relunit, _check_relunit),
        ("ago", rf"(?<![\w-])(?P<an>{p['NUM']})\s+(?P<aunit>days?|weeks?|months?|years?|decades?)\s+ago(?!\w)",
         _res_ago, _ok),
        ("relday", rf"(?<![\w-])(?P<rd>{_alt(v['relative_days'])})(?![\w-])", _res_relday, _ok),
        ("season", rf"(?:(?P<srel>{p['REL']})\s+|the\s+)?(?P<sn>{p['SEASON']})", _res_season, _check_season),
        ("month", rf"(?:(?P<mrel>{p['REL']})\s+)?{p['MONTH_FULL']}", _res_month, _check_month),
        ("weekday", rf"(?:(?P<wrel>{p['REL']})\s+)?(?P<wd>{p['WD']})(?:\s+(?P<wpart>{p['PART']})(?!\w))?",
         _res_weekday, _check_weekday),
        ("year", rf"(?:the\s+year\s+)?(?P<y>{year})", _res_year, _check_year),
    ]
    needs = _needs()
    # A match's core alone is a match of the core pattern, which is searched much faster than the
    # whole (the optional anchor before it is tried at every position): the last, surest need.
    rules = []
    for kind, core, res, chk in specs:
        bare = re.compile(rf"(?P<core>{core})", re.IGNORECASE)
        rules.append(_Rule(kind, re.compile(rf"{p['PRE']}{bare.pattern}", re.IGNORECASE), res, chk,
                           needs[kind] + (_Need(bare),), bare))
    return tuple(rules)


def _keywords(phrases) -> tuple[str, ...]:
    """Per phrase its longest word, lower-cased: one of them is in any text holding a phrase."""
    return tuple(sorted({max(p.lower().split(), key=len) for p in phrases}))


@cache
def _needs() -> dict[str, tuple[_Need, ...]]:
    """Per rule, cheap patterns that every one of its matches contains (in the characters it
    consumes, not only in its look-arounds): a text missing one cannot hold that rule's
    expressions, and the rule's costly search is skipped. Each is implied by the rule's core."""
    v = vocab()
    digit = _Need(re.compile(r"[0-9]"))
    year = _Need(re.compile(r"(?:19|20)[0-9]{2}"))            # YEAR, and the decade "1990s"
    # Month names are matched capitalised; each full name and abbreviation starts with these.
    months = sorted({w.capitalize()[:3] for w in [*v["months"], *v["month_abbreviations"]]})
    month = _Need(re.compile("|".join(months)))
    weekday = _Need(re.compile(_capitalised(v["weekdays"])))
    season = _Need(re.compile(_alt(v["seasons"]), re.IGNORECASE), _keywords(v["seasons"]))
    units = ("half", "quarter", "month", "week", "day")
    quarters = tuple(f"{q}{n}" for q in "qh" for n in range(1, 5))
    calendar_units = ("year", "month", "week")
    # the two ends of a range are joined by a dash or a word, and the second starts with a
    # digit, "the" and a digit, or a capitalised month or weekday name (case-sensitive there)
    starts = "|".join(months + sorted({w.capitalize()[:3] for w in v["weekdays"]}))
    joint = rf"(?:[-–—]|\s(?i:to|through|until|till|thru|and)\s)\s*(?:[0-9]|(?i:the)\s+[0-9]|{starts})"
    return {
        "iso": (year,),
        # every part of a date has a digit or a month name, and the two parts of a range are
        # apart (a non-digit between them): two such, not one run of digits
        "range": (_Need(re.compile(rf"(?:[0-9]|{'|'.join(months)})[\s\S]*?[^0-9](?:[0-9]|{'|'.join(months)})")),
                  _Need(re.compile(joint))),
        "date": (digit, month),
        "period": (_Need(re.compile("|".join(units) + r"|[QH][1-4]", re.IGNORECASE), units + quarters),),
        "month_quarter": (month, _Need(re.compile(r"quarter", re.IGNORECASE), ("quarter",))),
        "same_period": (_Need(re.compile(r"same", re.IGNORECASE), ("same",)),),
        "season_year": (season, year),
        "month_year": (month, year),
        "decade": (year,),
        "year_pair": (year,),
        "relunit": (_Need(re.compile("|".join(calendar_units), re.IGNORECASE), calendar_units),),
        "ago": (_Need(re.compile(r"ago", re.IGNORECASE), ("ago",)),),
        "relday": (_Need(re.compile(_alt(v["relative_days"]), re.IGNORECASE), _keywords(v["relative_days"])),),
        "season": (season,),
        "month": (month,),
        "weekday": (weekday,),
        "year": (year,),
    }


# --------------------------------------------------------------------------- matching

def _edges_ok(text: str, s: int, e: int) -> bool:
    """The span neither starts nor ends inside a word or number."""
    if s > 0 and text[s - 1].isalnum() and text[s].isalnum():
        return False
    return not (e < len(text) and text[e - 1].isalnum() and text[e].isalnum())


def _accepted(rule: _Rule, text: str, m: re.Match) -> re.Match | None:
    """``m`` if it passes the rule's check, else the longest shorter match from the same start
    that does (so "On 3 March 2000 people" falls back to "On 3 March"), else None."""
    s = m.start()
    while m is not None:
        if _edges_ok(text, m.start(), m.end()) and rule.check(text, m):
            return m
        if m.end() - 1 <= s:
            return None
        m = rule.rx.match(text, s, m.end() - 1)
    return None


@cache
def _pre_reach() -> re.Pattern | None:
    """Matches, at the start of reversed text, as far back as a PRE ending there can start.

    A PRE match holds at most ``n`` characters once each run of whitespace is counted as one
    (``n`` from the PRE pattern with its whitespace runs made single); this consumes ``n`` such
    units, or less where the text ends. None (every search starts where it is asked to) when
    ``n`` cannot be known: the width comes from the ``re`` module's parser, which is not public."""
    one = _pieces()["PRE"].replace(r"\s+", r"\s").replace(r"\s*", r"\s")
    try:
        n = re._parser.parse(one).getwidth()[1]      # the (min, max) width of a pattern
    except (AttributeError, TypeError, re.error):
        return None
    return re.compile(rf"(?:\s+|\S){{0,{n}}}") if n < 1000 else None


def _search(rule: _Rule, text: str, pos: int, hi: int, core: re.Match | None = None) -> re.Match | None:
    """``rule.rx.search(text, pos, hi)``, started where its first match can start at the earliest.

    The leftmost core match, at ``c``, is a match of the rule there (with an empty PRE); a match
    starting before ``c`` has a PRE reaching at least to ``c``, so it starts no further back than
    ``_pre_reach`` goes from ``c``: the search, which tries PRE at every position, starts there.
    ``core``: ``rule.core.search(text, pos, hi)`` when the caller has it."""
    if rule.core is None or _pre_reach() is None:
        return rule.rx.search(text, pos, hi)
    core = core or rule.core.search(text, pos, hi)
    if core is None:
        return None
    c = core.start()
    back = max(pos, c - 200)    # far enough back but past long runs of whitespace
    k = _pre_reach().match(text[back:c][::-1]).end()
    if k == c - back:
        k = c - pos             # all the text looked at was consumed: start at pos
    return rule.rx.search(text, c - k, hi)


def _matches(rule: _Rule, text: str, lo: int, hi: int, core: re.Match | None = None) -> Iterator[re.Match]:
    """The accepted matches of one rule inside text[lo:hi], left to right; ``core``: the first
    match of the rule's core there, when the caller has it."""
    pos = lo
    while pos < hi:
        m = _search(rule, text, pos, hi, core if pos == lo else None)
        if m is None:
            return
        good = _accepted(rule, text, m)
        if good is not None:
            yield good
            pos = max(good.end(), good.start() + 1)
        else:
            pos = m.start() + 1


def _interval(rule: _Rule, m: re.Match, pub: date | None, ctx: Interval | None) -> Interval:
    """The interval one match denotes; "since X" runs from the start of X to publication."""
    try:
        s, e = rule.resolve(m, pub, ctx)
    except (ValueError, OverflowError, KeyError, TypeError):
        return _NONE
    if s is None:
        return _NONE
    pre = " ".join((m["pre"] or "").lower().split())
    if any(pre == a or pre.startswith(a + " ") for a in vocab()["since_anchors"]):
        return s, (pub if pub is not None and pub >= s else None)
    return s, e


def _select(cands: list[tuple[int, int, int, _Rule, re.Match]]) -> list[tuple[int, int, int, _Rule, re.Match]]:
    """Non-overlapping candidates, longest first (then leftmost, then rule order), by start."""
    taken: list[tuple[int, int]] = []
    out = []
    for c in sorted(cands, key=lambda c: (c[0] - c[1], c[0], c[2])):
        if all(c[1] <= s or c[0] >= e for s, e in taken):
            taken.append((c[0], c[1]))
            out.append(c)
    return sorted(out, key=lambda c: c[0])


# --------------------------------------------------------------------------- API

def find_times(text: str, published: str | None, start: int = 0,
               end: int | None = None) -> list[TimeExpr]:
    """Every explicit time expression inside text[start:end], sorted and non-overlapping.

    Offsets are into ``text``; each expression carries its ISO interval (None where it cannot
    be resolved, e.g. a relative expression without a publication date).
    """
    hi = len(text) if end is None else max(0, min(end, len(text)))
    lo = max(0, start)
    pub = _parse_published(published)
    seg = text[lo:hi]
    low = seg.lower() if seg.isascii() else None       # then each need's words are tested first
    present: dict[_Need, re.Match | None] = {}      # each need's first match, or None

    def possible(rule: _Rule) -> bool:
        for need in rule.needs:
            if need not in present:
                present[need] = (need.rx.search(text, lo, hi) if low is None or not need.words
                                 or any(w in low for w in need.words) else None)
            if present[need] is None:
                return False
        return True

    def core(rule: _Rule) -> re.Match | None:
        """The first match of the rule's core, where its last need is the core."""
        return present[rule.needs[-1]] if rule.needs and rule.needs[-1].rx is rule.core else None

    cands = [(m.start(), m.end(), rank, rule, m)
             for rank, rule in enumerate(_rules()) if possible(rule)
             for m in _matches(rule, text, lo, hi, core(rule))]
    out: list[TimeExpr] = []
    period: Interval | None = None     # the latest resolved expression longer than a day
    day: Interval | None = None        # the latest resolved single day
    frame: date | None = None          # the end of the latest expression that writes its year
    for s, e, _, rule, m in _select(cands):
        iv = _interval(rule, m, _reference(rule, m, pub, frame), period or day)
        if iv[1] is not None and _YEAR_WRITTEN.search(m["core"]):
            frame = iv[1]
        if rule.kind != "same_period" and iv[0] is not None and iv[1] is not None:
            if iv[0] == iv[1]:
                day = iv
            else:
                period = iv
        out.append(TimeExpr(s, e, text[s:e], _iso(iv[0]), _iso(iv[1])))
    return [_since_event(text, t, pub, lo) for t in out]


_YEAR_WRITTEN = re.compile(r"(?<![0-9])(?:1[89]|20)[0-9]{2}(?![0-9])")


def _reference(rule: _Rule, m: re.Match, pub: date | None, frame: date | None) -> date | None:
    """The date a yearless day or month is read against: the publication date, or an earlier date
    the sentence wrote out before it ("said on 23 December 2019 that the November protests ..."
    speaks of the November before that statement, not of the one before publication)."""
    if frame is None or rule.kind not in {"date", "month"} or (pub is not None and frame >= pub):
        return pub
    if _YEAR_WRITTEN.search(m["core"]) or m.groupdict().get("mrel"):
        return pub              # "last November" is counted from publication
    return frame


# "since the February 2021 coup", "Since the coup in February 2021", "Since seizing power in
# August 2021", "since its founding in 1981", "since the start of the crackdown on protests in
# 2011": an event dated by the expression, and the interval runs from it to publication.
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:(?:the|its|their|his|her)\s+)?(?:[\w'-]+\s+){0,9}?(?:in\s+)?$", re.I)
_EVENT_AFTER = re.compile(r"\s+[a-z][\w-]*", re.I)


def _since_event(text: str, t: TimeExpr, pub, lo: int) -> TimeExpr:
    """Widen a dated event after "since" into the "since" interval it opens."""
    if t.iso_start is None or t.text.lower().startswith("since"):
        return t
    before = text[max(lo, t.start - 90):t.start]
    m = _SINCE_BEFORE.search(before)
    if m is None or any(c in before[m.start():] for c in ",;."):
        return t
    start = t.start - (len(before) - m.start())
    end = t.end
    if text[start:t.start].strip().lower() in ("since the", "since"):
        after = _EVENT_AFTER.match(text, t.end)          # "since the February 2021 coup"
        end = after.end() if after else end
    until = _iso(pub) if pub else None
    if until is not None and until < t.iso_start:
        until = None          # published before the event: no interval runs backwards
    return TimeExpr(start, end, text[start:end], t.iso_start, until)


def resolve(expr_text: str, published: str | None) -> tuple[str | None, str | None]:
    """The ISO (start, end) interval of one time expression; (None, None) if unresolvable."""
    s = expr_text.strip()
    pub = _parse_published(published)
    for rule in _rules():
        m = rule.rx.fullmatch(s)
        if m:
            iv = _interval(rule, m, pub, None)
            return _iso(iv[0]), _iso(iv[1])
    return None, None
