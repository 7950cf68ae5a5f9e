"""From a document to its ``sayso.document/1`` record: the stages wired together.

clean (language, boilerplate, site) → sentences → figures and time expressions on raw text →
parse only the sentences that hold a figure or a quote → counted, category, time, place and
sources from the parse → quotes → the record.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

from spacy.tokens import Token

from sayso.clean.boilerplate import boilerplate_spans
from sayso.clean.digits import DigitView, digit_view, restore
from sayso.clean.language import detect_language
from sayso.clean.site import site_of
from sayso.extract import attribution, bullets, category, counted, figures, places, quotes, speakers
from sayso.extract.parse import Sentence, TextView, load_pipeline, parse_sentences
from sayso.extract.time import find_times
from sayso.ingest.readers import valid_date
from sayso.extract.aliases import AliasRegistry, default_aliases, default_places
from sayso.link.publishers import PublisherMap, load_publishers  # noqa: F401  (load_publishers: the CLI's)
from sayso.link import sources
from sayso.link.entities import PERSON_DESCRIPTION, EntityTracker, described
from sayso.model import SCHEMA, Figure, InputDocument, Options, TimeExpr

STATEMENT_DATE_EXCLUDED = re.compile(r"(?:as of|since|by|until|till|between|from|through)\b", re.I)
QUOTE_MARKS = re.compile("[\"\u201c\u201d]")
NATIONAL_BODY = re.compile(r"(?:Government|Judiciary|[A-Z][a-z]+ Ministry) of ")
COMPARED = re.compile(r"\b(?:up|down|rising|falling|increased?|decreased?|fell|rose) from\s+$|"
                      r"\bcompared (?:with|to)\s+$|\bagainst\s+$|\bversus\s+$|[\d%]\s+from\s+$", re.I)
INCLUDED = re.compile(r"\b(?:including|among them|of whom|of which)\s+"
                      r"(?:(?:at least|about|some|nearly|more than|over)\s+)?$", re.I)
# What lies between two parts of a list after "including": "eight in A, nine in B and 3 in C".
LIST_GAP = re.compile(r"^[^.;:]{0,40}?(?:,|\band)\s+(?:(?:at least|about|some|nearly|more than|over)\s+)?$", re.I)
PARTITIVE = re.compile(r"\s+of (?:them|those|whom|these)\b", re.I)


class Extractor:
    """Loads the pipeline and vocabularies once; turns documents into records."""

    def __init__(self, options: Options | None = None):
        self.options = options or Options()
        self.nlp = load_pipeline(self.options.model)
        # the builtin registries are built once per process and shared (nothing changes them
        # after loading); user alias files give an extractor a registry of its own
        self.aliases = AliasRegistry.load(self.options.aliases) if self.options.aliases else default_aliases()
        self.places = default_places()
        self.publishers = PublisherMap(self.options.publishers)

    def __call__(self, doc: InputDocument) -> dict:
        return extract_document(doc, self)


def extract_document(doc: InputDocument, ex: Extractor) -> dict:
    return _finish(_prepare(doc, ex), ex)


def extract_documents(docs: Iterable[InputDocument], ex: Extractor, batch: int = 32,
                      stage: Callable[[str, int], None] = lambda name, i: None) -> Iterator[dict]:
    """Records for many documents, in order. The sentences chosen for parsing in ``batch``
    documents go through spaCy together: the parser and the tagger work per sentence, so the
    records are the ones :func:`extract_document` makes, but one large batch costs spaCy less
    than many small ones. ``stage(name, i)`` is called as the work on the ``i``-th document
    begins (``"prepare"``, ``"finish"``) and before a batch's parse (``"parse"``, -1): what
    ``sayso.budget`` times each document by."""
    chunk: list[_Prepared] = []
    for i, doc in enumerate(docs):
        stage("prepare", i)
        chunk.append(_prepare(doc, ex))
        if len(chunk) >= batch:
            yield from _finish_all(chunk, ex, stage, i + 1 - len(chunk))
            chunk = []
    yield from _finish_all(chunk, ex, stage, i + 1 - len(chunk) if chunk else 0)


def extract_each(docs: list[InputDocument], ex: Callable[[InputDocument], dict]) -> list[dict | Exception]:
    """For each document, its record or the exception that extracting it raised. With an
    :class:`Extractor`, the sentences to parse of all the documents go through spaCy in one batch
    (:func:`extract_documents`); if a document breaks the batch, or ``ex`` is any other callable,
    each is extracted alone (``ex(doc)``), so that only the documents that fail alone are lost."""
    if isinstance(ex, Extractor) and docs:
        try:
            return list(extract_documents(docs, ex, len(docs)))
        except Exception:
            pass
    out: list[dict | Exception] = []
    for doc in docs:
        try:
            out.append(ex(doc))
        except Exception as exc:   # one bad document must not stop the others
            out.append(exc)
    return out


def _finish_all(chunk: list["_Prepared"], ex: Extractor, stage: Callable[[str, int], None] = lambda name, i: None,
                first: int = 0) -> Iterator[dict]:
    stage("parse", -1)
    parse_sentences(ex.nlp, [s for p in chunk if p.view is not None for s in p.to_parse], batch_size=256)
    for i, p in enumerate(chunk, start=first):
        stage("finish", i)
        yield _finish(p, ex)


@dataclass
class _Prepared:
    """A document read up to its parse: the record's header, and (for English text) its
    sentences, figures and the sentences to parse."""

    doc: InputDocument
    record: dict
    view: TextView | None = None
    found: dict | None = None
    anchor: str | None = None
    to_parse: list[Sentence] = field(default_factory=list)
    digits: DigitView | None = None   # the text the extractor read, when its digits were not ASCII


def _prepare(doc: InputDocument, ex: Extractor) -> _Prepared:
    text = doc.text
    language = detect_language(text)
    site = site_of(text, doc.url)
    record = {
        "schema": SCHEMA,
        "document": {
            "id": doc.id, "source": doc.source, "sha256": doc.sha256, "title": doc.title,
            "published": doc.published, "site": site,
            "publisher": ex.publishers.lookup(site), "language": language,
        },
        "figures": [], "quotes": [],
    }
    if doc.crawled:
        record["document"]["crawled"] = doc.crawled
    if language not in (None, "en"):
        return _Prepared(doc, record)
    # relative times ("last November") count from the publication date, else from the crawl date
    anchor = doc.published or (doc.crawled[:10] if doc.crawled and valid_date(doc.crawled[:10]) else None)
    digits = digit_view(text)   # same figures whatever digits they are written in
    view = TextView(digits.text, ex.nlp, boilerplate_spans(digits.text))
    found = _read_figures(view, anchor)
    return _Prepared(doc, record, view, found, anchor,
                     _to_parse(view, found) if ex.options.selective else view.sentences, digits)


def _finish(p: _Prepared, ex: Extractor) -> dict:
    record, view, found = p.record, p.view, p.found
    if view is None:
        return record
    view.parsed(p.to_parse)        # one batch (already done for a batch of documents)
    found_quotes = _guarded(p.doc.id, 0, "quotes", lambda: quotes.find_quotes(view), [])
    tracker = _describe(view, found, found_quotes, p.anchor, ex, p.doc.id)
    for q in found_quotes:
        _guarded(p.doc.id, q.start, "quote speaker", lambda: quotes.settle_speaker(
            q, view.text, lambda at: _recent_org(tracker, at), lambda noun, at: described(tracker, noun, at)))
    for sent_figs in found.values():
        for f in sent_figs:
            f.sources = f.sources or quotes.quoted_source(f, found_quotes)   # a speaker settled late
    record["figures"] = [f.as_record(f"f{i}") for i, f in enumerate(
        (f for sent_figs in found.values() for f in sent_figs), start=1)]
    # a phrase of two words is a quotation only where someone named says it (not "very bad")
    record["quotes"] = [q.as_record() for q in found_quotes if q.speaker or len(q.text.split()) > 2]
    return restore(record, p.doc.text, p.digits)


def _read_figures(view: TextView, published: str | None) -> dict[int, list[tuple[figures.Mention, list[TimeExpr]]]]:
    """Sentence index -> the figures found on its raw text, with the sentence's time expressions."""
    out = {}
    for i, sent in enumerate(view.sentences):
        atoms = figures.find_atoms(view.text, sent.start, sent.end)
        if not atoms and not figures.has_point_fraction(view.text, sent.start, sent.end):
            continue           # no number, no figure: the time finder need not look
        times = find_times(view.text, published, sent.start, sent.end)
        mentions = figures.find_figures(view.text, sent.start, sent.end, exclude=[(t.start, t.end) for t in times],
                                        atoms=atoms)
        if mentions:
            out[i] = [(m, times) for m in mentions]
    return out


