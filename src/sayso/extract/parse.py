"""Sentences and selective parsing.

The dependency parser is the hot path, so a document is split into sentences with cheap rules
(line breaks, then sentence-final punctuation as spaCy's tokenizer sees it) and only the
sentences a stage asks for are run through the full pipeline. Each parsed sentence is its own
spaCy ``Doc``; ``Sentence.start`` maps its token offsets back into the document text.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Iterable

import spacy
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sayso.model import DEFAULT_MODEL

_LINE = re.compile(r"[^\n]+")
# A wire dateline opening a paragraph: "CAIRO, Sept 8 (Newswire) - ", "April 12 (Wire) - ",
# "GENEVA (4 March 2021) - ", "Lima, Peru, May 3 (Wire).- ".
DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z .'\u2019-]+,\s*)?[^\n]{0,40}?\((?:[A-Z][\w .-]{1,30}|\d{1,2}\s+[A-Z][a-z]+\.?(?:,?\s+\d{4})?)\)\.?\s*[-\u2013\u2014]+\s"
                      r"|^\s*[A-Z][A-Z .'\u2019-]{2,},[^\n]{0,40}?[-\u2013\u2014]+\s")
BULLET_MARKS = "\u2022\u25aa\u2023\u25e6\u00b7\u25ba\u25cf"
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace
# and a token that can open a sentence.
_SENT_END = re.compile(r"""(?<=[.!?])["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[]?[A-Z0-9\u00c0-\u024f•])""")
# A quotation mark glued between a sentence end and the next sentence's first letter:
# '...will go on."Yesterday, ...' — it closes the sentence before or opens the one after.
_GLUED_QUOTE = re.compile(r"""(?<=[.!?])["\u201c\u201d](?=[A-Z\u00c0-\u024f])""")
# Abbreviations that end with a period without ending the sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Capt|Sgt|St|Mt|Jr|Sr|Rev|Gov|Sen|Rep|No|Nos|Art|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|est|Inc|Ltd|Co|Corp)"
    r"|\b[A-Z]|\b(?:[A-Za-z]\.){1,}[A-Za-z])\.[\"'\u201d\u2019)\]]*$"
)
_ABBREV_REACH = 40          # how far back from a full stop an abbreviation is looked for
MAX_SENTENCE = 2000         # characters: a longer run without a sentence end is cut at spaces


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    doc: Doc | None = field(default=None, repr=False)
    _token_bounds: tuple | None = field(default=None, repr=False, compare=False)

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
        starts, ends = self._bounds()
        i = bisect_right(ends, rel)
        return self.doc[i] if i < len(starts) and starts[i] <= rel else None

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """The parsed tokens overlapping document offsets [start, end)."""
        if self.doc is None:
            return []
        starts, ends = self._bounds()
        first = bisect_right(ends, start - self.start)
        last = bisect_left(starts, end - self.start)
        doc = self.doc
        return [doc[i] for i in range(first, last)]

    def _bounds(self) -> tuple[list[int], list[int]]:
        """Start and end offsets (in the sentence) of the parsed tokens, both ascending."""
        if self._token_bounds is None or self._token_bounds[0] is not self.doc:
            rows = self.doc.to_array([IDX, LENGTH]).tolist() if len(self.doc) else []
            self._token_bounds = (self.doc, [s for s, _ in rows], [s + n for s, n in rows])
        return self._token_bounds[1], self._token_bounds[2]


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
        for cut in _cuts(text, line, start):
            if cut <= start or _ABBREV.search(text[max(start, cut - _ABBREV_REACH):cut]):
                continue
            out.extend(_strip(text, start, cut))
            start = cut
        out.extend(_strip(text, start, line.end()))
    return out


def _cuts(text: str, line: re.Match, start: int) -> list[int]:
    """Offsets where a sentence of the line may end: after its final punctuation and closing
    quotes before a space, or at a quotation mark glued to the next sentence (after it where it
    closes a quotation, before it where it opens one)."""
    offset = line.start()
    cuts = [offset + m.end() for m in _SENT_END.finditer(line.group(), start - offset)]
    for m in _GLUED_QUOTE.finditer(line.group(), start - offset):
        mark, at = m.group(), offset + m.start()
        last = max([c for c in cuts if c <= at], default=start)
        closes = mark == "\u201d" or (mark == '"' and text.count('"', last, at) % 2 == 1)
        cuts.append(at + 1 if closes else at)
    return sorted(set(cuts))


def _strip(text: str, start: int, end: int) -> list[Sentence]:
    """The sentence between start and end without surrounding space or a list bullet; one
    longer than MAX_SENTENCE (a text with no sentence ends) comes in pieces cut at spaces."""
    while start < end and (text[start].isspace() or text[start] in BULLET_MARKS):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > MAX_SENTENCE:
        return _pieces(text, start, end)
    return [Sentence(start, end, text[start:end])] if end > start else []


