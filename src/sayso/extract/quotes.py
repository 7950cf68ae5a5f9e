"""Direct quotations: text between quotation marks that someone said or wrote.

Quotation marks are paired on the raw text of each paragraph (a line), by kind rather than by
shape: any double mark (straight, curly, ``''``, guillemets) closes any double mark, any single
one any single one, so typed text that opens with a curly mark and closes with a straight one
pairs. A quotation may run over several sentences (``"A. B," she said.``) and over paragraphs
that each reopen with a mark. The title of a work (``a report titled "…"``, ``her book "…"``)
is never a quotation. A pair of marks is a quotation when it is attributed:

- ``after``: a cue verb right after the closing mark (``"…," Hofmann said``, ``"…," said X``,
  ``"…?" he asked``, ``"…," noting that`` takes the main clause's subject), or a headline's
  source after a colon or dash closing its line (``Troops "burned the villages": Oxfam``);
- ``before``: a cue verb, or a name, ending in a colon or comma right before the opening mark
  (``X said: "…"``, ``Asked …, she said: "…"``, ``X told reporters, "…"``), the colon possibly
  closing the paragraph before;
- ``preceding``: a quotation standing as its own sentence right after a sentence whose subject
  says or believes something (``X believes the toll is higher. "…"``), in the same paragraph or,
  for a cue verb and a named subject, closing the paragraph before;
- ``embedded``: a partial quotation inside a clause governed by a cue verb, the nearest one
  (``X warned that abuses were "a systematic policy of the regime"``); a phrase of fewer than
  ``EMBEDDED_MIN_WORDS`` words only where its speaker is named (``X called it 'biased'``), and
  never a label (``calls them "training centres"``, ``the so-called "reform"``, ``the
  "re-education" camps``, ``all "trainees"``) nor a demand (``called for "…"``);
- ``continuation``: a later quotation in the same paragraph as an attributed one, or a paragraph
  made only of a quotation right after a paragraph whose quotation was attributed: same speaker;
- paragraph source: a quotation with no cue in its sentence takes the source given at most
  ``PARAGRAPH_REACH`` sentences before in its paragraph (``According to X, … . In some cases,
  "…".``);
- ``unattributed``: a full clause of at least ``LONG_MIN_WORDS`` words standing as its own
  sentence (no speaker).

Everything else is a scare quote or a title and is skipped. The span is the text inside the
marks, punctuation included (``Every rescue is a race,``). Speakers are named by
:mod:`sayso.extract.speakers`. Only sentences holding a quotation mark are parsed, plus the few
before a pronoun or a description that needs an antecedent.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Token

from sayso.extract.attribution import speaker_words
from sayso.extract.parse import Sentence, TextView
from sayso.extract.speakers import (Speaker, canonical_org, cues, is_name, looks_like_person, note_gender,
                                    speaker_of, strip_title, subject_of)
from sayso.model import Figure, Quote, Source

# Double marks: those that only open, only close, or (straight ones) either way by position.
DOUBLE_OPEN = ("\u201c", "\u201e", "\u00ab", "``")
DOUBLE_CLOSE = ("\u201d", "\u00bb")
DOUBLE_EITHER = ('"', "''")
SINGLE_OPEN = ("\u2018", "`")
SINGLE_EITHER = ("'",)
SINGLE_CLOSE = ("\u2019",)
_MARK = re.compile(r"``|''|[\"\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019'`]")
EMBEDDED_MIN_WORDS = 4
LONG_MIN_WORDS = 8
# How many tokens after a closing mark the attributing verb may sit ("…," Lena Hofmann, the
# ship's captain, told reporters).
AFTER_WINDOW = 14
# Verbs inside a modifying clause do not attribute the quotation.
CLAUSE_DEPS = {"relcl", "acl", "amod", "pcomp"}
# A headline's source closing its line after a colon or a dash, in at most so many words.
_HEADLINE_TAIL = re.compile(r"\s*[:\-\u2013\u2014|]\s+([^\s.!?;:][^.!?;:]*?)\s*$")
HEADLINE_MAX_WORDS = 5
# What stands before a work's title: "titled", or a work's noun after its determiner, possibly
# with "called" or "named" ("her book", "the group's new report called").
_TITLED = re.compile(r"\b(?:titled|entitled|subtitled|headlined)\s*,?\s*$", re.I)
_WORK_LEAD = re.compile(r"\b(?:a|an|the|his|her|their|its|our|my|your|this|that|whose|[\w\-]+'s|[\w\-]+\u2019s)"
                        r"(?:\s+[\w\-]+){0,2}?\s+([\w\-]+)\s*,?(?:\s+(?:called|named))?\s*$", re.I)
# How many sentences back in its paragraph a quotation with no cue looks for its source.
PARAGRAPH_REACH = 2
# A quoted phrase in one of these relations to a noun outside it is a label ("the "so-called"
# camps"), not a quotation.
LABEL_DEPS = {"compound", "amod", "nmod", "poss"}
# Particles that make a naming verb a demand ("call for", "call on").
DEMAND_PARTICLES = {"for", "on", "upon", "off"}
_SO_CALLED = re.compile(r"(?:so[- ]called|dubbed|known as|termed|labelled|labeled|nicknamed)\s*$", re.I)
# How many words may stand between a cue verb and the colon or comma that opens a quotation.
BEFORE_REACH = {":": 8, ",": 3}

_LINE = re.compile(r"[^\n]+")
_WORDS = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
_FINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*\s*$")


@dataclass
class QuoteSpan:
    """A pair of quotation marks in the raw text."""

    open: int                  # offset of the opening mark
    close: int | None          # offset of the closing mark; None: runs on to the next paragraph
    start: int                 # the quoted text, marks excluded, whitespace trimmed
    end: int
    line: tuple[int, int]      # the paragraph holding it
    mark: str                  # the opening mark as written
    after: int                 # offset just past the closing mark (``end`` where there is none)

    @property
    def double(self) -> bool:
        return self.mark in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_EITHER


@dataclass
class _Attribution:
    how: str      # after | before | label | continuation | preceding | embedded | unattributed
    #               | running (a quotation open at the end of its paragraph, not yet decided)
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None
    at: int | None = None      # offset of the cue (for later pronouns)
    kind: str | None = None    # person | pronoun | org | other: what the speaker is


# --------------------------------------------------------------------------- pairing marks

@dataclass(frozen=True)
class _Mark:
    at: int
    text: str

    @property
    def end(self) -> int:
        return self.at + len(self.text)

    @property
    def double(self) -> bool:
        return self.text in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_EITHER


def quote_spans(text: str) -> list[QuoteSpan]:
    """Pairs of quotation marks, paragraph by paragraph.

    Marks pair by kind, not by shape: any double mark (``"``, curly, ``''``, guillemets) closes
    any double mark (an opening curly mark closed by a straight one, as typed text often has
    it), any single mark any single one. Straight double marks pair in turn; a curly or single
    mark opens where it starts a word and closes where it ends one, so an apostrophe
    ("don't", "the protesters' ") is not taken for a quote. Marks nested in a quotation belong
    to it. A quotation still open at the end of a paragraph is kept only where the next
    paragraph opens with a quotation mark (the convention for a quotation running over
    paragraphs).
    """
    out: list[QuoteSpan] = []
    lines = list(_LINE.finditer(text))
    for li, line in enumerate(lines):
        a, b = line.start(), line.end()
        marks = [_Mark(m.start(), m.group()) for m in _MARK.finditer(text, a, b)]
        k = 0
        while k < len(marks):
            m = marks[k]
            if not _can_open(text, m, a, b):
                k += 1
                continue
            close = _find_close(text, marks, k, a, b)
            if close is None:
                nxt = lines[li + 1] if li + 1 < len(lines) else None
                if m.double and nxt is not None and _opens_paragraph(text, nxt.start(), nxt.end()):
                    span = _span(text, m, None, b, (a, b))
                    if span:
                        out.append(span)
                k += 1
                continue
            span = _span(text, m, marks[close], marks[close].at, (a, b))
            if span:
                out.append(span)
            k = close + 1
    return out


def _opens_paragraph(text: str, a: int, b: int) -> bool:
    """Whether the paragraph text[a:b] starts with an opening double mark."""
    first = _MARK.match(text, a + len(text[a:b]) - len(text[a:b].lstrip()))
    return first is not None and _Mark(first.start(), first.group()).double \
        and _can_open(text, _Mark(first.start(), first.group()), a, b)


def _can_open(text: str, m: _Mark, line_start: int, line_end: int) -> bool:
    prev = text[m.at - 1] if m.at > line_start else " "
    nxt = text[m.end] if m.end < line_end else " "
    if nxt.isspace():
        return False
    if m.text in DOUBLE_OPEN or m.text in DOUBLE_EITHER:
        return not (m.text == "''" and prev.isalnum())
    if m.text in SINGLE_OPEN or m.text in SINGLE_EITHER:
        return not prev.isalnum() and (nxt.isalnum() or nxt in "\"\u201c")
    return False                # a closing mark does not open


def _can_close(text: str, m: _Mark, line_end: int) -> bool:
    if m.text in DOUBLE_EITHER or m.text in DOUBLE_CLOSE:
        return True
    if m.text in SINGLE_CLOSE or m.text in SINGLE_EITHER:
        after = text[m.end] if m.end < line_end else " "
        return not after.isalnum()       # not an apostrophe inside a word (don’t, Rabi’a)
    return False


def _find_close(text: str, marks: list[_Mark], k: int, line_start: int, line_end: int) -> int | None:
    """Index of the mark closing ``marks[k]``, None where it stays open to the paragraph's end."""
    opener = marks[k]
    j = k + 1
    while j < len(marks):
        m = marks[j]
        if m.double != opener.double:
            if _can_open(text, m, line_start, line_end):     # a nested quotation of the other kind
                inner = _find_close(text, marks, j, line_start, line_end)
                if inner is not None:
                    j = inner + 1
                    continue
            j += 1
            continue
        if m.text in DOUBLE_OPEN or m.text in SINGLE_OPEN:
            return None         # an unclosed opener: the next one starts afresh
        if opener.text not in DOUBLE_EITHER and m.text in DOUBLE_EITHER \
                and text[m.at - 1].isspace() and _can_open(text, m, line_start, line_end):
            # a straight pair nested in a curly quotation ("He called it "nonsense" and left")
            inner = _find_close(text, marks, j, line_start, line_end)
            if inner is not None:
                j = inner + 1
                continue
        if _can_close(text, m, line_end):
            return j
        j += 1
    return None


def _span(text: str, opener: _Mark, closer: _Mark | None, end: int, line: tuple[int, int]):
    s, e = opener.end, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e <= s or not _WORDS.search(text[s:e]):
        return None
    return QuoteSpan(opener.at, closer.at if closer else None, s, e, line, opener.text,
                     closer.end if closer else e)


# --------------------------------------------------------------------------- extraction

def find_quotes(view: TextView) -> list[Quote]:
    """Direct quotations in a document, in order, with their speakers.

    Offsets are document offsets and ``text == view.text[start:end]``.
    """
    text = view.text
    spans = [q for q in quote_spans(text) if view.index_at(q.open) is not None
             or view.index_at(q.start) is not None]
    if not spans:
        return []
    # Parse, in one batch, every sentence that holds a quotation mark.
    todo: dict[int, Sentence] = {}
    for q in spans:
        for off in (q.open, q.start, q.end - 1, q.after):
            idx = view.index_at(off)
            if idx is not None:
                todo[idx] = view.sentences[idx]
    view.parsed([todo[i] for i in sorted(todo)])

    exclude = [(q.start, q.end) for q in spans]
    recent: list[tuple[int, str]] = []
    found: list[tuple[QuoteSpan, _Attribution]] = []
    for k, q in enumerate(spans):
        prev = spans[k - 1] if k else None
        if _names_a_work(view.text, q):
            continue
        att = (_before(view, q, prev, recent, exclude, colon_only=True)
               or _after(view, q, spans[k + 1] if k + 1 < len(spans) else None, recent, exclude)
               or _headline(view, q, recent, exclude)
               or _before(view, q, prev, recent, exclude, colon_only=False)
               or _continuation(view, q, found)
               or (_embedded(view, q, recent, exclude) if not q.double else
                   _preceding(view, q, recent, exclude)
                   or _embedded(view, q, recent, exclude)
                   or _paragraph_source(view, q, recent, exclude)
                   or _unattributed(view, q)))
        if att is None and q.close is None:
            att = _Attribution("running")      # decided by the paragraph that closes it
        if att is None:
            continue
        found.append((q, att))
        if att.speaker and att.at is not None and att.kind in ("person", "pronoun"):
            recent.append((att.at, att.speaker))
    _fill_running(found)
    quotes = [Quote(q.start, q.end, text[q.start:q.end], a.speaker, a.speaker_text, a.cue)
              for q, a in found if a.how != "running"]
    return sorted(quotes, key=lambda x: x.start)


def _fill_running(found: list[tuple[QuoteSpan, _Attribution]]) -> None:
    """A quotation running over paragraphs takes the speaker of the paragraph that closes it."""
    for i in range(len(found) - 2, -1, -1):
        q, a = found[i]
        nq, na = found[i + 1]
        if q.close is None and a.how in ("running", "unattributed", "continuation") \
                and na.how not in ("running", "unattributed") and nq.line[0] > q.line[0]:
            a.speaker, a.speaker_text, a.cue, a.how = na.speaker, na.speaker_text, na.cue, "continuation"


def _sentence_at(view: TextView, offset: int) -> Sentence | None:
    idx = view.index_at(offset)
    if idx is None:
        return None
    return view.parsed([view.sentences[idx]])[0]


def _is_cue(tok: Token, key: str = "quote") -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in cues()[key]


def _attribute(view, sent, verb: Token, subj: Token | None, how: str, recent, exclude,
               span=None) -> _Attribution:
    if subj is None:
        return _Attribution(how, None, None, verb.text, sent.start + verb.idx)
    m: Speaker = speaker_of(view, sent, subj, recent, exclude, span)
    if m.kind == "pronoun" and m.name:
        note_gender(view, m.name, subj.text)
    return _Attribution(how, m.name, m.text, verb.text, sent.start + verb.idx, m.kind)


def _inside(offset: int, spans) -> bool:
    return any(s <= offset < e for s, e in spans)


def _after(view, q: QuoteSpan, nxt: QuoteSpan | None, recent, exclude) -> _Attribution | None:
    """``"…," Hofmann said`` / ``"…," said X`` / ``"…?" he asked``."""
    if q.close is None:
        return None
    text = view.text
    inner_end = text[q.start:q.end].rstrip()
    tail = text[q.after:q.line[1]]
    stripped = tail.lstrip()
    # The quotation must end its clause: punctuation inside the marks, or a comma after them
    # (and then not a title: "Operation Sovereign Borders", the minister said, ...).
    if not inner_end[-1:] in ",.?!\u2026\u2014-:;":
        if stripped[:1] not in (",", "\u2014") or _title_like(inner_end):
            return None
    sent = _sentence_at(view, q.after) or _sentence_at(view, q.end - 1)
    if sent is None or sent.doc is None:
        return None
    limit = nxt.open if nxt is not None and nxt.line == q.line else q.line[1]
    toks = [t for t in sent.doc if q.after <= sent.start + t.idx < limit]
    window: list[Token] = []
    for t in toks:
        if t.is_punct and t.text in ".!?" or t.text in ";":
            break
        window.append(t)
        if len(window) >= AFTER_WINDOW:
            break
    words = [t for t in window if not t.is_punct]
    if not words:
        return None
    # "according to X"
    if len(words) >= 3 and words[0].lower_ == "according" and words[1].lower_ == "to":
        return _according(view, sent, words, recent, exclude)
    for pos, t in enumerate(words):
        listed = _is_cue(t)
        cue = listed or (
            t.pos_ == "VERB" and pos <= 4 and inner_end[-1:] in ",?!" and
            any(w.pos_ in ("PRON", "PROPN") for w in words[:pos + 2]))
        if not cue or t.dep_ in CLAUSE_DEPS:
            continue      # "Ahmed, who asked not to be named, said": not the attributing verb
        subj = subject_of(t)
        if subj is not None and subj.tag_ in ("WP", "WDT"):
            continue
        if subj is not None and _inside(sent.start + subj.idx, exclude):
            subj = None
        if subj is None and t.tag_ == "VBG":
            subj = _outer_subject(sent, t, exclude)     # "…," noting that …: the main clause's
        span = None
        if subj is None:
            subj = _adjacent_subject(t, words)
        if subj is None and 0 < pos <= 6:
            # A parse gone astray ("…," the 52-year-old said): the words between the
            # quotation and the verb name the speaker.
            span = sent.doc[words[0].i: t.i]
            nouns = [w for w in span if w.pos_ in ("NOUN", "PROPN", "PRON", "ADJ")]
            subj = nouns[-1] if nouns else None
            span = span if subj is not None else None
        if subj is None and pos > 0 and not listed:
            continue
        return _attribute(view, sent, t, subj, "after", recent, exclude, span)
    return None


def _headline(view, q: QuoteSpan, recent, exclude) -> _Attribution | None:
    """A headline's source after a colon or a dash closing its line (``Troops "burned the
    villages": Amnesty``, ``… "…" - UN rights office``): a named speaker of a few words."""
    if q.close is None:
        return None
    tail = view.text[q.after:q.line[1]]
    m = _HEADLINE_TAIL.match(tail)
    if m is None or len(_WORDS.findall(m.group(1))) > HEADLINE_MAX_WORDS:
        return None
    a, b = q.after + m.start(1), q.after + m.end(1)
    sent = _sentence_at(view, a)
    if sent is None or sent.doc is None:
        return None
    toks = [t for t in sent.tokens_in(a, b) if not t.is_punct]
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    if len(roots) != 1 or roots[0].pos_ in ("VERB", "AUX"):
        return None
    got = speaker_of(view, sent, roots[0], recent, exclude)
    if got.name:
        return _Attribution("after", got.name, got.text, None, got.start, got.kind)
    if any(t.ent_type_ == "ORG" or (t.pos_ == "PROPN" and not t.ent_type_) for t in toks):  # "UN rights office"
        phrase = view.text[a:b]
        if is_name(canonical_org(phrase)):
            return _Attribution("after", canonical_org(phrase), phrase, None, a, "org")
    return None


def _outer_subject(sent, verb: Token, exclude) -> Token | None:
    """The subject of the nearest clause outside quotation marks that ``verb`` hangs from
    ("He pointed out that "…," noting that …": He)."""
    for a in verb.ancestors:
        if _inside(sent.start + a.idx, exclude):
            continue
        subj = subject_of(a)
        if subj is not None and not _inside(sent.start + subj.idx, exclude):
            return subj
    return None


def _according(view, sent, words, recent, exclude) -> _Attribution | None:
    head = None
    for t in words[2:]:
        if t.pos_ in ("PROPN", "NOUN", "PRON"):
            head = t
            # prefer the head of the phrase
            while head.head in words[2:] and head.dep_ in ("compound", "amod", "nmod"):
                head = head.head
            break
    if head is None:
        return None
    m = speaker_of(view, sent, head, recent, exclude)
    return _Attribution("after", m.name, m.text, "according to", sent.start + words[0].idx, m.kind)


def _adjacent_subject(verb: Token, words: list[Token]) -> Token | None:
    """A speaker next to the cue verb where the parse gives no subject ("…," said X)."""
    after = [w for w in words if w.i > verb.i]
    before = [w for w in words if w.i < verb.i]
    # after the verb, past a determiner or modifier ("says the report", "said a senior official")
    lead = []
    for w in after[:4]:
        lead.append(w)
        if w.pos_ not in ("DET", "ADJ", "NUM", "ADV"):
            break
    for cand in (lead[-1:], before[-1:]):
        for w in cand:
            if w.pos_ in ("PROPN", "PRON", "NOUN") and w.lower_ not in ("us", "me", "reporters"):
                head = w
                while head.dep_ == "compound" and head.head.pos_ in ("PROPN", "NOUN"):
                    head = head.head
                return head
    return None


def _before(view, q: QuoteSpan, prev: QuoteSpan | None, recent, exclude, colon_only: bool):
    """``X said: "…"`` / ``X told reporters, "…"`` / ``Name: "…"``."""
    text = view.text
    lead_start = prev.after if prev is not None and prev.line == q.line else q.line[0]
    lead = text[lead_start:q.open].rstrip()
    anchor = q.open - 1
    if not lead and prev is not None and prev.line == q.line:
        return None
    if not lead:
        # 'She told the court:' closing one paragraph, the quotation opening the next.
        above = text[:q.line[0]].rstrip()
        if not above.endswith(":") or text[len(above):q.line[0]].count("\n") > 2:
            return None
        anchor = len(above) - 1
        idx = view.index_at(anchor)
        if idx is None:
            return None
        lead_start = view.sentences[idx].start
        lead = text[lead_start:anchor + 1]
    end_char = lead[-1]
    if end_char != ":" and (colon_only or end_char != ","):
        return None
    sent = _sentence_at(view, anchor) if anchor >= 0 else None
    if sent is None or sent.doc is None:
        return None
    toks = [t for t in sent.doc if lead_start <= sent.start + t.idx <= anchor]
    words = [t for t in toks if not t.is_punct]
    if not words:
        return None
    # "According to Amnesty International, "…""
    for k, t in enumerate(words[:-2]):
        if t.lower_ == "according" and words[k + 1].lower_ == "to":
            return _according(view, sent, words[k:], recent, exclude)
    # The cue verb closest to the quotation ("Asked what …, Nilar Win said:"), with only a few
    # words after it ("told reporters on Monday:").
    reach = BEFORE_REACH[end_char]
    for k in range(len(words) - 1, max(-1, len(words) - 2 - reach), -1):
        t = words[k]
        if _is_cue(t) or (end_char == ":" and t.pos_ == "VERB" and t.i == words[-1].i):
            if t.dep_ in CLAUSE_DEPS:
                continue
            subj = subject_of(t)
            if subj is not None and sent.start + subj.idx < lead_start:
                subj = None
            if subj is None:
                subj = _adjacent_subject(t, words)
            return _attribute(view, sent, t, subj, "before", recent, exclude)
    if end_char == ":":
        # "Nilar Win: "…"" (an interview transcript) or "Statement from X:"
        names = [e for e in sent.doc.ents if e.label_ in ("PERSON", "ORG")
                 and sent.start + e.start_char >= lead_start
                 and not text[sent.start + e.end_char:anchor + 1].strip(" :")]
        if names and len(words) <= 6:
            e = names[-1]
            m = speaker_of(view, sent, e.root, recent, exclude)
            if m.name:          # not "Dhaka protests: "…"": a place is no speaker
                return _Attribution("label", m.name, m.text, None, sent.start + e.start_char, m.kind)
    return None


def _continuation(view, q: QuoteSpan, found) -> _Attribution | None:
    """A quotation following an attributed one in the same paragraph, or making up a whole
    paragraph right after a paragraph whose quotation was attributed."""
    if not found:
        return None
    pq, pa = found[-1]
    if pa.how in ("unattributed", "embedded"):
        return None
    text = view.text
    if pq.line == q.line:
        between = text[pq.after:q.open]
        # Only the attribution of the earlier quotation lies between them: a few words, or
        # the one sentence holding its cue.
        holds_cue = pa.at is not None and pq.after <= pa.at < q.open
        ends = len(re.findall(r"[.!?](?=\s)", between.rstrip()))
        if len(_WORDS.findall(between)) > 12 and not (holds_cue and ends <= 1):
            return None
        return _Attribution("continuation", pa.speaker, pa.speaker_text, pa.cue, pa.at, pa.kind)
    line_text = text[q.line[0]:q.line[1]]
    outside = line_text[:q.open - q.line[0]] + line_text[q.after - q.line[0]:]
    if _WORDS.search(outside):
        return None
    # the previous paragraph must be the one holding the attributed quotation
    gap = text[pq.line[1]:q.line[0]]
    if gap.strip():
        return None
    return _Attribution("continuation", pa.speaker, pa.speaker_text, pa.cue, pa.at, pa.kind)


def _preceding(view, q: QuoteSpan, recent, exclude) -> _Attribution | None:
    """A quotation standing as its own sentence right after a sentence in which someone says,
    believes or warns something: in the same paragraph (``X believes the toll is higher. "…"``),
    or closing the paragraph before one that opens with the quotation (``X said the ministry
    had failed.¶"We warned them."``; then only a cue verb with a named subject will do)."""
    if q.close is None or not _FINAL.search(view.text[q.start:q.end]):
        return None
    text = view.text
    lead = text[q.line[0]:q.open].rstrip()
    if lead:
        if not _FINAL.search(lead):
            return None
        idx = view.index_at(q.open)
        if idx is None or idx == 0:
            return None
        sent = view.sentences[idx - 1]
        if sent.start < q.line[0] or sent.end > q.open:
            return None
    else:
        above = len(text[:q.line[0]].rstrip())
        idx = view.index_at(above - 1) if above else None
        if idx is None or text[above:q.line[0]].count("\n") > 2:
            return None
        sent = view.sentences[idx]
        if not _FINAL.search(text[sent.start:above]) or any(sent.start <= s < above for s, _ in exclude):
            return None
    view.parsed([sent])
    for t in sent.doc:
        if t.dep_ not in ("ROOT", "conj") or _inside(sent.start + t.idx, exclude):
            continue
        subj = subject_of(t)
        if subj is None or _inside(sent.start + subj.idx, exclude):
            continue
        if _is_cue(t) or _is_cue(t, "source"):
            att = _attribute(view, sent, t, subj, "preceding", recent, exclude)
            return att if lead or att.speaker else None
        # Any other verb only where a person is its subject ("She shrugged. "What else …?"").
        if t.pos_ == "VERB" and lead:
            att = _attribute(view, sent, t, subj, "preceding", recent, exclude)
            if att.kind in ("person", "pronoun") and att.speaker:
                att.cue = None
                return att
    return None


def _embedded(view, q: QuoteSpan, recent, exclude) -> _Attribution | None:
    """A partial quotation inside a clause governed by a cue verb ("X warned that abuses were
    "a systematic policy"", "X called the report 'biased'").

    A phrase shorter than ``EMBEDDED_MIN_WORDS`` words counts only where its speaker is named
    (not "officials claimed all "trainees" had "graduated""). Labels are not quotations: a
    quoted phrase that modifies a noun ("the "re-education" camps"), follows "so-called", or is
    the bare noun phrase a naming verb gives ("calls them "training centres"").
    """
    content = view.text[q.start:q.end]
    words = _WORDS.findall(content)
    if _title_like(content) or _SO_CALLED.search(view.text[max(q.line[0], q.open - 20):q.open]):
        return None
    sent = _sentence_at(view, q.start)
    if sent is None or sent.doc is None:
        return None
    inner = [t for t in sent.tokens_in(q.start, q.end) if not t.is_punct]
    if not inner:
        return None
    ids = {t.i for t in inner}
    roots = [t for t in inner if t.head.i not in ids or t.head.i == t.i]
    if len(roots) == 1 and roots[0].dep_ in LABEL_DEPS and roots[0].pos_ in ("NOUN", "PROPN") \
            and roots[0].head.pos_ in ("NOUN", "PROPN"):
        return None
    if len(words) < EMBEDDED_MIN_WORDS and _term_in_noun_phrase(inner):
        return None
    keys = ("quote", "source")
    # the cue verbs governing the phrase, nearest first ("X says …, Y calls it 'biased'": Y's)
    governing = [a for a in roots[0].ancestors if a.i not in ids] if len(roots) == 1 else \
        sorted({a for tok in inner for a in tok.ancestors if a.i not in ids}, key=lambda a: -a.i)
    mute = None             # a cue whose subject cannot speak, kept in case no outer one can
    for t in governing:
        pos = sent.start + t.idx
        if _inside(pos, exclude) or not (any(_is_cue(t, k) for k in keys) or _rejected_as(t, roots)):
            continue
        if any(c.dep_ in ("prep", "prt") and c.lower_ in DEMAND_PARTICLES for c in t.children) \
                and t.lemma_.lower() in cues()["naming"]:
            continue        # "calling for "the overthrow of the government"": a demand
        if t.lemma_.lower() in cues()["naming"] and _bare_noun_phrase(inner):
            continue        # "calls them "training centres"": a label
        subj = subject_of(t)
        if subj is None or subj.dep_ != "nsubj" or _inside(sent.start + subj.idx, exclude):
            continue        # "they were charged with "…"": the wording of a charge, not a quote
        if _mute(subj) and mute is None:
            mute = (t, subj)
            continue        # "X said protests would continue "until …"": X's words, not the protests'
        return _embedded_attribution(view, sent, t, subj, recent, exclude, words)
    if mute is not None:
        return _embedded_attribution(view, sent, *mute, recent, exclude, words)
    return None


def _embedded_attribution(view, sent, verb: Token, subj: Token, recent, exclude, words) -> _Attribution | None:
    att = _attribute(view, sent, verb, subj, "embedded", recent, exclude)
    return None if len(words) < EMBEDDED_MIN_WORDS and not att.speaker else att


def _mute(subj: Token) -> bool:
    """A subject that cannot speak: a common noun that names no speaker ("protests", "the
    talks"), untagged as a person or organisation."""
    return subj.pos_ == "NOUN" and not subj.ent_type_ and subj.lower_ not in speaker_words() \
        and subj.lemma_.lower() not in speaker_words()


def _rejected_as(verb: Token, roots: list[Token]) -> bool:
    """Whether quoted words are what a disputing verb calls something, after "as" ("rejected the
    claims as "propaganda"", "dismissed the list as "political theatre""): the disputer's words."""
    if len(roots) != 1 or roots[0].dep_ != "pobj" or roots[0].head.lower_ != "as" or not _is_cue(verb, "disputes"):
        return False
    held = roots[0].head.head          # "as" hangs from the verb or from its object
    return held.i == verb.i or (held.dep_ == "dobj" and held.head.i == verb.i)


def _term_in_noun_phrase(tokens: list[Token]) -> bool:
    """Whether a few quoted words are a noun set off inside a noun phrase, whose determiner
    stands before the opening mark ("the 'trials'", "all "trainees"", "their "guests""): a
    term held at a distance, not someone's words."""
    first = tokens[0]
    before = [t for t in first.doc[max(0, first.i - 2):first.i] if not t.is_punct]
    return _bare_noun_phrase(tokens) and bool(before) and before[-1].dep_ in ("det", "poss", "predet")

def _bare_noun_phrase(tokens: list[Token]) -> bool:
    """Whether quoted words are a noun phrase without a determiner ("training centres"), not
    "a sham" or "dead on arrival"."""
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    return len(roots) == 1 and roots[0].pos_ in ("NOUN", "PROPN") \
        and not any(t.pos_ in ("DET", "PRON", "VERB", "AUX") for t in tokens)


def _paragraph_source(view, q: QuoteSpan, recent, exclude) -> _Attribution | None:
    """A quotation of at least ``EMBEDDED_MIN_WORDS`` words in a sentence with no cue of its
    own, in a paragraph whose earlier sentence (at most ``PARAGRAPH_REACH`` back) gives its
    source: "According to X, … . In some cases, "…"." or "X said … . Often "…"."."""
    content = view.text[q.start:q.end]
    if q.close is None or len(_WORDS.findall(content)) < EMBEDDED_MIN_WORDS or _title_like(content):
        return None
    idx = view.index_at(q.open)
    if idx is None:
        return None
    sent = _sentence_at(view, q.open)
    if sent is None or sent.doc is None or any(
            _is_cue(t) or _is_cue(t, "source") for t in sent.doc if not _inside(sent.start + t.idx, exclude)):
        return None
    for back in range(idx - 1, max(-1, idx - 1 - PARAGRAPH_REACH), -1):
        before = view.sentences[back]
        if before.start < q.line[0] or any(before.start <= s < before.end for s, _ in exclude):
            return None
        view.parsed([before])
        words = [t for t in before.doc if not t.is_punct]
        for k, t in enumerate(words[:-2]):
            if t.lower_ == "according" and words[k + 1].lower_ == "to":
                att = _according(view, before, words[k:], recent, exclude)
                return att if att and att.speaker else None
        for t in before.doc:
            if t.dep_ == "ROOT" and (_is_cue(t) or _is_cue(t, "source")):
                subj = subject_of(t)
                if subj is None:
                    return None
                att = _attribute(view, before, t, subj, "preceding", recent, exclude)
                return att if att.speaker else None
    return None


def _unattributed(view, q: QuoteSpan) -> _Attribution | None:
    """A long quotation standing as a full sentence, with no speaker in sight."""
    content = view.text[q.start:q.end]
    if len(_WORDS.findall(content)) < LONG_MIN_WORDS or _title_like(content):
        return None
    text = view.text
    lead = text[q.line[0]:q.open].rstrip()
    # It must stand as its own sentence: at the start of a paragraph or after a sentence end.
    if lead and lead[-1] not in ".!?:\u201d\"":
        return None
    if not _FINAL.search(content):
        return None
    sent = _sentence_at(view, q.start)
    if sent is None or sent.doc is None:
        return None
    if not any(t.pos_ in ("VERB", "AUX") for t in sent.tokens_in(q.start, q.end)):
        return None
    return _Attribution("unattributed")


def _names_a_work(text: str, q: QuoteSpan) -> bool:
    """Whether the quoted words are the title of a work: right after "titled", "entitled" or
    a work's noun ("a report called "…"", "her book "…"", "the programme, "…","). Such a title
    is no quotation, however it is written."""
    lead = text[max(q.line[0], q.open - 60):q.open]
    if _TITLED.search(lead):
        return True
    m = _WORK_LEAD.search(lead)
    return m is not None and m.group(1).lower() in cues()["work_nouns"]


def _title_like(content: str) -> bool:
    """Most words capitalised and no sentence punctuation: a title or a name."""
    words = _WORDS.findall(content)
    if not words:
        return True
    small = {"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "by", "with", "from"}
    body = [w for w in words[1:] if w.lower() not in small]
    caps = sum(1 for w in body if w[:1].isupper())
    return bool(body) and caps / len(body) >= 0.6 and not _FINAL.search(content)


# --- once the document's parties are known -----------------------------------------------------

SPOKESPERSON = re.compile(r"^(?:a|an|the)\s+(?:\w+\s+)?(?:spokes(?:man|woman|person)|representative|official)$", re.I)
APPOSED_NAME = re.compile(r",\s+((?:[A-Z][\w'\u2019.\u00c0-\u024f-]*\s?){1,5})(?=[.,;]|$)")
DESCRIPTION = re.compile(r"^(?:the|our|its)\s+(?:[\w-]+\s+)?([a-z]+)$", re.I)


def settle_speaker(q: Quote, text: str, org_before: Callable[[int], str | None],
                   described: Callable[[str, int], str | None]) -> None:
    """A speaker the quote finder left vague: "A spokesman for the army, General Jane Roe" is
    Jane Roe; "a spokesman" alone speaks for the organisation named last (``org_before(offset)``),
    "the mission" for the one that description stands for (``described(noun, offset)``)."""
    words = q.speaker_text or ""
    if q.speaker is None and words:
        near = text.find(words, max(0, q.start - 300), q.end + 300)
        named = APPOSED_NAME.match(text, near + len(words)) if near >= 0 else None
        if named and looks_like_person(strip_title(named.group(1))):
            q.speaker = strip_title(named.group(1))     # "said the group's director, Jane Roe."
            return
    if "," in words:
        last = strip_title(words.rsplit(",", 1)[1].strip())
        if looks_like_person(last) and (q.speaker is None or q.speaker not in last):
            q.speaker = last
            return
    if q.speaker is None and SPOKESPERSON.match(words):
        q.speaker = org_before(q.start)
    elif q.speaker is None and DESCRIPTION.match(words):   # "the mission said in a statement"
        q.speaker = described(DESCRIPTION.match(words).group(1).lower(), q.start)


def quoted_source(fig: Figure, found_quotes: list[Quote], role: str = "source") -> list[Source]:
    """A figure inside a direct quotation is its speaker's (the disputer's, where the quotation only disputes it)."""
    for q in found_quotes:
        if q.start <= fig.start and fig.end <= q.end and q.speaker:
            return [Source(q.speaker, q.speaker_text or q.speaker, role)]
    return []