def _to_parse(view: TextView, found) -> list[Sentence]:
    """The sentences worth a parse: those with a figure and those with a quotation mark. The
    quote finder parses the sentences around a quote it needs (the one before, where a speaker
    may be named; those a pronoun looks back over) itself, when it needs them."""
    wanted = set(found)
    for i, sent in enumerate(view.sentences):
        if QUOTE_MARKS.search(sent.text):
            wanted.add(i)
    return [view.sentences[i] for i in sorted(wanted)]


class FigureWarning(UserWarning):
    """A stage failed on one figure: the figure, or that one field of it, is left out."""


def _guarded(doc_id: str, offset: int, stage: str, fn: Callable, default=None):
    """``fn()``, or ``default`` with a :class:`FigureWarning` naming the document, the figure's
    offset and the stage, when it raises: one figure must not lose its document."""
    try:
        return fn()
    except Exception as exc:
        warnings.warn(FigureWarning(f"document {doc_id}, offset {offset}: {stage} failed, left out "
                                    f"({type(exc).__name__}: {exc})"), stacklevel=2)
        return default


def _describe(view, found, found_quotes, published, ex, doc_id: str = "?") -> EntityTracker:
    """Replace each sentence's raw mentions by described Figures, in place; return the
    document's entity tracker. A stage that raises on one figure leaves that field empty (or,
    failing outside the fields, drops the figure), with a warning."""
    tracker = EntityTracker.for_text(view.text, ex.aliases, ex.places)
    for i in found:
        tracker.add_parsed(view.sentences[i].start, list(view.sentences[i].doc.ents))
    own_voice: list[tuple[Figure, bool]] = []    # figures with no source, outside quotations; cued?
    person = _person_namer(view, tracker)
    for i in sorted(found):
        sent = view.sentences[i]
        items = found[i]
        times = items[0][1]
        toks = [sent.tokens_in(m.start, m.end) or [] for m, _ in items]
        all_fig = {t.i for ts in toks for t in ts}
        cues = _guarded(doc_id, sent.start, "sources (cues)", lambda: attribution.find_cues(sent.doc), [])
        dates = _guarded(doc_id, sent.start, "sources (dates)", lambda: _statement_dates(sent, cues, times), {})
        figure_times = [t for t in times if t not in dates.values()]
        attributed = _guarded(doc_id, sent.start, "sources", lambda: attribution.attribute(cues, toks),
                              [[] for _ in toks])
        time_toks = {t.i for x in times for t in sent.tokens_in(x.start, x.end)}
        described: list[Figure] = []
        org_spans = [(sent.start + a, sent.start + b) for a, b, name in ex.aliases.find(sent.text)
                     if not NATIONAL_BODY.match(name)]      # "Iranian authorities" still say where
        for (m, _), ftoks, attrs in zip(items, toks, attributed):
            fig = _guarded(doc_id, m.start, "figure", lambda: _describe_one(
                sent, m, items, ftoks, attrs, described, all_fig, time_toks, figure_times,
                org_spans, cues, dates, tracker, person, found_quotes, view, ex, doc_id))
            if fig is None:
                continue
            if not fig.sources and not any(q.start <= fig.start < q.end for q in found_quotes):
                own_voice.append((fig, bool(attrs)))
            described.append(fig)
        found[i] = described
    _guarded(doc_id, 0, "sources (headline, dateline)", lambda: sources.from_lead(view.text, own_voice, tracker, person))
    _guarded(doc_id, 0, "sources (name variants)",
             lambda: sources.merge_variants([f for figs in found.values() for f in figs], tracker))
    return tracker