def _pieces(text: str, start: int, end: int) -> list[Sentence]:
    """``text[start:end]`` in pieces of at most MAX_SENTENCE characters, each cut at the last
    space before the limit (or at the limit where there is none)."""
    out = []
    while end - start > MAX_SENTENCE:
        cut = text.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        out.extend(_strip(text, start, cut))
        start = cut
    return out + _strip(text, start, end)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@lru_cache(maxsize=4)
def load_pipeline(name: str = DEFAULT_MODEL) -> Language:
    """Load an installed spaCy pipeline once per process, with its rule components sped up
    (:func:`speed_up`; same annotations)."""
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ValueError(f"spaCy pipeline {name!r} is not installed: {exc}") from None
    return speed_up(nlp)


# Token attributes a fast attribute-ruler pattern may test, as Doc.to_array columns.
_RULER_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE", "ORTH", "POS")


def speed_up(nlp: Language) -> Language:
    """Make the pipeline's rule components cheaper without changing what they set.

    * ``attribute_ruler``: spaCy runs its ~180 one- and two-token patterns through the general
      ``Matcher``, which costs about as much as the tagger. Patterns that only compare token
      attributes (``_RULER_ATTRS``) with a value or an ``IN`` list are matched here by a lookup
      on each token's tag (or lowercase form), giving the same sorted match list the ruler
      applies (and sets them on the tokens without a Span per match); a ruler with any other
      kind of pattern keeps spaCy's matcher.
    * ``lemmatizer`` (rule mode): lemmas are cached by (form, part of speech, morphology), the
      key spaCy's own cache uses, also for the base forms spaCy recomputes every time.
    """
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        fast = _fast_ruler_matches(ruler)
        if fast is not None:
            ruler.match = fast
            ruler.set_annotations = _ruler_annotator(ruler)
    if "lemmatizer" in nlp.pipe_names:
        lemmatizer = nlp.get_pipe("lemmatizer")
        if getattr(lemmatizer, "mode", None) == "rule":
            lemmatizer.lemmatize = _cached_lemmatize(lemmatizer.rule_lemmatize)
    return nlp


def _fast_ruler_matches(ruler):
    """A drop-in for ``AttributeRuler.match``, or None if a pattern is beyond it. A token test
    is a value, ``IN``, ``NOT_IN`` (on hashes) or ``REGEX`` (searched in the attribute's string,
    as the Matcher does)."""
    from spacy.attrs import IDS
    from spacy.strings import get_string_id

    strings = ruler.vocab.strings
    cols = {a: i for i, a in enumerate(_RULER_ATTRS)}

    def test(attr, value):
        if isinstance(value, dict):
            if len(value) != 1:
                return None
            (op, arg), = value.items()
        else:
            op, arg = "IN", [value]
        if op == "REGEX" and isinstance(arg, str) and attr != "IS_SPACE":
            rx, seen = re.compile(arg), {}

            def search(h: int) -> bool:
                if h not in seen:
                    seen[h] = bool(rx.search(strings[h]))
                return seen[h]
            return ("regex", search)
        if op not in ("IN", "NOT_IN") or not isinstance(arg, (list, tuple)):
            return None
        if attr == "IS_SPACE":
            if not all(isinstance(v, bool) for v in arg):
                return None
            wanted = frozenset(int(v) for v in arg)
        elif all(isinstance(v, str) for v in arg):
            wanted = frozenset(get_string_id(v) for v in arg)
        else:
            return None
        return (op.lower(), wanted)

    entries = []        # (attr_id, match_id, first token's TAG/LOWER tests, its other tests, later tokens)
    for attr_id in range(len(ruler.attrs)):
        key = str(attr_id)
        match_id = get_string_id(key)
        for pattern in ruler.matcher.get(key)[1]:
            tokens = []
            for spec in pattern:
                conds = []
                for attr, value in spec.items():
                    t = test(attr, value) if attr in cols else None
                    if t is None:
                        return None
                    conds.append((cols[attr], *t))
                tokens.append(conds)
            if not tokens:
                return None
            tag = [c for c in tokens[0] if c[0] == cols["TAG"]]
            lower = [c for c in tokens[0] if c[0] == cols["LOWER"]]
            entries.append((attr_id, match_id, tag, lower, [c for c in tokens[0] if c not in tag + lower],
                            tokens[1:]))
    tag_col, lower_col = cols["TAG"], cols["LOWER"]
    columns = [IDS[a] for a in _RULER_ATTRS]
    memo: dict[tuple[int, int], list] = {}
    by_tag: dict[int, list] = {}

    def holds(row, conds) -> bool:
        for col, op, arg in conds:
            v = row[col]
            if op == "in":
                if v not in arg:
                    return False
            elif op == "not_in":
                if v in arg:
                    return False
            elif not arg(v):
                return False
        return True

    def candidates(row) -> list:
        """The patterns whose first token's tag and lowercase tests this token passes."""
        key = (row[tag_col], row[lower_col])
        got = memo.get(key)
        if got is None:
            if len(memo) > 200_000:
                memo.clear()
            tagged = by_tag.get(key[0])
            if tagged is None:
                tagged = by_tag[key[0]] = [e for e in entries if holds(row, e[2])]
            got = memo[key] = [(a, m, rest, later) for a, m, _tag, lower, rest, later in tagged if holds(row, lower)]
        return got

    def match(doc: Doc):
        rows = doc.to_array(columns).tolist() if len(doc) else []
        n = len(rows)
        out = set()
        for i, row in enumerate(rows):
            for attr_id, match_id, rest, later in candidates(row):
                if (not rest or holds(row, rest)) and (not later or (
                        i + 1 + len(later) <= n and all(holds(rows[i + 1 + k], c) for k, c in enumerate(later)))):
                    out.add((attr_id, match_id, i, i + 1 + len(later)))
        return sorted(out)

    return match


