"""Attributions a document makes in its lead rather than in a sentence: the agency of a
dateline ("DUBAI, Dec 24 (Reuters) -"), which reports the article's own-voice figures, and a
headline's source ("... killed: rights commission", "... protests - KNCHR", "Ruto says 19 ...",
"..., finds UN report"). Plain text in, character spans out; naming the party is the entity
layer's job (:mod:`sayso.link.entities`).
"""
from __future__ import annotations

import re

# A lead "CITY[, Region][, Mon D] (Agency) -" (or "D Mon", or a date alone: "May 3 (Agency) -")
# at the start of a line near the top; the bracket
# holds no digit, so "GENEVA (4 March 2021) -" names no agency.
# The city is in capitals ("DUBAI", "NEW YORK"), or followed by a date ("Geneva, Switzerland, Feb 12"):
# "Amnesty International (AI) - ..." opens no dateline.
_PLACE_WORDS = r"[A-Z][\w.'\u2019-]*(?:[ \t]+[A-Z][\w.'\u2019-]*){0,3}"
_CAPS_WORDS = r"[A-Z][A-Z.'\u2019-]+(?:[ \t]+[A-Z][A-Z.'\u2019-]+){0,3}"
_DATE = r"(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}|\d{1,2}[ \t]+[A-Za-z]{3,9}\.?)"   # "Dec 24", "3 mar"
DATELINE = re.compile(
    rf"^[ \t]*(?:{_CAPS_WORDS}(?:,[ \t]*{_PLACE_WORDS}){{0,2}}(?:,?[ \t]+{_DATE})?[ \t]*"
    rf"|{_PLACE_WORDS}(?:,[ \t]*{_PLACE_WORDS}){{0,2}},?[ \t]+{_DATE}[ \t]*|{_DATE}[ \t]*)?"
    r"\(([A-Z][^()\d\n]{0,40}?)\)[ \t]*\.?[ \t]*[-\u2013\u2014]", re.M)
LEAD_CHARS = 1500          # a dateline opens the article: its first lines only

# A name in a headline: capitalised words, with the small words names hold.
_NAME = r"[A-Z][\w'\u2019.&-]*(?:[ \t]+(?:(?:of|for|on|the|and|de|del)[ \t]+)*[A-Z][\w'\u2019.&-]*){0,6}"
_HEAD_VERBS = r"(?i:says|said|reports|finds|warns|claims|estimates|confirms)"
HEADLINE_PATTERNS = (
    # "... people injured: Rights Commission", "... killed: rights group", "... protests - KNCHR"
    re.compile(rf"(?:[ \t][-\u2013\u2014][ \t]*(?P<name>{_NAME})|:[ \t]*(?P<low>[a-zA-Z][\w'\u2019.&-]*(?:[ \t]+[\w'\u2019.&-]+){{0,4}}))[ \t]*$"),
    # "... died during demos - Ruto says, pledges ...", "..., UNHCR says"
    re.compile(rf"(?:^|[:,]|[ \t][-\u2013\u2014])[ \t]*(?P<name>{_NAME})[ \t]+{_HEAD_VERBS}\b"),
    # "..., monitor says", "..., rights group says": a description the text names below
    re.compile(rf",[ \t]*(?P<low>(?:[a-z][\w'\u2019-]*[ \t]+){{0,2}}[a-z][\w'\u2019-]*)[ \t]+{_HEAD_VERBS}[ \t]*$"),
    # "..., finds UN report"
    re.compile(rf",[ \t]*{_HEAD_VERBS}[ \t]+(?P<name>{_NAME})(?:[ \t]+(?:report|study|survey|data))?[ \t]*$"),
    # "Human rights: 300 martyrs ..."
    re.compile(rf"^[ \t]*(?P<name>{_NAME}(?:[ \t]+[a-z]+)?):[ \t]"),
)
HEADLINE_MAX = 160         # longer lines are body text


def dateline_agency(text: str) -> tuple[int, int] | None:
    """The span of the agency a dateline near the top of the text names, or None."""
    m = DATELINE.search(text, 0, min(len(text), LEAD_CHARS))
    if m is None:
        return None
    return m.start(1), m.end(1)


def dateline_reach(text: str, agency_start: int) -> int:
    """Where the text a dateline governs begins: the top of the text where only headline lines
    come before the dateline, else the dateline's own line (a wire dispatch reposted below an
    outlet's own article reports only what follows it)."""
    line_start = text.rfind("\n", 0, agency_start) + 1
    before = [line for line in text[:line_start].splitlines() if line.strip()]
    return 0 if all(is_headline(line) for line in before) else line_start


def line_at(text: str, offset: int) -> tuple[int, int]:
    """The line (between line breaks) that holds an offset."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, (len(text) if end < 0 else end)


def is_headline(line: str) -> bool:
    """A line that reads as a headline: short, not a sentence that ends in a full stop."""
    words = line.strip()
    return bool(words) and len(words) <= HEADLINE_MAX and not re.search(r"[.!?][\"'\u201d\u2019]?$", words)


def headline_source(text: str, offset: int) -> tuple[int, int] | None:
    """The span of the party a headline attributes its figures to, for a figure at ``offset``
    on a headline line; None where the line is no headline or names no one."""
    start, end = line_at(text, offset)
    line = text[start:end]
    if not is_headline(line):
        return None
    for pattern in HEADLINE_PATTERNS:
        m = pattern.search(line)
        group = "name" if m and m.groupdict().get("name") else "low"
        if m and not (m.start(group) <= offset - start < m.end(group)):
            return start + m.start(group), start + m.end(group)
    return None


def speaks_after(text: str, end: int) -> bool:
    """Whether a headline's name is followed by a verb of saying ("Iran says ...")."""
    return bool(re.match(rf"[ \t]+{_HEAD_VERBS}\b", text[end:end + 20]))


def is_topic_label(text: str, span: tuple[int, int]) -> bool:
    """Whether a headline's span is the label that opens it before a colon ("Port strikes: ...",
    "Human rights: ..."): a topic, which names a party only where the document names one by it."""
    start, _ = line_at(text, span[0])
    return not text[start:span[0]].strip() and text[span[1]:span[1] + 2].lstrip(" \t").startswith(":")