def _describe_one(sent, m, items, ftoks, attrs, described, all_fig, time_toks, figure_times,
                  org_spans, cues, dates, tracker, person, found_quotes, view, ex, doc_id) -> Figure:
    """One described Figure: counted, category, time, place and sources, each guarded."""
    head = bullets.bullet_head(sent, m)
    rank_words = bullets.bullet_rank(sent, m) if head is not None else None
    if rank_words:
        m = replace(m, kind="rank")      # "• 1 – the country's world ranking in executions"
    fig = Figure(m.start, m.end, m.text, m.kind, m.low, m.high, m.qualifier, (sent.start, sent.end))
    fig_ids = {t.i for t in ftoks}
    if head is None and ftoks:
        head = _guarded(doc_id, m.start, "counted", lambda: counted.rank_head(ftoks) if m.kind == "rank"
                        else counted.counted_head(ftoks))
    if m.kind == "money":
        fig.counted = m.currency
    elif rank_words:
        fig.counted = rank_words
    elif head is not None and head.pos_ != "PRON":
        fig.counted = _guarded(doc_id, m.start, "counted", lambda: counted.phrase_text(head, fig_ids))
    elif head is not None and described and described[-1].kind == m.kind and not PARTITIVE.match(view.text[m.end:m.end + 12]):
        fig.counted = described[-1].counted   # a pronoun: "the police estimated it at 6,000"
    # else null: an elided noun is not carried over ("Ninety-six said ..., and 31 were treated",
    # "28 of whom were treated")
    phrase = _guarded(doc_id, m.start, "counted", lambda: range(*counted.noun_phrase(head, fig_ids)), range(0)) \
        if head is not None else range(0)
    ranked = m.kind == "rank" or (head is not None and head.lower_ in counted.RANK_NOUNS)   # "fell nine places"
    fig.category = "other" if ranked or m.kind == "money" else _guarded(
        doc_id, m.start, "category", lambda: category.categorize(ftoks, head, phrase, (all_fig | time_toks) - fig_ids),
        "other")
    others = [(o.start, o.end) for o, _ in items if o.start != m.start]
    fig.time = _guarded(doc_id, m.start, "time", lambda: _closest(sent, ftoks, figure_times, others))
    fig.place = _guarded(doc_id, m.start, "place", lambda: places.place_of(
        sent, ftoks, ex.places, org_spans + _agent_spans(sent, cues), head, others, org_spans)) \
        or _same_quantity_place(described, fig)
    if described and (head is None or head.pos_ == "PRON") and fig.category == "other" \
            and fig.kind == described[-1].kind and fig.counted in (None, described[-1].counted):
        fig.category = described[-1].category  # "put the crowd at 20,000; the police estimated it at 6,000"
    if described and INCLUDED.search(view.text[max(sent.start, m.start - 70):m.start]):
        fig.category = described[-1].category   # "203 arrests, including 11 children"
    elif described and fig.category == "other" and _listed_part(view.text, sent.start, m.start, described):
        fig.category = described[-1].category   # "..., including 8 in A, 9 in B, 3 in C and 1 in D"
    if described and PARTITIVE.match(view.text[m.end:m.end + 12]):
        _same_quantity(described[-1], fig, always=True)     # "1,132 injured, 595 of them": its counted stays null
    elif described and (compared := COMPARED.search(view.text[max(sent.start, m.start - 25):m.start])):
        # "72 ..., up from 47": the same quantity earlier; "80 percent of the vote, against 10
        # percent for B": another quantity, which does not take its counted noun
        _same_quantity(described[-1], fig, always=False,
                       same_noun=compared.group().rstrip().endswith("from"))
    disputed = bool(attrs) and all(role == "disputes" for _, role in attrs)
    fig.sources = _guarded(doc_id, m.start, "sources", lambda: sources.from_cues(sent, attrs, dates, tracker, person)
                           or quotes.quoted_source(fig, found_quotes, "disputes" if disputed else "source"), [])
    return fig


