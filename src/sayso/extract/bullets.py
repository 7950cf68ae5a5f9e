"""List lines that state a figure: "• 3,000 – the number of people executed".

On such a line the words after the dash say what the figure counts (:func:`bullet_head`), or that
it is a rank (:func:`bullet_rank`: "• 2 – the country's place among the worst jailers").
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from sayso.extract import counted
from sayso.extract.figures import Mention
from sayso.extract.parse import Sentence

BULLET_RANK = re.compile(r"\s*[-\u2013\u2014:]\s*(?:\S+\s+){0,3}?((?:world\s+)?(?:ranking|rank|place|position)\b[^,;(]*)", re.I)
BULLETS = {"", "•", "-", "*", "–", "·", "▪", "►", "‣", "◦"}
DASHES = {"-", "–", "—", ":", "=", "--"}


def bullet_rank(sent: Sentence, m: Mention) -> str | None:
    """A list line that states a rank: "• 2 – the country's place among the worst jailers" gives
    the words from the rank noun to the end of the clause."""
    rest = sent.text[m.end - sent.start:]
    hit = BULLET_RANK.match(rest)
    return hit.group(1).strip() if hit and m.qualifier == "exact" else None


def bullet_head(sent: Sentence, m: Mention) -> Token | None:
    """A list line "• 3,000 – the number of people executed": the noun the words after the dash count."""
    line_start = sent.text.rfind("\n", 0, m.start - sent.start) + 1
    if sent.text[line_start:m.start - sent.start].strip() not in BULLETS:
        return None
    after = sent.tokens_in(m.end, sent.end)
    if len(after) < 2 or after[0].text not in DASHES:
        return None
    return counted.first_noun(after[1:])
