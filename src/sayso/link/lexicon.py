"""The vocabulary of linking (``data/groups.json``) and the word forms every linking job compares:
counted nouns singularised, sentence words stemmed, and the lexicon built from the vocabulary
(generic and synonym counted nouns, contrast classes, stop words, the categories' cue words,
places within places, compatible categories)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Mapping

HEDGED = {"approx", "at_least", "at_most"}


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """The vocabulary (``data/groups.json``), read once per process."""
    return json.loads((files("sayso") / "data" / "groups.json").read_text(encoding="utf-8"))


def singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def stem(word: str) -> str:
    """A crude stem, enough to match "received" with "receive" and "killings" with "killing"."""
    word = singular(word)
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[:-len(suffix)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def noun_phrase(text: str) -> str:
    """A noun phrase in a comparable form: lowercase words, each singularised."""
    return " ".join(singular(w) for w in WORD.findall(text.lower()))


@dataclass(frozen=True)
class Lexicon:
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
    referring: frozenset            # determiners by which a counted noun points back ("such cases")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    v = vocabulary()
    c = v["counted"]
    synonym_of = {}
    for i, group in enumerate(c["synonyms"]):
        for w in group:
            synonym_of[noun_phrase(w)] = i
    classes: dict[str, dict[str, str]] = {}
    for dim, table in c["classes"].items():
        if dim.startswith("_"):
            continue
        for cls, words in table.items():
            for w in words:
                classes.setdefault(noun_phrase(w), {})[dim] = cls
    cues = set()
    try:   # the categories' cue words and the attribution verbs say nothing about which event
        cats = json.loads((files("sayso") / "data" / "categories.json").read_text(encoding="utf-8"))
        for name, table in cats.items():
            if name.startswith("_") or not isinstance(table, dict):
                continue
            cues.add(stem(name))
            for key in ("verbs", "phrases", "nouns"):
                for cue in table.get(key, []):
                    cues.update(stem(w) for w in WORD.findall(cue.lower()))
        verbs = json.loads((files("sayso") / "data" / "cues.json").read_text(encoding="utf-8"))
        for key in ("source", "confirms", "disputes"):
            cues.update(stem(w) for cue in verbs.get(key, []) for w in WORD.findall(cue.lower()))
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
    return Lexicon(
        modifiers=frozenset(noun_phrase(w) for w in c["modifiers"]),
        generic=frozenset(noun_phrase(w) for w in c["generic"]),
        synonym_of=synonym_of,
        classes=classes,
        stopwords=frozenset(stem(w) for w in v["stopwords"]),
        cue_stems=frozenset(cues),
        parents=parents,
        compatible_categories=frozenset(pairs),
        fallback=v["categories"]["fallback"],
        countries=countries,
        referential=frozenset(noun_phrase(w) for w in c["referential"]),
        referring=frozenset(w.lower() for w in c["referring"]),
    )


# --- places within places ----------------------------------------------------------------

def ancestors(place: str, lex: Lexicon) -> list[str]:
    """``place`` (lowercase) and the places it lies within, nearest first, through ``place_parents``."""
    out, p = [place], place
    while p in lex.parents and len(out) < 8:
        p = lex.parents[p]
        out.append(p)
    return out


def country_of(place: str | None) -> str | None:
    """The country a place lies in (itself for a country), through ``place_parents``; lowercase."""
    if not place:
        return None
    lex = lexicon()
    for p in ancestors(place.strip().lower(), lex):
        if p in lex.countries:
            return p
    return None