def _ruler_annotator(ruler):
    """``AttributeRuler.set_annotations`` without building a Span per match: the token at the
    pattern's index (negative: from the match's end) gets the pattern's attributes."""
    from spacy.tokens._retokenize import set_token_attrs

    attrs, indices = ruler.attrs, ruler.indices

    def set_annotations(doc: Doc, matches) -> None:
        for attr_id, _match_id, start, end in matches:
            index = indices[attr_id]
            if not -(end - start) <= index < end - start:
                raise ValueError(f"attribute_ruler: index {index} outside a match of {end - start} tokens")
            set_token_attrs(doc[start + index if index >= 0 else end + index], attrs[attr_id])

    return set_annotations


def _cached_lemmatize(lemmatize):
    cache: dict[tuple[int, int, int], list[str]] = {}

    def cached(token: Token) -> list[str]:
        key = (token.orth, token.pos, token.morph.key)
        got = cache.get(key)
        if got is None:
            got = cache[key] = lemmatize(token)
        return got

    return cached


def parse_sentences(nlp: Language, sentences: list[Sentence], batch_size: int = 64) -> None:
    """Parse, in one batch, the sentences that have not been parsed yet.

    When the entity recognizer is the pipeline's last component, it runs only on the sentences
    that can name someone (:func:`may_name`, read on the sentence already tagged and parsed); the
    others get what the recognizer gives a sentence where it finds nothing: no entity, every token
    outside one."""
    todo = [s for s in sentences if s.doc is None]
    if not todo:
        return
    texts = (s.text for s in todo)
    if nlp.pipe_names[-1:] != ["ner"]:
        for sent, doc in zip(todo, nlp.pipe(texts, batch_size=batch_size)):
            sent.doc = doc
        return
    named = []
    for sent, doc in zip(todo, nlp.pipe(texts, batch_size=batch_size, disable=["ner"])):
        sent.doc = doc
        if may_name(sent):
            named.append(doc)
        else:
            doc.set_ents([], default="outside")
    for _doc in nlp.get_pipe("ner").pipe(named, batch_size=batch_size):
        pass                       # the recognizer sets each doc's entities in place


def may_name(sent: Sentence) -> bool:
    """Whether a tagged sentence can name a person, an organisation or a place.

    It cannot when none of its tokens is a proper noun, no letter after its first word is
    upper-case, its first word is a plain opener and none of its words is an institution noun
    (``data/entities.json``): "Nearly 80 percent of those detained were under 25, the lawyers
    said." names nobody; "Amnesty said 30 people died.", "Iranian forces killed 40." and "The
    health ministry said 12 died." may."""
    doc = sent.doc
    if not len(doc):
        return False
    first = doc[0]
    if any(c.isupper() for c in sent.text[len(first.text):]):
        return True
    word = first.text
    if not (word.islower() or word.isdigit() or word.casefold() in _entity_words()[0]):
        return True
    institutions = _entity_words()[1]
    return any(t.pos_ == "PROPN" or t.lower_ in institutions for t in doc)


@lru_cache(maxsize=1)
def _entity_words() -> tuple[frozenset[str], frozenset[str]]:
    """The plain openers (spaCy's English stop words, number words, the first words of figure
    qualifiers and ``plain_openers``) and the institution nouns, from ``data/entities.json``."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from sayso.extract.figures import _number_words, vocab as figure_vocab

    data = json.loads((files("sayso") / "data" / "entities.json").read_text(encoding="utf-8"))
    qualifiers = [p.split()[0] for phrases in figure_vocab()["qualifiers"].values() for p in phrases]
    openers = frozenset(w.casefold() for w in (*STOP_WORDS, *_number_words(), *qualifiers, *data["plain_openers"]))
    return openers, frozenset(data["institution_nouns"])


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
