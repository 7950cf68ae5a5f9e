"""A figure with what linking needs to know about it (``FigureContext``): its document, the
content words of its sentence, the names its document mentions, the country its document is
about, the head of its counted noun, who states it. ``contexts(records, texts)`` makes one per
figure of a batch of records, in reading order."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from sayso.extract.aliases import default_aliases, default_places
from sayso.link.lexicon import WORD, country_of, lexicon, noun_phrase, stem, vocabulary
from sayso.link.values import anchor, significant_digits


@dataclass
class FigureContext:
    """A figure of a record, with its document and the words of its sentence."""

    key: str                        # "doc/fid"
    doc: str
    index: int                      # reading order over the batch
    figure: dict
    sentence: str = ""
    words: frozenset = frozenset()  # content stems of the sentence
    doc_names: frozenset = frozenset()   # sources and places named anywhere in the document
    doc_country: str | None = None  # the country most of the document's places lie in, if any
    doc_countries: frozenset = frozenset()   # the countries its document names twice or more (else once)
    doc_home: str | None = None          # the country its document is most about, where it has no main one (blocking)
    published: str | None = None         # its document's publication date (YYYY-MM-DD)
    category: str | None = None          # what happened: the figure's, or (events) its group's
    refers_back: bool = False            # its counted noun points back to a quantity ("the figure", "such cases")
    head: str | None = None         # the counted noun's head, singularised
    heads: frozenset = frozenset()  # the heads of its conjuncts ("countries and territories"), head included
    counted: str | None = None      # the counted phrase, normalised
    sources: frozenset = frozenset()     # the names of its sources (any role), lowercase
    voices: frozenset = frozenset()      # who states it: sources and confirmers, lowercase
    digits: int = 0                      # significant digits of its value
    component: int | None = None         # its linked set (corpus.link_block): the index of its first figure
    doc_counts: tuple = ()               # its document's counts: (value, category), the totals a share may be of

    @classmethod
    def of(cls, figure: dict, doc: str = "", index: int = 0, text: str | None = None,
           doc_names: Iterable[str] = (), doc_country: str | None = None,
           doc_countries: Iterable[str] = ()) -> "FigureContext":
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
                doc_country=doc_country.lower() if doc_country else None,
                doc_countries=frozenset(c.lower() for c in doc_countries), head=head, counted=counted)
        m.heads = _conjunct_heads(figure.get("counted"), head)
        m.category = figure.get("category")
        m.refers_back = _refers_back(figure.get("counted"), head)
        m.words = _content_words(sentence, figure, m)
        m.sources = frozenset(source_names(figure) | state_voices(source_names(figure), m.doc_country))
        m.voices = frozenset(voices(figure))
        m.digits = significant_digits(figure)
        return m


def _counted_head(counted: str | None) -> tuple[str | None, str | None]:
    """("documented cases of torture", "case"): the normalised phrase and its head word."""
    if not counted:
        return None, None
    lex = lexicon()
    phrase = noun_phrase(re.split(r"\b(?:of|in|who|that|which|for|from|among|at|on|with)\b", counted.lower())[0])
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


def _conjunct_heads(counted: str | None, head: str | None) -> frozenset:
    """The heads of the conjuncts of a counted phrase ("countries and territories": country,
    territory), its own head included; a phrase of one conjunct has its head only."""
    if not head:
        return frozenset()
    phrase = re.split(r"\b(?:of|in|who|that|which|for|from|among|at|on|with)\b", counted.lower())[0]
    out = {head}
    for part in re.split(r"\s*(?:,|\band\b|\bor\b)\s*", phrase)[:-1]:
        if part.strip():
            out.add(_counted_head(part)[1] or head)
    return frozenset(out)


def _refers_back(counted: str | None, head: str | None) -> bool:
    """A counted noun that points back to a quantity already stated: a referential noun ("the
    112,713 figure", "the total"), or one opened by a referring determiner ("such cases")."""
    lex = lexicon()
    if head in lex.referential:
        return True
    words = WORD.findall((counted or "").lower())
    return bool(words) and words[0] in lex.referring


def _content_words(sentence: str, figure: dict, m: FigureContext) -> frozenset:
    if not sentence:
        return frozenset()
    lex = lexicon()
    said = " ".join([figure.get("counted") or ""] + [f"{x.get('name') or ''} {x.get('text') or ''}"
                                                    for x in figure.get("sources") or []])
    own = {stem(w) for w in WORD.findall(said.lower())}   # the counted noun and who says it
    out = set()
    for w in WORD.findall(sentence.lower().replace("\u2019", "'")):
        s = stem(w)
        if len(s) < 3 or s in lex.stopwords or s in own or s in lex.cue_stems:
            continue
        out.add(s)
    return frozenset(out)



def voices(f: dict) -> set[str]:
    """Who states a figure: its sources and confirmers (not who disputes it), lowercase."""
    return {(s.get("name") or "").lower() for s in f.get("sources") or []
            if s.get("name") and s.get("role") != "disputes"}


def source_names(f: dict) -> set[str]:
    return {(s.get("name") or "").lower() for s in f.get("sources") or [] if s.get("name")}


def state_voices(names: Iterable[str], doc_country: str | None) -> set[str]:
    """The state each source of a government body speaks for, as "government of <country>":
    the country its name gives ("Interior Ministry of Kelvania"), else its document's main one;
    nothing for other sources. Lowercase names in, lowercase names out."""
    words = tuple(vocabulary()["state_voices"]["words"])
    out = set()
    for name in names:
        if not name.startswith(words):
            continue
        parts = name.split(" of ")
        country = next((c for c in (country_of(" of ".join(parts[i:])) for i in range(1, len(parts))) if c), None) \
            or doc_country
        if country:
            out.add(f"government of {country.lower()}")
    return out


def _texts(records: Sequence[dict], texts) -> list[str | None]:
    if texts is None:
        return [r.get("text") for r in records]
    if isinstance(texts, Mapping):
        return [texts.get((r.get("document") or {}).get("id")) or r.get("text") for r in records]
    return [t if t is not None else r.get("text") for t, r in zip(texts, records)]


def contexts(records: Sequence[dict], texts=None) -> list[FigureContext]:
    """Every figure of the records as a ``FigureContext``, in reading order. ``texts``: the documents'
    texts, a list parallel to ``records`` or a mapping from document id (default: a record's own
    ``text`` key, as in a gold set); without a text the sentence's words are not used."""
    out = []
    for r, text in zip(records, _texts(records, texts)):
        doc = (r.get("document") or {}).get("id") or ""
        places = _places_in(text) if text else []
        names = _orgs_in(text) | set(places) if text else set()
        country = _main_country(places)
        countries = _named_countries(places)
        home = country or _home_country(places, r.get("figures") or [])
        counts = doc_counts(r.get("figures") or [])
        for f in r.get("figures") or []:
            names |= source_names(f)
            if f.get("place"):
                names.add(f["place"])
        for q in r.get("quotes") or []:
            if q.get("speaker"):
                names.add(q["speaker"])
        for f in r.get("figures") or []:
            m = FigureContext.of(f, doc=doc, index=len(out), text=text, doc_names=names, doc_country=country,
                                 doc_countries=countries)
            m.published = (r.get("document") or {}).get("published")
            m.doc_home = home
            m.doc_counts = counts
            out.append(m)
    return out


def doc_counts(figures: Sequence[dict]) -> tuple:
    """The counts of a document's figures with a value: (value, category) each, in reading order."""
    return tuple((anchor(f), f.get("category")) for f in figures
                 if f.get("kind") == "count" and anchor(f) is not None)


def _orgs_in(text: str) -> set[str]:
    """Organisations the text names (the builtin registry), canonical names."""
    return {name for _, _, name in default_aliases().find(text)}


def _places_in(text: str) -> list[str]:
    """Places the text names (the builtin registry), canonical names, one per mention."""
    return [name for _, _, name in default_places().find(text)]


def _named_countries(places: list[str]) -> set[str]:
    """The countries a document's place mentions lie in: those named twice or more, else all."""
    counts: dict[str, int] = {}
    for p in places:
        c = country_of(p)
        if c:
            counts[c] = counts.get(c, 0) + 1
    often = {c for c, n in counts.items() if n >= 2}
    return often or set(counts)


def _home_country(places: list[str], figures: list[dict]) -> str | None:
    """The country a document without a main one is most about: the one most of its figures'
    places lie in, else the one its text names most often (a tie goes to the first country named
    as a country, not through a city: a dateline or a UN seat is seldom what a report is about)."""
    for counts in (_country_counts(f.get("place") for f in figures), _country_counts(places)):
        if counts:
            top = max(counts.values())
            best = [c for c, n in counts.items() if n == top]
            if len(best) == 1:
                return best[0]
            named = [c for c in (p.strip().lower() for p in places) if c in best]
            if named:
                return named[0]
    return None


def _country_counts(places) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in places:
        c = country_of(p)
        if c:
            counts[c] = counts.get(c, 0) + 1
    return counts


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
