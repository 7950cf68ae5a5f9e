"""What happened to what a figure counts: killed, executed, arrested, protest, ...

Each category has cue verbs, nouns and phrases (``data/categories.json``). The cue nearest to
the figure in the dependency tree wins: "1,500 protesters were killed" is ``killed`` through the
verb of which the counted noun is the subject, "the number of people executed" through the
participle modifying it, "documented cases of torture" through a noun of the counted phrase.
"""
from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from spacy.tokens import Doc, Token

MAX_DISTANCE = 5
OTHER = "other"
# Verbs that say nothing about what happened to the counted, so the search looks past them.
NEUTRAL_VERBS = {"say", "be", "have", "include", "reach", "rise", "total", "number", "stand",
                 "tell", "report", "add", "estimate", "claim", "count", "record", "believe", "accord"}
# Verbs that settle a figure as "other" even where a noun cue is near ("released 23,184 prisoners").
OTHER_VERBS = {"release", "free", "pardon", "visit", "interview", "help", "rescue", "employ",
               "sign", "resettle", "return", "intercept", "pledge", "raise", "fund", "need"}


@cache
def lexicon() -> dict[str, dict[str, list[str]]]:
    data = json.loads((files("sayso") / "data" / "categories.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@cache
def _cue_index() -> tuple[dict[str, str], dict[str, str], list[tuple[re.Pattern, str]]]:
    verbs, nouns, phrases = {}, {}, []
    for category, cues in lexicon().items():
        for v in cues.get("verbs", []):
            verbs.setdefault(v, category)
        for n in cues.get("nouns", []):
            nouns.setdefault(n, category)
        for p in cues.get("phrases", []):
            phrases.append((re.compile(r"\b" + re.escape(p).replace(r"\ ", r"\s+") + r"\b", re.I), category))
    return verbs, nouns, phrases


def token_category(tok: Token) -> str | None:
    """The category a single token cues, if any ("killed" -> killed, "detentions" -> arrested)."""
    verbs, nouns, _ = _cue_index()
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if tok.pos_ in {"VERB", "AUX"} or tok.tag_ in {"VBN", "VBD", "VBG"}:
        if lemma in OTHER_VERBS:
            return OTHER
        return verbs.get(lemma) or verbs.get(lower)
    if tok.pos_ in {"NOUN", "ADJ", "PROPN"}:
        return nouns.get(lemma) or nouns.get(lower) or nouns.get(lower.rstrip("s"))
    return None


def phrase_hits(doc: Doc) -> dict[int, str]:
    """Token index -> category for multi-word cue phrases found in a parsed sentence."""
    _, _, phrases = _cue_index()
    hits: dict[int, str] = {}
    for rx, category in phrases:
        for m in rx.finditer(doc.text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                hits.setdefault(span.root.i, category)
    return hits


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse."""
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99


def categorize(anchors: list[Token], exclude: set[int] = frozenset()) -> str:
    """The category of a figure whose number/counted tokens are ``anchors``.

    Tokens in ``exclude`` (other figures' numbers) are not read as cues.
    """
    if not anchors:
        return OTHER
    doc = anchors[0].doc
    phrases = phrase_hits(doc)
    best: tuple[int, int, str] | None = None
    for tok in doc:
        if tok.i in exclude:
            continue
        cat = phrases.get(tok.i) or token_category(tok)
        if cat is None:
            continue
        dist = min(tree_distance(a, tok) for a in anchors)
        if tok.i in {a.i for a in anchors}:
            dist = 0.5 if cat != OTHER else dist      # the counted noun itself: "deaths"
        key = (dist, abs(tok.i - anchors[0].i), cat)
        if dist <= MAX_DISTANCE and (best is None or key < best):
            best = key
    return best[2] if best else OTHER

