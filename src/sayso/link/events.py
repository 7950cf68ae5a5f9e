"""Events: every estimate of the same quantity of the same real-world event, whatever its value.

``assign_events(contexts)`` sets ``figure["event"]`` on every figure: a stable id (``"e1"``,
``"e2"``, … in reading order) shared by the figures of an event of two or more figures, ``None``
for a figure nothing else estimates. Groups (``figure["group"]``, the same value) lie wholly inside
one event: an event is built from groups and lone figures, never splitting a group.

Two figures estimate the same quantity of one event (``same_event(a, b)``, which says why or why
not) when the aspects agree, whatever the values:

1. kind: both counts, percentages, ranks or sums of money (a count and a share of the same people
   are different measures), unless the text ties a share to a count (``tie``): its sentence
   restates one as the other ("86 percent of the cases, or 900 people"), or the count is the
   share of a total its document states ("1,200 children" of "3,000 deaths" and "40 percent of
   the dead were children"). Such a pair is read for category (a fallback one aside: the tie
   says it is one quantity), place, time and phase only (``_across_kinds``): a share's counted
   noun names what it is a share of, and its value is no count's;
2. category: compatible as for groups (``other`` only with the same specific counted noun, a
   missing one, or one that refers back to a stated quantity), and ``other`` only with the same
   value unless it refers back ("fewer than 900 such cases"): nothing says what happened, so two
   sums or counts of different values are as likely two quantities as two estimates of one;
3. place: compatible as for groups (a figure that names none is about its document's country),
   and not a place within a country against that country named as a whole (a city's count is
   a part of the national toll, its own quantity; a figure naming no place may be about the
   city where all of the event happened). A place the registry cannot place, in a document about
   one country, is a locality of that country, and of the known place its sentence puts it in
   ("a hamlet the registry lacks, in Syria's Idlib province": ``stated_parent``);
4. counted: compatible as for groups or both broad (below), and, to link, the counted nouns agree without a generic
   wildcard: both generic ("people", "deaths", or what a category counts in full: the detainees
   of a count of torture in custody) or the same specific head; a sub-count ("16 police
   officers" among "738 people") stands apart. A figure pointing back ("such cases"), or one of
   its document whose noun is elided, agrees with any;
5. time (the period the figure is about, ``event_times``): either unknown; or alike (overlapping
   by half of their union); or a running toll: two periods with the same start ("since 1
   February", reported on different dates), or a count "as of" a date (``data/groups.json``,
   ``events.cumulative_time_cues``: the period up to that date), or a single day after a period
   ends (a later report of the total), or a period covering a third or more of whole months the
   other names ("in July and August": the months only place it). A day inside a longer period, two different days, or a
   short period inside a long one are parts of an event, each its own quantity. A time read in
   the sentence as the onset of the event ("protests that began in early October") makes the
   figure the toll so far; a "since ..." that frames a comparison ("the first toll since 2014")
   or a year in a name ("the 2008 Constitution") says nothing of the period;
6. not an increment on an earlier toll or the rest beside a part ("six more", "the other 23",
   ``events.increment_words``), a change of a toll ("up by 105,000"), or a part of a stated
   quantity ("96 of those", "of those killed, 180", ``events.partitive_words``) against another
   value; and the same phase of the event, or none: a sentence that puts a figure in an ordinal phase ("the
   first wave", "the opening days": ``events.phase_ordinals``, ``events.phase_nouns``) counts that
   part only (not where the phase words are the figure's own dated time: "in the first three
   months of the year", ``figure_phase``);
7. not two different values in one sentence (there they are parts: "54 killed, 30 of them on
   Wednesday") unless the sentence sets them against each other: two parties' values, a party's
   against an unnamed estimate, a value rejected with "not" (``set_against``); not, in one
   document, two values of one voice (a disputed claim is not the document's voice), nor a vague
   quantity below a toll stated for the event ("hundreds of extrajudicial killings" beside
   1,400 killed: ``rough_part``); nor, in one sentence, a vague quantity beside a number it
   covers unless two parties give them (``groups.rough_beside_count``);
8. evidence, in points, as for groups but the value earning none (``aspects.story_points``:
   the same document, names both documents mention, a shared source, place, time, words of the
   sentences; two documents about one and the same day), less a point per order of magnitude
   between the values (``events.magnitude_step``):
   the estimates of one toll seldom differ tenfold. A pair is linked at ``events.link_threshold``.

Events are built by agglomeration, like groups: linked pairs, strongest first (and among equals,
those of precise values before those of a vague quantity), merge two units
(groups or lone figures) only where every figure of one passes tests 1-7 with every figure of
the other, so a chain cannot join a day's toll with the whole period's.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files

from sayso.extract.aliases import default_places
from sayso.link.aspects import (Verdict, categories_compatible, country_of, counted_compatible, interval, places_compatible,
                                specific_agreement, story_points, strict_counted)
from sayso.link.blocking import block_kind, event_pairs
from sayso.link.context import FigureContext
from sayso.link.groups import rough_beside_count
from sayso.link.lexicon import ancestors, lexicon, singular, vocabulary
from sayso.link.values import anchor, value_match


def _settings() -> dict:
    return vocabulary()["events"]


def event_interval(f: dict, published: str | None = None, sentence: str = "") -> tuple[date, date] | None:
    """The period a figure is about, as ``interval``; a count "as of" a date (a cumulative cue of
    ``events.cumulative_time_cues`` opening its time expression) runs from an unknown start. A
    time that is just the day its document was ``published`` says when the figure was stated
    (a dateline, "said on Monday"), not which part of the event it counts: unknown. Where the
    figure's ``sentence`` is given, a time that dates the onset of the event ("protests that began
    in early October": ``onset_time``) makes the figure a running total up to its publication
    date, a cue before a possessive ("by Sunday's blast": ``possessive_time``) makes no count
    "as of" that day, and a time that frames a comparison ("the first official toll since 2014":
    ``comparison_time``) or dates a name ("the 2008 Constitution": ``named_year``) says nothing of
    the period counted: unknown."""
    span = interval(f)
    if span is None or (published and span[0] == span[1] and span[0].isoformat() == published[:10]):
        return None
    text = ((f.get("time") or {}).get("text") or "").strip().lower()
    if sentence and (comparison_time(sentence, text) or named_year(sentence, text)):
        return None
    if sentence and onset_time(sentence, text):
        try:
            return (date.min, date.fromisoformat((published or "")[:10])) if published else None
        except ValueError:
            return None
    if any(text.startswith(cue + " ") for cue in _settings()["cumulative_time_cues"]) and not (
            sentence and possessive_time(sentence, text)):
        return date.min, span[1]
    return span


@lru_cache(maxsize=8192)
def possessive_time(sentence: str, time_text: str) -> bool:
    """Whether a time expression is a possessive in its sentence ("stunned by Sunday's blast",
    "until Friday's vote"): the day names the thing it owns, and a cue before it ("by",
    "until") belongs to the verb, not to a count up to that day."""
    at = sentence.lower().find(time_text) if time_text else -1
    return at >= 0 and re.match(r"['\u2019]s\b", sentence[at + len(time_text):]) is not None


def _before_time(sentence: str, time_text: str, words: int) -> list[str]:
    """The last ``words`` words of ``sentence`` before its time expression ``time_text`` (lowercase),
    within its clause (a comma or semicolon ends the look back); [] where the sentence does not
    hold the expression."""
    at = sentence.lower().find(time_text) if time_text else -1
    if at < 0:
        return []
    before = re.split(r"[,;:()\u2013\u2014]", sentence[:at].lower())[-1]
    return re.findall(r"[a-z]+(?:-[a-z]+)*", before)[-words:]


@lru_cache(maxsize=8192)
def onset_time(sentence: str, time_text: str) -> bool:
    """Whether a figure's time expression dates the onset of its event, not the period counted:
    an ``events.onset_verbs`` verb just before it ("protests that began in early October",
    "unrest that resumed on Friday"). The toll of such an event is the toll so far."""
    before = _before_time(sentence, time_text, 4)
    verbs = set(_settings()["onset_verbs"])
    return any(w in verbs or f"{w} {n}" in verbs for w, n in zip(before, before[1:] + [""]))


@lru_cache(maxsize=8192)
def named_year(sentence: str, time_text: str) -> bool:
    """Whether a time that is a bare year is part of a name in the sentence ("under Article 417 of
    the 2008 Constitution", "the 2022 World Cup"): "the" before it, a capitalised word after it.
    It dates the thing named, not the period the figure counts."""
    if not re.fullmatch(r"\d{4}", time_text):
        return False
    return bool(re.search(rf"\b(?i:the)\s+{time_text}\s+[A-Z][a-z]", sentence))


@lru_cache(maxsize=8192)
def comparison_time(sentence: str, time_text: str) -> bool:
    """Whether a time "since ..." frames a comparison ("the first official toll since 2014", "the
    deadliest day since 2019": an ``events.comparison_words`` word before it in its clause), not
    the period the figure counts."""
    if not time_text.startswith("since "):
        return False
    words = set(_settings()["comparison_words"])
    return any(w in words for w in _before_time(sentence, time_text, 8))


def event_times(a: dict, b: dict, published_a: str | None = None, published_b: str | None = None,
                sentence_a: str = "", sentence_b: str = "") -> tuple[bool, str]:
    """Whether two figures' periods can be the one of an event's toll (rule 5 of the module);
    ``published_*``, ``sentence_*``: their documents' publication dates and their sentences
    (``event_interval``)."""
    ia, ib = event_interval(a, published_a, sentence_a), event_interval(b, published_b, sentence_b)
    if ia is None or ib is None:
        return True, "a time is unknown"
    lo, hi = max(ia[0], ib[0]), min(ia[1], ib[1])
    if hi >= lo:
        overlap = _days(lo, hi)
        union = _days(min(ia[0], ib[0]), max(ia[1], ib[1]))
        if overlap * 2 >= union:
            return True, "alike periods"
    for total, period in ((ia, ib), (ib, ia)):
        if total[0] == date.min and total[1] >= period[0] and _days(*period) > 1:
            return True, "a running total up to a date within or after the other's period"
    slack = timedelta(days=_settings()["same_start_days"])
    da, db = _days(*ia), _days(*ib)
    if da > 1 and db > 1 and abs(_ordinal(ia[0]) - _ordinal(ib[0])) <= slack.days:
        return True, "periods with the same start: a running toll"
    for day, period, d_day, d_period in ((ia, ib, da, db), (ib, ia, db, da)):
        if d_day == 1 and d_period > 1 and period[0] != date.min and day[0] > period[1]:
            return True, "a day after the period: a later report of the total"
        if d_day == 1 and _calendar_year(period) and period[0] <= day[0] <= period[1]:
            return True, "a day within the year the other names: the year only places it"
        if (1 < d_day and _whole_months(period) and period[0] <= day[0] and day[1] <= period[1]
                and d_day * 3 >= d_period):
            return True, "a period covering much of the months the other names: the months only place it"
    return False, "different periods: a part of an event is its own quantity"


def _whole_months(span: tuple[date, date]) -> bool:
    """A period of whole calendar months ("in July and August"), known at both ends."""
    return (span[0] != date.min and span[1] != date.max and span[0].day == 1
            and (span[1] + timedelta(days=1)).day == 1)


def _calendar_year(span: tuple[date, date]) -> bool:
    return span[0].month == 1 and span[0].day == 1 and span[1] == date(span[0].year, 12, 31)


def _ordinal(d: date) -> int:
    return d.toordinal()


def _days(start: date, end: date) -> int:
    """Days from ``start`` to ``end``, both included; an open side counts as very long."""
    if start == date.min or end == date.max:
        return 1 << 20
    return (end - start).days + 1


def _same_sentence(a: FigureContext, b: FigureContext) -> bool:
    return a.doc == b.doc and bool(a.figure.get("sentence")) and a.figure.get("sentence") == b.figure.get("sentence")


def event_compatible(a: FigureContext, b: FigureContext) -> tuple[bool, list[str]]:
    """Tests 1-7 of the module (all but the evidence), with the reasons."""
    return _compatible(a, b, a.doc == b.doc)


def _compatible(a: FigureContext, b: FigureContext, same_doc: bool) -> tuple[bool, list[str]]:
    """``event_compatible``, the document tests (7, and the part and its whole of 3) only where
    ``same_doc``: across documents only what ``_signature`` holds is read."""
    lex = lexicon()
    fa, fb = a.figure, b.figure
    if fa.get("kind") != fb.get("kind"):
        if block_kind(fa.get("kind")) == block_kind(fb.get("kind")):
            return _across_kinds(a, b, same_doc)
        return False, [f"different kinds ({fa.get('kind')}, {fb.get('kind')})"]
    reasons = []
    if lex.fallback in (a.category or lex.fallback, b.category or lex.fallback) and not (
            a.refers_back or b.refers_back or specific_agreement(a, b, lex)):
        return False, [f"category {lex.fallback} without the same specific counted noun ({a.head}, {b.head})"]
    if (lex.fallback in (a.category or lex.fallback, b.category or lex.fallback) and not value_match(fa, fb)[0]
            and not (a.refers_back or b.refers_back)):
        return False, [f"category {lex.fallback} with different values: nothing says what happened, so no "
                       "estimate of one event can be told from another quantity"]
    if frozenset((a.category, b.category)) in _distinct_categories():
        return False, [f"different events ({a.category}, {b.category})"]
    if (increment(a) or increment(b)) and not value_match(fa, fb)[0]:
        return False, ["one counts an increment on an earlier toll (\"more\", \"another\"), not the toll"]
    if (partitive(a) or partitive(b)) and not value_match(fa, fb)[0]:
        return False, ["one counts a part of a quantity already stated (\"96 of those\"), not the whole"]
    pa, pb = figure_phase(a), figure_phase(b)
    if pa != pb:
        return False, [f"one counts a phase of the event ({pa or pb}), the other not the same: a part is its own quantity"]
    for ok, why in (categories_compatible(a, b, lex), event_places(a, b, same_doc), event_counted(a, b),
                    event_times(fa, fb, a.published, b.published, a.sentence, b.sentence)):
        reasons.append(why)
        if not ok:
            return False, reasons
    if same_doc and rough_beside_count(a, b) and not _named_apart(a, b):
        return False, reasons + ["a vague quantity beside a number in one sentence, not set against it by "
                                 "another party: a rough whole and a count"]
    if same_doc and not value_match(fa, fb)[0]:
        if rough_part(a, b) or rough_part(b, a):
            return False, reasons + ["in one document, a vague quantity below a number stated for the event: "
                                     "a rough part of it (\"hundreds of them\"), not a rival estimate"]
        va, vb = claimants(a), claimants(b)
        named_apart = _named_apart(a, b)
        if earlier_value(a) or earlier_value(b):
            return True, reasons + ["an earlier value of one running quantity (\"up from\")"]
        if _same_sentence(a, b) and not (named_apart or set_against(a, b)):
            return False, reasons + ["different values in one sentence, not set against each other by two "
                                     "parties: parts of an event"]
        if not named_apart and not (bool(va) != bool(vb)) and _rejected(a) == _rejected(b):
            return False, reasons + ["one voice gives two values in one document: two quantities"]
    return True, reasons


def _across_kinds(a: FigureContext, b: FigureContext, same_doc: bool) -> tuple[bool, list[str]]:
    """``_compatible`` for a share and a count (kinds of one ``block_kind``): in one document, only
    where the text ties them (``tie``); and categories compatible (a fallback one passes: the tie
    says what the quantity is), places, times and phases as for any pair."""
    lex = lexicon()
    if same_doc and tie(a, b) is None:
        return False, ["a share and a count of one document that its text does not tie: two quantities"]
    ca, cb = a.category or lex.fallback, b.category or lex.fallback
    reasons = []
    if lex.fallback not in (ca, cb):
        ok, why = categories_compatible(a, b, lex)
        reasons.append(why)
        if not ok or frozenset((ca, cb)) in _distinct_categories():
            return False, reasons
    pa, pb = figure_phase(a), figure_phase(b)
    if pa != pb:
        return False, reasons + [f"one counts a phase of the event ({pa or pb}), the other not the same"]
    for ok, why in (event_places(a, b, same_doc),
                    event_times(a.figure, b.figure, a.published, b.published, a.sentence, b.sentence)):
        reasons.append(why)
        if not ok:
            return False, reasons
    return True, reasons


def tie(a: FigureContext, b: FigureContext) -> str | None:
    """Why a share (a percentage) and a count are one quantity, as the text says; None where
    nothing ties them (or they are not a share and a count). Either their sentence restates one as
    the other (``restates``), or the count is, within ``events.share_tolerance`` percentage points,
    the share of a total stated in either's document (``share_base``)."""
    share, count = (a, b) if a.figure.get("kind") == "percent" else (b, a)
    if share.figure.get("kind") != "percent" or count.figure.get("kind") != "count":
        return None
    if _same_sentence(share, count) and restates(share, count):
        return "the sentence restates the share as the count"
    base = share_base(share, count)
    if base is not None:
        return f"the count is the share of {base:g}, a total its document states"
    return None


def restates(share: FigureContext, count: FigureContext) -> bool:
    """Whether a sentence restates a share as a count, or a count as a share, next to each other:
    "86 percent of the cases, or 900 people", "1,200 people, about 40 percent of the town" (the
    first figure, its counted phrase of at most ``events.restatement_gap_words`` words and no
    number, then a parenthesis or a dash, or a comma and an ``events.restatement_words`` word, or
    a bare comma before a share that names its whole). Not a share of the count just stated ("40
    people, 20 percent of them children": ``partitive_words``), nor a change ("300 people, 20
    percent more": ``events.share_change_words``), nor a share above 100."""
    span = _share_range(share)
    at_s, at_c = _offset(share), _offset(count)
    if span is None or span[1] > 100 or at_s < 0 or at_c < 0:
        return False
    end_s = at_s + len(share.figure.get("text") or "")
    if _partitive_pattern().match(share.sentence, end_s) and at_c < at_s:
        return False
    after = re.findall(r"[a-z]+", share.sentence[end_s:end_s + 20].lower())[:1]
    if after and after[0] in _settings()["share_change_words"]:
        return False
    first, second = (share, count) if at_s < at_c else (count, share)
    gap = _restatement_pattern().fullmatch(share.sentence[_offset(first) + len(first.figure.get("text") or ""):
                                                          _offset(second)])
    if not gap or len(gap.group(1).split()) > _settings()["restatement_gap_words"]:
        return False
    # a bare comma needs the share to name its whole after it ("1,200 people, 40 percent of the
    # town"): "a survey of 800 women, 60 percent said" gives a share of the count
    names_whole = first is count and re.match(r"\s+of\b", share.sentence[end_s:]) is not None
    return bool(gap.group(3)) or gap.group(2) != "," or names_whole


@lru_cache(maxsize=1)
def _restatement_pattern() -> re.Pattern:
    """The text between a share and a count that restate each other: a counted phrase without
    numbers (1), a comma, a parenthesis or a dash (2), and a restatement word (3), if any."""
    words = "|".join(sorted(map(re.escape, _settings()["restatement_words"]), key=len, reverse=True))
    return re.compile(rf"([^,;:.()\d\u2014\u2013]*?)\s*(,|\(|\u2014|\u2013|--)\s*(?:({words})\s+)?",
                      re.IGNORECASE)


def _share_range(m: FigureContext) -> tuple[float, float] | None:
    """The values a share may have: (low, high); None where it has none."""
    v = m.figure.get("value") or {}
    low, high = v.get("low"), v.get("high")
    if low is None and high is None:
        return None
    return (low if low is not None else high), (high if high is not None else low)


def share_base(share: FigureContext, count: FigureContext) -> float | None:
    """The total a count is the share of: a count of the same category (not the fallback one)
    stated in the count's or the share's document, above the count, of which the count is the
    share's percentage within ``events.share_tolerance`` points; the count's counted noun must be
    specific and name what the share counts (its head the share's own, or a word of the share's
    sentence: "40 percent of the dead were children"). None where there is none."""
    lex = lexicon()
    n, cat, span = anchor(count.figure), count.figure.get("category"), _share_range(share)
    if not n or span is None or not cat or cat == lex.fallback:
        return None
    if not count.head or count.head in lex.generic or not (
            specific_agreement(share, count, lex) or count.head in _singular_words(share.sentence)):
        return None
    tolerance = _settings()["share_tolerance"]
    bases = count.doc_counts + (share.doc_counts if share.doc != count.doc else ())
    for value, category in bases:
        if category == cat and value and value > n and span[0] - tolerance <= 100 * n / value <= span[1] + tolerance:
            return value
    return None


@lru_cache(maxsize=8192)
def _singular_words(sentence: str) -> frozenset:
    return frozenset(singular(w) for w in re.findall(r"[a-z]+", sentence.lower()))


def _named_apart(a: FigureContext, b: FigureContext) -> bool:
    """Two figures whose claimants are both known and different parties."""
    va, vb = claimants(a), claimants(b)
    return bool(va and vb and not va & vb)


def rough_part(a: FigureContext, b: FigureContext) -> bool:
    """Whether ``a`` is a vague quantity whose whole span lies below ``b``'s value (``values``'
    ``vague_span``): "hundreds of extrajudicial killings" beside "at least 1,400 killed". A rough
    word above a number ("dozens of deaths" beside 21) may be a rival rough estimate."""
    if a.figure.get("qualifier") != "vague" or b.figure.get("qualifier") == "vague":
        return False
    low, x = (a.figure.get("value") or {}).get("low"), anchor(b.figure)
    return low is not None and x is not None and low * vocabulary()["values"]["vague_span"] <= x


def claimants(m: FigureContext) -> frozenset:
    """Who a figure is the claim of: its voices (``context.voices``); for a figure only disputed
    ("the ministry denies that 40 percent ..."), the unnamed party whose claim is disputed, which
    is not the document's own voice."""
    if m.voices:
        return m.voices
    disputers = sorted((s.get("name") or "").lower() for s in m.figure.get("sources") or []
                       if s.get("role") == "disputes")
    return frozenset([f"a claim disputed by {', '.join(disputers)}"]) if disputers else frozenset()


def _rejected(m: FigureContext) -> bool:
    """Whether a figure is a value its sentence rejects for another ("occupancy is 143 percent, not
    212 percent", "rather than 40"): an ``events.contrast_words`` phrase just before it."""
    start = _offset(m)
    return start > 0 and _rejected_after(m.sentence[max(0, start - 40):start])


@lru_cache(maxsize=8192)
def _rejected_after(before: str) -> bool:
    """``_rejected`` on the text just before a number."""
    words = " ".join(re.findall(r"[a-z]+", before.lower())[-3:])
    return any(words == w or words.endswith(" " + w) for w in _settings()["contrast_words"])


def set_against(a: FigureContext, b: FigureContext) -> bool:
    """Two values of one sentence set against each other: one a party's (``claimants``), the other
    the document's own or an unnamed estimate ("at least 817 were killed, the report said, while
    other estimates put the toll at more than 1,000"), or one rejected for the other ("143 percent,
    not 212 percent": ``_rejected``); neither a vague quantity ("dozens of
    journalists have been jailed, and the union says 29 are behind bars" gives a part beside a
    rough whole)."""
    if "vague" in (a.figure.get("qualifier"), b.figure.get("qualifier")):
        return False
    return bool(claimants(a)) != bool(claimants(b)) or _rejected(a) != _rejected(b)


def _countries(m: FigureContext) -> tuple[frozenset, bool]:
    """The countries a figure may be about, and whether its own sentence says so: its place's
    country (a place the registry cannot place stands for itself), else its document's main
    country, else the countries its document names."""
    place = (m.figure.get("place") or "").strip().lower()
    if place:
        c = country_of(place)
        if c and m.doc_country and c != m.doc_country:
            # a place abroad in a document about one country is often where the figure was
            # stated (a dateline, a UN office), not what it is about: either may be meant
            return frozenset([c, m.doc_country]), False
        if c:
            return frozenset([c]), True
        if m.doc_country:       # a locality the registry does not know (``_within_country``)
            return frozenset([m.doc_country]), True
    if m.doc_country:
        return frozenset([m.doc_country]), False
    return m.doc_countries, False


def event_places(a: FigureContext, b: FigureContext, same_doc: bool | None = None) -> tuple[bool, str]:
    """Whether two figures can be about one place (rule 3): places equal or one within the other;
    else their countries (a figure's own, else its document's) must meet. Within one document, a
    figure about a named country and one about none are a part and its whole."""
    fa, fb = a.figure, b.figure
    pa, pb = (fa.get("place") or "").strip().lower(), (fb.get("place") or "").strip().lower()
    (ca, own_a), (cb, own_b) = _countries(a), _countries(b)
    for part, whole, m in ((pa, pb, a), (pb, pa, b)):
        within = _within_country(part, m.doc_country)
        if within and whole == within:
            return False, f"{part} is a part of {within}: a local count is its own quantity, not the country's toll"
    if pa and pb:
        ok, same, why = places_compatible(fa, fb)
        if ok:
            return True, why
        for m, part, other in ((a, pa, pb), (b, pb, pa)):
            parent = stated_parent(m)
            if parent and (parent == other or other in ancestors(parent, lexicon())):
                return True, f"{part} lies in {other}, as its sentence says"
        if own_a and own_b:
            return False, why
    if same_doc is None:
        same_doc = a.doc == b.doc
    if same_doc and ((own_a and not pb and not b.doc_country) or (own_b and not pa and not a.doc_country)):
        return False, "in one document, one is about a named country, the other about none: maybe a part and its whole"
    if not ca or not cb or ca & cb:
        return True, "the same country, or one unknown"
    return False, f"about different countries ({', '.join(sorted(ca))}; {', '.join(sorted(cb))})"


def stated_parent(m: FigureContext) -> str | None:
    """Where the registry cannot place a figure's place, the known place its sentence says it
    lies in ("the shelling of a hamlet in Syria's Idlib province": idlib),
    lowercase; else None. A village the registry does not know is then a part of that region,
    not a place apart from it."""
    place = (m.figure.get("place") or "").strip()
    if not place or not m.sentence or country_of(place.lower()):
        return None
    return _parent_in(m.sentence, place)


@lru_cache(maxsize=8192)
def _parent_in(sentence: str, place: str) -> str | None:
    at = sentence.lower().find(place.lower())
    if at < 0:
        return None
    link = re.match(r",?\s+(?:in|near|outside)\s+(?:the\s+|[A-Z][\w-]*['\u2019]s\s+)?", sentence[at + len(place):])
    if not link:
        return None
    where = at + len(place) + link.end()
    return next((name.lower() for start, _, name in default_places().find(sentence) if start == where), None)


def increment(m: FigureContext) -> bool:
    """Whether a figure counts an increment on an earlier toll, or the rest beside a stated part:
    its counted phrase opens with an ``events.increment_words`` word ("six more protesters",
    "other people"), or one stands just before its number ("another 40 people", "the other 23
    deaths"), or an ``events.difference_words`` word does ("revised the toll up by 105,000")."""
    start = _offset(m)
    return _increment(m.figure.get("counted") or "", m.sentence[max(0, start - 24):start] if start > 0 else "")


@lru_cache(maxsize=8192)
def _increment(counted: str, before: str) -> bool:
    """``increment`` on a counted phrase and the text just before the number."""
    words = frozenset(_settings()["increment_words"])
    first = counted.strip().lower().split()[:1]
    if first and first[0] in words:
        return True
    last = re.findall(r"[a-z]+", before.lower())[-1:]
    return bool(last) and (last[0] in words or last[0] in _settings()["difference_words"])


def _offset(m: FigureContext) -> int:
    """Where a figure's text starts in its sentence (-1 where it cannot be found)."""
    f = m.figure
    return _offset_in(m.sentence, (f.get("start") or 0) - ((f.get("sentence") or {}).get("start") or 0),
                      f.get("text") or "")


@lru_cache(maxsize=65536)
def _offset_in(sentence: str, start: int, text: str) -> int:
    if not text:
        return -1
    if not (0 <= start and sentence[start:start + len(text)] == text):
        start = sentence.find(text)
    return start


def partitive(m: FigureContext) -> bool:
    """Whether a figure counts a part of a quantity already stated: its number is followed by "of"
    and an ``events.partitive_words`` word ("96 of those detainees", "nine of them"), or such a
    phrase comes before it in its sentence ("Of those killed, 180 were children", "12 percent of
    those killed, or about 180 people")."""
    start = _offset(m)
    return start >= 0 and _partitive_at(m.sentence, start, len(m.figure.get("text") or ""))


@lru_cache(maxsize=65536)
def _partitive_at(sentence: str, start: int, length: int) -> bool:
    pattern = _partitive_pattern()
    if pattern.match(sentence, start + length):
        return True
    # a fronted one ("Of those killed, 180"), not the part of another number ("19 of them, and 400")
    return any(not _number_before().search(sentence, 0, m.start() + 1) for m in pattern.finditer(sentence[:start]))


@lru_cache(maxsize=1)
def _number_before() -> re.Pattern:
    """A number ending the text before a partitive phrase: digits or an ``events.part_owner_words`` word."""
    words = "|".join(map(re.escape, _settings()["part_owner_words"]))
    return re.compile(rf"(?:\d|\b(?:{words}))\s*$", re.IGNORECASE)


def earlier_value(m: FigureContext) -> bool:
    """Whether a figure is an earlier value of the quantity stated beside it: an
    ``events.earlier_value_words`` phrase just before its number ("up from 87,000")."""
    start = _offset(m)
    if start <= 0:
        return False
    before = " ".join(re.findall(r"[a-z]+", m.sentence[max(0, start - 30):start].lower())[-3:])
    return any(before == w or before.endswith(" " + w) for w in _settings()["earlier_value_words"])


@lru_cache(maxsize=1)
def _partitive_pattern() -> re.Pattern:
    words = "|".join(map(re.escape, _settings()["partitive_words"]))
    return re.compile(rf"(?:^|\s+|\b)of\s+(?:{words})\b", re.IGNORECASE)


def figure_phase(m: FigureContext) -> str | None:
    """The phase of its event a figure counts (``phase`` of its sentence), unless the phase words
    lie inside the figure's own time expression and that resolves to dates ("in the first three
    months of the year": a calendar period, which the time test compares)."""
    time = m.figure.get("time") or {}
    return phase(m.sentence, (time.get("text") or "") if interval(m.figure) is not None else "")


@lru_cache(maxsize=8192)
def phase(sentence: str, time_text: str = "") -> str | None:
    """The ordinal phase of an event a sentence puts its figures in ("first wave", "second round",
    "opening days": ``events.phase_ordinals`` then, a word apart at most, ``events.phase_nouns``),
    singular and lowercase; None where it names none, or where the words lie inside ``time_text``
    (a figure's dated time expression)."""
    found = _phase_pattern().search(sentence or "")
    if not found or (time_text and found.group(0).lower() in time_text.lower()):
        return None
    return f"{found.group(1).lower()} {singular(found.group(2).lower())}"


@lru_cache(maxsize=1)
def _phase_pattern() -> re.Pattern:
    e = _settings()
    words = lambda xs: "|".join(sorted(map(re.escape, xs), key=len, reverse=True))  # noqa: E731
    return re.compile(rf"\b({words(e['phase_ordinals'])})\s+(?:[a-z-]+\s+)?({words(e['phase_nouns'])})\b",
                      re.IGNORECASE)


def _within_country(place: str, doc_country: str | None = None) -> str | None:
    """The country a place below the country level lies in ("aleppo" -> "syria"); None for a
    country. A place the registry cannot place, in a document mostly about one country
    (``doc_country``), is taken to lie in it (a district, a town: the registry knows the
    countries, not every locality)."""
    c = country_of(place) if place else None
    if c is None and place and doc_country:
        return doc_country
    return c if c and c != place else None


@lru_cache(maxsize=1)
def _distinct_categories() -> frozenset:
    """Categories groups may join (one number, two words) that name different events where the
    values differ (``events.distinct_categories``)."""
    return frozenset(frozenset(pair) for pair in _settings()["distinct_categories"])


@lru_cache(maxsize=1)
def _broad() -> frozenset:
    """Counted heads that, for an event, say no more than "people" (``events.broad_counted``,
    and the plural demonyms of the countries)."""
    places = json.loads((files("sayso") / "data" / "places.json").read_text(encoding="utf-8"))
    words = set(_settings()["broad_counted"])
    words.update(w for forms in places.get("_demonyms", {}).values() for w in forms[1:])
    return frozenset(singular(w.lower()) for w in words)


def event_counted(a: FigureContext, b: FigureContext) -> tuple[bool, str]:
    """Test 4: counted nouns compatible as for groups, or both as broad as "people" for an
    event's toll (``_broad_or_generic``: "protesters" and "martyrs" killed in one uprising)."""
    ok, why = counted_compatible(a, b)
    if not ok and _broad_or_generic(a) and _broad_or_generic(b):
        return True, f"broad counted nouns ({a.head}, {b.head})"
    return ok, why


def _broad_or_generic(m: FigureContext) -> bool:
    """A counted noun as broad as "people" for an event's toll: missing, generic, broad (for any
    category or for the figure's), a people's name; or a conjunction one of whose heads is
    ("protesters and bystanders": with everyone, the union is everyone)."""
    lex = lexicon()
    broad = _broad() | _broad_for(m.category)
    return (not m.head or _proper(m) or any(h in lex.generic or h in broad for h in m.heads or (m.head,)))


@lru_cache(maxsize=64)
def _broad_for(category: str | None) -> frozenset:
    """Counted heads that name everyone a category counts (``events.broad_by_category``: the
    detainees of a count of torture in custody), singularised."""
    return frozenset(singular(w.lower()) for w in _settings()["broad_by_category"].get(category or "", ()))


def _counted_agree(a: FigureContext, b: FigureContext) -> bool:
    """Counted nouns that name the same people without a generic wildcard (``strict_counted``),
    a broad noun ("protesters", "martyrs", or one that names everyone a category counts:
    ``events.broad_by_category``) counting as generic; or one of them points back to a quantity
    already stated ("such cases"); or, within one document, one has no counted noun at all (it
    was elided: "occupancy is 143 percent", which the text around it tells)."""
    if a.refers_back or b.refers_back:
        return True
    if a.doc == b.doc and (not a.head or not b.head):
        return True
    return (_broad_or_generic(a) and _broad_or_generic(b)) or strict_counted(a, b, lexicon())


def _proper(m: FigureContext) -> bool:
    """A counted noun headed by a proper name ("Uyghurs", "Rohingya"): a people, as broad as
    "people" for the toll of an event that befell it."""
    words = re.findall(r"[A-Za-z][\w'-]*", re.split(r"\b(?:of|in|who|that|which|for|from|among|at|on|with)\b",
                                                  m.figure.get("counted") or "")[0])
    return bool(words) and words[-1][0].isupper()


def _years_apart(a: str | None, b: str | None) -> int:
    """Whole years between two publication dates (0 where either is unknown)."""
    try:
        da, db = date.fromisoformat(a or ""), date.fromisoformat(b or "")
    except ValueError:
        return 0
    return abs((da - db).days) // 365


def _magnitudes(a: dict, b: dict) -> int:
    """Orders of magnitude (``events.magnitude_step``) between two figures' values, whole."""
    x, y = anchor(a), anchor(b)
    if not x or not y:
        return 0
    ratio = max(abs(x), abs(y)) / min(abs(x), abs(y))
    return int(math.log(ratio) / math.log(_settings()["magnitude_step"])) if ratio > 1 else 0


def same_event(a: FigureContext | dict, b: FigureContext | dict, explain: bool = True,
               compatible: bool | None = None) -> Verdict:
    """Whether two figures estimate the same quantity of one event; ``Verdict.reasons`` says why.

    Figures may be given as dicts (taken to come from two different documents) or as
    ``FigureContext``s (``sayso.link.context.contexts``). ``compatible``: the outcome of
    ``event_compatible`` where the caller knows it already."""
    a = a if isinstance(a, FigureContext) else FigureContext.of(a, doc="a")
    b = b if isinstance(b, FigureContext) else FigureContext.of(b, doc="b")
    lex = lexicon()
    if compatible is None or explain:
        ok, reasons = event_compatible(a, b)
    else:
        ok, reasons = compatible, []
    if not ok:
        return Verdict(False, reasons)
    across_kinds = a.figure.get("kind") != b.figure.get("kind")
    tied = tie(a, b) if across_kinds else None
    if across_kinds and tied is None:
        return Verdict(False, reasons + ["a share and a count that the text does not tie: two quantities"],
                       compatible=True)
    if not across_kinds and not _counted_agree(a, b):
        return Verdict(False, reasons + [f"counted nouns do not name the same people ({a.head}, {b.head}): "
                                         "maybe a part and its whole"], compatible=True)
    same_place = places_compatible(a.figure, b.figure, a.doc_country, b.doc_country)[1]
    both_times = interval(a.figure) is not None and interval(b.figure) is not None
    points, why = story_points(a, b, same_place, both_times, lex, with_value=False, explain=explain)
    e = _settings()
    ia, ib = interval(a.figure), interval(b.figure)
    if ia is not None and ia == ib and ia[0] == ia[1] and a.doc != b.doc:
        points += e["same_day"]
        if explain:
            why.append(f"both about one day ({ia[0].isoformat()})")
    (ca, _), (cb, _) = _countries(a), _countries(b)
    if len(ca) == 1 and ca == cb:
        points += e["same_country"]
        if explain:
            why.append(f"both about {next(iter(ca))}")
    gap = _years_apart(a.published, b.published)
    if gap and not both_times:
        points -= e["years_apart"] * gap
        if explain:
            why.append(f"documents published {gap} year(s) apart")
    if a.doc == b.doc:
        # one document states different values of one quantity where two named parties give them
        # (a conflict it reports); else they are often different quantities (a part, another day)
        points += e["same_document"] - vocabulary()["evidence"]["same_document"]
        va, vb = claimants(a), claimants(b)
        if (va and vb and not va & vb) or _rejected(a) != _rejected(b):
            points += e["named_apart"]
            if explain:
                why.append("two parties' values set against each other")
    if tied:
        points += e["tie_points"]
        if explain:
            why.append(tied)
    apart = 0 if across_kinds else _magnitudes(a.figure, b.figure)
    points -= apart * _settings()["magnitude_points"]
    need = _settings()["link_threshold"]
    if explain:
        if apart:
            why.append(f"values {apart} order(s) of magnitude apart")
        reasons.append(f"evidence {points} ({'; '.join(why) or 'none'})")
        if points < need:
            reasons.append(f"below the event threshold ({need})")
    return Verdict(points >= need, reasons, compatible=True, points=points)



def _signature(m: FigureContext) -> tuple:
    """What ``event_compatible`` reads of a figure beyond its document: figures with one
    signature pass or fail the same tests against another document's figures."""
    return (m.figure.get("kind"), m.category, m.head, m.counted, (m.figure.get("place") or "").strip().lower(),
            m.doc_country, m.doc_countries, event_interval(m.figure, m.published, m.sentence), _proper(m),
            figure_phase(m), partitive(m), increment(m), m.refers_back, stated_parent(m))


class _Unit:
    """Figures merged so far (a group, a lone figure, or an event in the making): its distinct
    signatures (one figure each) and its figures by document, so that checking a merge compares
    signatures across documents and figures only within a document."""

    def __init__(self, first: FigureContext):
        self.members = [first]
        self.signatures = {_signature(first): first}
        self.by_doc = {first.doc: [first]}

    def add(self, m: FigureContext) -> None:
        self.members.append(m)
        self.signatures.setdefault(_signature(m), m)
        self.by_doc.setdefault(m.doc, []).append(m)

    def absorb(self, other: "_Unit") -> None:
        for m in other.members:
            self.add(m)


def _mergeable(a: _Unit, b: _Unit, across: dict) -> bool:
    """Every figure of ``a`` passes tests 1-7 with every figure of ``b``."""
    for sa, x in a.signatures.items():
        for sb, y in b.signatures.items():
            key = (sa, sb)
            if key not in across:
                across[key] = _compatible(x, y, same_doc=False)[0]
            if not across[key]:
                return False
    for doc in a.by_doc.keys() & b.by_doc.keys():
        if not all(event_compatible(x, y)[0] for x in a.by_doc[doc] for y in b.by_doc[doc]):
            return False
    return True


def cluster_events(ms: list[FigureContext], joined=None) -> list[list[FigureContext]]:
    """Events of two or more figures, in reading order; each group (``figure["group"]``) whole.
    ``joined(i, j)``, where given, is called on every linked pair (merged or not)."""
    rep_of: dict[int, int] = {}               # figure index -> its unit's first figure index
    units: dict[int, _Unit] = {}
    first_of_group: dict[str, int] = {}
    for m in ms:
        g = m.figure.get("group")
        rep = first_of_group.setdefault(g, m.index) if g else m.index
        rep_of[m.index] = rep
        if rep in units:
            units[rep].add(m)
        else:
            units[rep] = _Unit(m)
    links = []
    across: dict[tuple, bool] = {}            # signature pairs tested across documents
    signature = {m.index: _signature(m) for m in ms}
    for a, b in event_pairs(ms, _settings()["max_days_apart"]):
        if rep_of[a.index] == rep_of[b.index]:
            continue
        ok = None
        if a.doc != b.doc:
            key = (signature[a.index], signature[b.index])
            if key not in across:
                across[key] = _compatible(a, b, same_doc=False)[0]
            ok = across[key]
            if not ok:
                continue
        v = same_event(a, b, explain=False, compatible=ok)
        if v.same:
            if joined is not None:
                joined(a.index, b.index)
            # among links of equal strength, those of precise values first: a vague quantity
            # ("dozens") is the weaker tie
            rough = (a.figure.get("qualifier") == "vague") + (b.figure.get("qualifier") == "vague")
            links.append((-v.points, rough, min(a.index, b.index), max(a.index, b.index)))
    links.sort()
    apart: set[tuple[int, int]] = set()       # units found incompatible
    for _, _, i, j in links:
        ra, rb = sorted((rep_of[i], rep_of[j]))
        if ra == rb or (ra, rb) in apart:
            continue
        if not _mergeable(units[ra], units[rb], across):
            apart.add((ra, rb))
            continue
        for m in units[rb].members:
            rep_of[m.index] = ra
        units[ra].absorb(units.pop(rb))
    return sorted((sorted(u.members, key=lambda x: x.index) for u in units.values() if len(u.members) > 1),
                  key=lambda u: u[0].index)


def group_categories(ms: list[FigureContext]) -> None:
    """Every figure of a group takes the category its group's figures name most, ``other``
    aside (one quantity has one category: "the 19 figure" in a group of tolls is a toll, and
    "30,000 executed" beside "30,000 massacred" is one count of one event)."""
    fallback = lexicon().fallback
    named: dict[str, Counter] = {}
    for m in ms:
        if m.figure.get("group") and m.category and m.category != fallback:
            named.setdefault(m.figure["group"], Counter())[m.category] += 1
    for m in ms:
        if m.figure.get("group") in named:
            m.category = named[m.figure["group"]].most_common(1)[0][0]


def assign_events(ms: list[FigureContext], joined=None) -> None:
    """Set ``figure["event"]`` on the figures of ``ms`` (groups already set): ``"e1"``, ``"e2"``, …
    numbered in reading order, ``None`` for a figure no other figure estimates; ``joined`` as for
    ``cluster_events``."""
    group_categories(ms)
    for m in ms:
        m.figure["event"] = None
    for n, event in enumerate(cluster_events(ms, joined), start=1):
        for m in event:
            m.figure["event"] = f"e{n}"