def _recent_org(tracker: EntityTracker, before: int) -> str | None:
    """The organisation named last before ``before``, for a quote's "a spokesman"."""
    org = tracker.recent(before, "org")
    return org.name if org else None


def _person_namer(view: TextView, tracker: EntityTracker):
    def name(mention: str, offset: int) -> str | None:     # "he": the person who spoke last counts too
        spoke = [(e.start, e.name) for e in tracker.entities if e.cited and e.kind == "person" and e.start < offset]
        if mention == PERSON_DESCRIPTION:                   # "the lawyer": someone named before
            return speakers.resolve_pronoun(view, "", offset, spoke)
        return speakers.canonical_person(view, mention, offset, spoke)
    return name


def _statement_dates(sent: Sentence, cues, times: list[TimeExpr]) -> dict[int, TimeExpr]:
    """Cue token index -> the time expression that dates the statement ("said on Tuesday")."""
    out = {}
    for t in times:
        if t.iso_start is None or t.iso_start != t.iso_end or STATEMENT_DATE_EXCLUDED.match(t.text):
            continue           # only a day dates a statement; "as of 4 March" scopes the figure
        toks = sent.tokens_in(t.start, t.end)
        if not toks:
            continue
        root = min(toks, key=lambda x: sum(1 for _ in x.ancestors))
        head = root.head
        while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
            head = head.head
        for cue in cues:
            if cue.token.i == head.i and cue.token.pos_ in {"VERB", "AUX"}:
                out.setdefault(cue.token.i, t)
    return out


# How much farther a time expression counts when another figure stands between it and the figure:
# "slowed to 7% from 7.8% in December" — December is the 7.8%'s.
OTHER_FIGURE_BETWEEN = 2


def _closest(sent: Sentence, ftoks: list[Token], times: list[TimeExpr],
             others: list[tuple[int, int]] = ()) -> TimeExpr | None:
    if not times:
        return None
    if not ftoks:
        return times[0]
    best = None
    here = sent.char(ftoks[0])
    for t in times:
        ttoks = sent.tokens_in(t.start, t.end)
        if not ttoks:
            continue
        d = min(category.tree_distance(a, b) for a in ftoks for b in ttoks)
        if any(min(here, t.start) < s < max(here, t.start) for s, _ in others):
            d += OTHER_FIGURE_BETWEEN
        key = (d, abs(ttoks[0].i - ftoks[0].i))
        if best is None or key < best[0]:
            best = (key, t)
    return best[1] if best else None


def _agent_spans(sent: Sentence, cues) -> list[tuple[int, int]]:
    """Where the sentence names its sources: places there ("the German scholar X") are not the
    figure's, but a possessive ("Ethiopia's police") is kept by the place finder, and so is where
    an unnamed party is ("doctors at hospitals in A told ...": see places.unnamed_party_end)."""
    spans = []
    for cue in cues:
        for a in cue.agent:
            toks = list(a.subtree)
            spans.append((sent.char(toks[0]), sent.char_end(places.unnamed_party_end(a, toks))))
    return spans


def _listed_part(text: str, lo: int, start: int, earlier: list[Figure]) -> bool:
    """Whether the figure at ``start`` is a later part of a list opened by "including" (or "of
    whom", ...): each part before it, back to the first, is only a few words and a comma or "and"
    away from the next. ``lo`` is where the sentence starts."""
    for n in range(len(earlier) - 1, -1, -1):
        if not LIST_GAP.match(text[earlier[n].end:start]):
            return False
        start = earlier[n].start
        if INCLUDED.search(text[max(lo, start - 70):start]):
            return True
    return False


def _same_quantity(earlier: Figure, fig: Figure, always: bool, same_noun: bool = False) -> None:
    """A part of the figure before it ("595 of them") shares its category; a figure compared with
    it ("up from 47") fills in what it does not say itself. A counted noun left unwritten stays
    null (GUIDELINES rule 13) but for the same quantity at another time (``same_noun``)."""
    if fig.kind == earlier.kind and same_noun and fig.counted is None:
        fig.counted = earlier.counted
    if always or fig.category == "other":
        fig.category = earlier.category
    fig.place = fig.place or earlier.place


def _same_quantity_place(earlier: list[Figure], fig: Figure) -> str | None:
    """ "72 journalists were held in Iran, up from 47": a figure compared with an earlier one of
    its sentence, of the same kind and category, is about the same place."""
    for prev in reversed(earlier):
        if prev.kind == fig.kind and prev.category == fig.category and prev.counted == fig.counted:
            return prev.place
    return None

def input_from_text(text: str, published: str | None = None, id: str | None = None, url: str | None = None,
                    title: str | None = None, source: str | None = None) -> InputDocument:
    raw = text.encode("utf-8")
    sha = hashlib.sha256(raw).hexdigest()
    return InputDocument(id or sha[:16], text, sha, source, published, url, title, raw=raw)
