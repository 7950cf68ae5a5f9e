"""Who is speaking: people named in a document, and the canonical name behind a mention.

Small functions over a :class:`~sayso.extract.parse.TextView`, shared by quote extraction and
figure attribution:

- :func:`strip_title` drops titles and offices before a name ("Minister of Justice Petra Lind"
  gives "Petra Lind").
- :func:`person_mentions` lists the PERSON names seen before an offset.
- :func:`canonical_person` turns a mention into the full name first introduced in the document:
  a surname ("Hofmann") or a shorter form ("Min Htet") becomes the fuller name named earlier
  ("Lena Hofmann", "Ko Min Htet"); a pronoun ("she") becomes the person most recently named, the
  subject of the nearest sentence that names someone being preferred.
- :func:`canonical_org` maps an organisation mention through the alias registry.
- :func:`titled_person` names "the president" or "its rights chief" by the person the document
  names with that title; :func:`resolve_org` names "it", "the report" or "the board" by the
  organisation named before (with that noun, or as a subject).
- :func:`is_name` tells a name from a pronoun, a description or a place: a place never speaks,
  a country that does is its government (:func:`government_of`).
- :func:`speaker_of` reads the subject of a cue verb and names it.

Pronouns agree: "he" and "she" pass over a person of the other gender, as the document shows it
(Mr, Ms, "her career") or as the given name tells it (``data/names.json``).

Parsing stays frugal: only the sentences a lookup needs are parsed (those holding an earlier
occurrence of a surname, and the few sentences before a pronoun).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Iterable, NamedTuple
from weakref import WeakKeyDictionary

from spacy.tokens import Span, Token

from sayso.extract.aliases import default_aliases, default_places
from sayso.extract.parse import Sentence, TextView

SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependents that qualify a speaker without being part of the name ("X, a 29-year-old engineer").
DETACHED_DEPS = {"appos", "relcl", "acl", "punct", "cc", "conj", "advcl", "parataxis"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
SUBJECT_PRONOUNS = {"he", "she"}
# The end of an organisation's name after its head noun ("… Commission" "for Human Rights").
_NAME_TAIL = re.compile(r"(?:[ \t]+(?i:of|for|on|in)(?:[ \t]+the)?(?:[ \t]+[A-Z][\w'\u2019.&\-]*)+)")
# A pronoun that stands for an organisation when it speaks ("…," it said).
ORG_PRONOUNS = {"it"}
# First words that make a phrase a description or a pronoun, not a name.
NOT_NAMES = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "my", "your",
             "it", "they", "we", "i", "you", "them", "us", "who", "whose", "which", "one", "some"}
HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
# How many sentences back a pronoun looks for the person it stands for.
PRONOUN_WINDOW = 6
# Heads of a phrase that speaks for the organisation it names ("a UNHCR spokesperson").
ORG_VOICES = {"spokesman", "spokeswoman", "spokesperson", "representative", "official",
              "statement", "spokespeople", "officials", "representatives", "statements"}

_WORD = re.compile(r"[^\W\d_][\w'\u2019.\-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


@lru_cache(maxsize=1)
def cues() -> dict[str, frozenset[str]]:
    """The cue vocabularies of ``sayso/data/cues.json``, as sets of lowercase words."""
    raw = json.loads(resources.files("sayso.data").joinpath("cues.json").read_text(encoding="utf-8"))
    return {k: frozenset(w.lower() for w in v) for k, v in raw.items() if isinstance(v, list)}


class Speaker(NamedTuple):
    """A speaker as read from the text: its canonical name (None where it names nobody in
    particular, "one former detainee"), the mention as written and its document offsets."""

    name: str | None
    text: str
    start: int
    end: int
    kind: str          # person | pronoun | org | other


# --------------------------------------------------------------------------- names

def strip_title(name: str) -> str:
    """``name`` without the titles and offices in front of it and without a possessive.

    "Captain Lena Hofmann" -> "Lena Hofmann"; "Minister of Justice Petra Lind" -> "Petra Lind";
    "Dr. Ahmed Shaheed" -> "Ahmed Shaheed". A name made only of title words is left whole.
    """
    words = name.strip().split()
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    titles, offices = cues()["titles"], cues()["offices"]
    i = 0
    while i < len(words) - 1:
        w = words[i].lower().rstrip(".,")
        if w in titles:
            i += 1
            # "Minister of Justice", "Secretary for Home Affairs", "Minister of the Interior"
            if i < len(words) - 1 and words[i].lower() in ("of", "for"):
                j = i + 1
                while j < len(words) - 1 and words[j].lower().rstrip(",") in offices:
                    j += 1
                i = j
            continue
        break
    # An office left behind when the parser cut "Minister of" off ("Health Jorunn Sandvik",
    # "Human Rights Michelle Bachelet"): dropped where a person's name of two words or more is left.
    j = i
    while j < len(words) - 2 and words[j][:1].isupper() and words[j].lower() in offices \
            and words[j].lower() not in _LINKS:
        j += 1
    if j > i and _person_words(words[j:]) and len(words) - j >= 2:
        i = j
    # A title inside the phrase, the name after it ("UN Human Rights Chief Volker Turk",
    # "Event director Hugh Brasher", "House Speaker Nana Addo").
    for k in range(len(words) - 3, i - 1, -1):
        if words[k].lower().rstrip(".,") in titles and _person_words(words[k + 1:]) \
                and not any(w.lower().rstrip(".,") in titles for w in words[k + 1:]):
            i = k + 1
            break
    out = " ".join(words[i:]).strip(" ,")
    return out or name.strip()


_LINKS = {"the", "and", "of", "for"}
_PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "das", "do", "dos", "di", "del", "della",
              "van", "von", "der", "den", "ter", "la", "le", "du", "y", "abu", "ben", "mac"}


def looks_like_person(name: str) -> bool:
    """Whether a capitalised name reads as a person's rather than an organisation's: one to
    five capitalised words (name particles allowed), no acronym, no organisation word."""
    return _person_words(strip_title(name).split())


def _person_words(words: list[str]) -> bool:
    if not 1 <= len(words) <= 5 or words[0].lower() == "the":     # "The White House"
        return False
    org = cues()["org_words"]
    for w in words:
        core = w.strip(",.")
        low = core.lower()
        parts = [x for x in re.split(r"[-\u2010]", low) if x]
        if low in _PARTICLES or (parts and parts[0] in _PARTICLES and len(parts) > 1):
            continue
        if not core[:1].isupper() or any(c.isdigit() for c in core):
            return False
        if len(core) > 1 and core.isupper():
            return False
        if low in org or low.rstrip("s") in org or low.replace("’", "'") in org:
            return False
    return True


def _clean(mention: str) -> str:
    m = re.sub(r"\s+", " ", mention).strip(" ,.;:\"'\u201c\u201d\u2018\u2019")
    return strip_title(m)


def _tokens(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def _extends(full: list[str], part: list[str]) -> bool:
    """Whether ``part`` is ``full`` itself or a run of its words at its end or its start."""
    n = len(part)
    if not n or n > len(full):
        return False
    return full[-n:] == part or full[:n] == part


def _is_pronoun(mention: str) -> bool:
    return mention.strip().lower() in PRONOUN_GENDER


# --------------------------------------------------------------------------- mentions

def _sentence_persons(sent: Sentence, exclude: Iterable[tuple[int, int]] = (),
                      known: Iterable[list[str]] = ()) -> list[tuple[Span, str]]:
    """People named in a parsed sentence, as (span, title-stripped name).

    PERSON entities, and the names the small model mislabels: an ORG of two or more words
    that reads as a person's name (:func:`looks_like_person`), or any entity whose words are
    part of a name in ``known`` (token lists of people already named).
    """
    out = []
    if sent.doc is None:
        return out
    known = list(known)
    for ent in sent.doc.ents:
        a, b = sent.start + ent.start_char, sent.start + ent.end_char
        if any(s <= a and b <= e for s, e in exclude):
            continue
        name = strip_title(ent.text)
        toks = _tokens(name)
        if not toks:
            continue
        if ent.label_ == "PERSON" and len(toks) == 1 and toks[0] in cues()["org_words"]:
            continue        # "on Twitter"
        if _org_context(ent):
            continue
        if ent.label_ == "PERSON" or (
                ent.label_ == "ORG" and len(toks) >= 2 and looks_like_person(name)) or (
                ent.label_ in ("ORG", "GPE", "NORP", "FAC", "PRODUCT") and looks_like_person(name)
                and any(_extends(k, toks) for k in known)):
            out.append((ent, name))
    if known:
        # Names the model left untagged ("Wanjiru said ..."): proper-noun runs that repeat a
        # name already given to a person.
        doc, i = sent.doc, 0
        while i < len(doc):
            if doc[i].pos_ != "PROPN" or doc[i].ent_iob_ != "O":
                i += 1
                continue
            j = i
            while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].ent_iob_ == "O":
                j += 1
            span = doc[i: j + 1]
            a = sent.start + span.start_char
            toks = _tokens(strip_title(span.text))
            if toks and not any(s <= a < e for s, e in exclude) and any(_extends(k, toks) for k in known):
                out.append((span, strip_title(span.text)))
            i = j + 1
        out.sort(key=lambda x: x[0].start)
    return out


def _org_context(ent: Span) -> bool:
    """Whether an entity is apposed to an organisation noun ("Herrera's group, Enlaces
    Nacionales," / "Enlaces Nacionales, a search collective,")."""
    org = cues()["org_words"] | {"collective", "collectives", "organisations", "organizations",
                                 "outlet", "newspaper", "charity", "ngo", "body", "firm"}
    root = ent.root
    if root.dep_ == "appos" and root.head.lemma_.lower() in org:
        return True
    return any(c.dep_ == "appos" and c.lemma_.lower() in org for c in root.children)


def person_mentions(view: TextView, upto: int, window: int = 3,
                    exclude: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """PERSON names seen before document offset ``upto``, as (start, end, name), in order.

    The ``window`` sentences before the one holding ``upto`` (and that one) are parsed if they
    were not already; names from any other sentence already parsed are included as well, so
    the list grows as later stages parse more. Names inside ``exclude`` spans (quoted text, say)
    are left out; titles are stripped from the names.
    """
    exclude = list(exclude)
    idx = view.index_at(upto)
    if idx is None:
        idx = sum(1 for s in view.sentences if s.start < upto) - 1
    if idx >= 0:
        view.parsed(view.sentences[max(0, idx - window): idx + 1])
    out = []
    for sent in view.sentences:
        if sent.start >= upto:
            break
        for ent, name in _sentence_persons(sent, exclude):
            a, b = sent.start + ent.start_char, sent.start + ent.end_char
            if a < upto:
                out.append((a, b, name))
    return out


def _leftward_name(sent: Sentence, tok: Token) -> str:
    """A name read leftwards from ``tok`` over capitalised proper nouns (for NER misses)."""
    titles = cues()["titles"]
    i = tok.i
    doc = sent.doc
    while i > 0:
        prev = doc[i - 1]
        if prev.pos_ != "PROPN" or not prev.text[:1].isupper() or prev.text.lower().rstrip(".") in titles:
            break
        if prev.ent_type_ in ("GPE", "NORP", "ORG", "DATE") and prev.ent_type_ != tok.ent_type_:
            break
        i -= 1
    j = tok.i
    while j + 1 < len(doc) and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper() \
            and doc[j + 1].ent_iob_ == "I":
        j += 1
    return doc[i: j + 1].text


def full_name(view: TextView, name: str, offset: int) -> str:
    """The fullest form of ``name`` introduced before ``offset`` (``name`` itself if none).

    Only the sentences holding an earlier occurrence of the name are parsed.
    """
    name = _clean(name)
    want = _tokens(name)
    if not want:
        return name
    # Occurrences of the name's words as written, up to and including the mention itself.
    key = re.escape(name).replace(r"\ ", r"\s+")
    pattern = re.compile(r"(?<![\w])" + key + r"(?![\w])")
    here = view.index_at(offset)
    limit = view.sentences[here].end if here is not None else offset + len(name)
    text = view.text
    for m in pattern.finditer(text, 0, max(limit, 0)):
        # A fuller form needs a capitalised word right before or after the occurrence; only
        # then is its sentence worth parsing.
        before = re.search(r"(\S+)[ \t]+$", text[max(0, m.start() - 40):m.start()])
        after = re.match(r"[ \t]+(\S+)", text[m.end():m.end() + 40])
        if not any(w and w.group(1)[:1].isupper() and w.group(1).lower().rstrip(".") not in cues()["titles"]
                   for w in (before, after)):
            continue
        idx = view.index_at(m.start())
        if idx is None:
            continue
        sent = view.parsed([view.sentences[idx]])[0]
        found = None
        for ent, ent_name in _sentence_persons(sent):
            a, b = sent.start + ent.start_char, sent.start + ent.end_char
            if a <= m.start() and m.end() <= b:
                found = ent_name
                break
        if found is None:
            tok = sent.token_at(m.end() - 1)
            if tok is not None and tok.pos_ == "PROPN":
                found = strip_title(_leftward_name(sent, tok))
        if found is None:
            continue
        got = _tokens(found)
        if len(got) > len(want) and _extends(got, want):
            return found            # the first fuller form: the name as introduced
    return name


def canonical_person(view: TextView, mention: str, offset: int,
                     recent: Iterable[tuple[int, str]] = (),
                     exclude: Iterable[tuple[int, int]] = ()) -> str | None:
    """The full name of the person a mention at ``offset`` stands for.

    A name or surname gives the fullest form introduced before it (titles stripped); a pronoun
    ("she", "he") gives the person it most likely refers to (see :func:`resolve_pronoun`;
    ``recent`` are (offset, name) pairs of speakers already resolved, ``exclude`` spans to skip,
    such as quoted text). None where a pronoun has no antecedent.
    """
    if _is_pronoun(mention):
        return resolve_pronoun(view, mention, offset, recent, exclude)
    name = _clean(mention)
    if not name:
        return None
    return full_name(view, name, offset)


# --------------------------------------------------------------------------- pronouns

_GENDERS: "WeakKeyDictionary[TextView, dict[str, str]]" = WeakKeyDictionary()


def _gender_table(view: TextView) -> dict[str, str]:
    try:
        return _GENDERS.setdefault(view, {})
    except TypeError:           # a view that cannot be weakly referenced: no memory
        return {}


def note_gender(view: TextView, name: str, pronoun: str) -> None:
    """Remember that ``pronoun`` was found to refer to ``name``."""
    g = PRONOUN_GENDER.get(pronoun.lower())
    if g and name:
        _gender_table(view).setdefault(name.lower(), g)


def _learn_genders(view: TextView, sent: Sentence, exclude: list[tuple[int, int]], skip: int) -> None:
    """Cheap cues: an honorific (Mr, Ms), or a sentence whose subject is the one person it
    names and whose possessives in the same clause agree ("Nilar Win has spent most of her
    career ...", "Olga Kovalchuk, a teacher who marched with her daughter, ...")."""
    persons = _sentence_persons(sent, exclude)
    table = _gender_table(view)
    for ent, name in persons:
        if ent.start > 0:
            g = HONORIFIC_GENDER.get(sent.doc[ent.start - 1].text.lower().rstrip("."))
            if g:
                table.setdefault(name.lower(), g)
    if len({n.lower() for _, n in persons}) != 1:
        return
    ent, name = persons[0]
    if not _is_subject(ent.root):
        return
    own = {t.i for t in _subject_phrase(ent.root).subtree}
    seen = set()
    for tok in sent.doc:
        a = sent.start + tok.idx
        if tok.i < ent.end or a == skip or any(s <= a < e for s, e in exclude):
            continue
        g = PRONOUN_GENDER.get(tok.lower_)
        if not g or tok.tag_ != "PRP$":
            continue
        if tok.i in own or _same_clause(tok):
            seen.add(g)
    if len(seen) == 1:
        table.setdefault(name.lower(), seen.pop())


def _speaking_subjects(sent: Sentence, exclude: list[tuple[int, int]]) -> list[tuple[Token, str]]:
    """Proper nouns the model left untagged that are the subject of a speech verb and read
    as a person's name ("... but Ruiz said the figure was 19")."""
    out = []
    if sent.doc is None:
        return out
    said = cues()["quote"] | cues()["source"]
    for tok in sent.doc:
        if tok.dep_ != "nsubj" or tok.pos_ != "PROPN" or tok.head.lemma_.lower() not in said:
            continue
        # a lone word the model calls an organisation, which no organisation is known by
        mislabelled = tok.ent_type_ == "ORG" and tok.ent_iob_ == "B" and \
            (tok.i + 1 == len(sent.doc) or sent.doc[tok.i + 1].ent_iob_ != "I") and not _known_org(tok.text)
        if tok.ent_type_ not in ("", "PERSON") and not mislabelled:
            continue
        if any(s <= sent.start + tok.idx < e for s, e in exclude):
            continue
        words = [t for t in tok.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [tok]
        name = strip_title(" ".join(t.text for t in words))
        if looks_like_person(name):
            out.append((words[0], name))
    return out


def _subject_phrase(tok: Token) -> Token:
    """The head of the subject phrase ``tok`` belongs to (itself, or the noun it is apposed to)."""
    while tok.dep_ in ("compound", "appos", "flat") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _is_subject(tok: Token) -> bool:
    head = _subject_phrase(tok)
    return head.dep_ in SUBJECT_DEPS and head.head.dep_ == "ROOT"


def _same_clause(tok: Token) -> bool:
    """Whether a token hangs from the main clause without crossing into a subordinate one."""
    t = tok
    while t.head.i != t.i:
        if t.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "conj", "csubj"):
            return False
        t = t.head
    return True


def _gender_of(view: TextView, name: str) -> str | None:
    """The gender a pronoun has been found to give ``name`` in this document, else the one its
    given name tells (``data/names.json``), else None."""
    table = _gender_table(view)
    low = name.lower()
    if low in table:
        return table[low]
    toks = _tokens(name)
    for known, g in table.items():
        kt = _tokens(known)
        if _extends(kt, toks) or _extends(toks, kt):
            return g
    return given_name_gender(name)


@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    raw = json.loads(resources.files("sayso.data").joinpath("names.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for key, g in (("female", "f"), ("male", "m")):
        for n in raw.get(key, []):
            low = n.lower()
            out[low] = g if out.get(low, g) == g else ""      # in both lists: tells nothing
    return {k: v for k, v in out.items() if v}


def given_name_gender(name: str) -> str | None:
    """"f" or "m" where the first word of a person's full name is a given name that tells the
    gender ("Elena Petrova" -> "f"); None for a surname alone or a name common to both."""
    words = _tokens(strip_title(name))
    if len(words) < 2:
        return None
    return _given_names().get(words[0])


def resolve_pronoun(view: TextView, pronoun: str, offset: int,
                    recent: Iterable[tuple[int, str]] = (),
                    exclude: Iterable[tuple[int, int]] = ()) -> str | None:
    """The full name of the person a personal pronoun at ``offset`` refers to.

    Walks back sentence by sentence (at most ``PRONOUN_WINDOW``), parsing as it goes; the
    first sentence that names someone (outside ``exclude``) or holds a speaker listed in
    ``recent`` decides. Within it a grammatical subject is preferred, then a resolved speaker,
    then the last name that is not a possessive. Names of the other known gender are passed over.
    """
    exclude = list(exclude)
    recent = sorted(recent)
    want = PRONOUN_GENDER.get(pronoun.strip().lower())
    idx = view.index_at(offset)
    if idx is None:
        idx = sum(1 for s in view.sentences if s.start < offset) - 1
    lo = max(0, idx - PRONOUN_WINDOW)
    known = [_tokens(n) for _, _, n in person_mentions(view, offset, window=0, exclude=exclude)]
    for i in range(idx, lo - 1, -1):
        sent = view.parsed([view.sentences[i]])[0]
        _learn_genders(view, sent, exclude, offset)
        cands: list[tuple[int, int, str]] = []     # (rank, position, name); lower rank wins
        for ent, name in _sentence_persons(sent, exclude, known):
            pos = sent.start + ent.start_char
            if pos >= offset:
                continue
            nxt = sent.doc[ent.end] if ent.end < len(sent.doc) else None
            possessive = nxt is not None and nxt.tag_ == "POS"
            subject = _subject_phrase(ent.root).dep_ in SUBJECT_DEPS
            rank = 0 if subject else (3 if possessive else 2)
            cands.append((rank, pos, name))
        for tok, name in _speaking_subjects(sent, exclude):
            pos = sent.start + tok.idx
            if pos < offset and not any(c[1] == pos for c in cands):
                cands.append((0, pos, name))
        for pos, name in recent:
            if sent.start <= pos < min(sent.end, offset):
                cands.append((1, pos, name))
        if want:
            cands = [c for c in cands if _gender_of(view, c[2]) in (None, want)]
        cands = [c for c in cands if not is_place(c[2])]      # "in Port Harcourt": never "he"
        if not cands:
            continue
        rank = min(c[0] for c in cands)
        pos, name = max((c[1], c[2]) for c in cands if c[0] == rank)
        found = full_name(view, name, pos)
        note_gender(view, found, pronoun)
        return found
    return None


# --------------------------------------------------------------------------- descriptions

def titled_person(view: TextView, title: str, offset: int) -> str | None:
    """The person a description headed by a title stands for ("the president" at ``offset``):
    the name written right after that title ("President Amara Diallo", "human rights chief
    Jane Roe") or apposed to it ("Jane Roe, the human rights chief,"), the nearest before the
    mention, else the first after it. None where the document names no one with that title."""
    text = view.text
    name = r"((?:[A-Z][\w'\u2019.\-]*[ \t]+){0,3}[A-Z][\w'\u2019\-]*)"
    after_title = re.compile(r"\b(?i:" + re.escape(title) + r")\.?[ \t]+" + name)
    before_title = re.compile(name + r",[ \t]+(?:the|a|an|its|their)[ \t]+(?:[\w'\u2019.\-]+[ \t]+){0,5}?(?i:"
                              + re.escape(title) + r")\b")
    found: list[tuple[int, str]] = []
    for pattern in (after_title, before_title):
        for m in pattern.finditer(text):
            words = strip_title(m.group(1)).split()
            if _person_words(words) and not (m.start(1) <= offset < m.end(1)):
                found.append((m.start(1), " ".join(words)))
    if not found:
        return None
    before = [f for f in found if f[0] < offset]
    pos, got = max(before) if before else min(found)
    return full_name(view, got, pos)


def resolve_org(view: TextView, offset: int, exclude: Iterable[tuple[int, int]] = (),
                noun: str | None = None) -> str | None:
    """The organisation "it", "the report" or "the ``noun``" at ``offset`` stands for.

    With a noun ("the department", "the campaign"): the nearest organisation named before whose
    name holds that noun ("Justice Department", "the Delgado campaign"); for a generic noun
    ("the company", "the group") the nearest organisation named as a subject. Without one: the
    nearest organisation named before as the subject of its sentence, or as the owner of that
    subject ("UNAMI's report"). At most ``PRONOUN_WINDOW`` sentences back; None where there is none.
    """
    exclude = list(exclude)
    idx = view.index_at(offset)
    if idx is None:
        idx = sum(1 for s in view.sentences if s.start < offset) - 1
    lo = max(0, idx - PRONOUN_WINDOW)
    if noun:
        for i in range(idx, lo - 1, -1):
            sent = view.parsed([view.sentences[i]])[0]
            for ent in reversed(sent.doc.ents if sent.doc is not None else ()):
                a = sent.start + ent.start_char
                if ent.label_ == "ORG" and a < offset and noun in _tokens(ent.text) \
                        and not any(s <= a < e for s, e in exclude):
                    more = _NAME_TAIL.match(view.text, sent.start + ent.end_char)   # "… Mission" "in Iraq"
                    return _org_name(ent.text, more.group() if more else "")
        text = view.text
        # "the Delgado campaign", "the country's High Commission For Human Rights"
        named = re.compile(r"((?:[A-Z][\w'\u2019.&\-]*[ \t]+){1,5})((?i:" + re.escape(noun) + r")\b"
                           + _NAME_TAIL.pattern + "?)")
        found = [m for m in named.finditer(text, view.sentences[lo].start, offset)
                 if not any(s <= m.start() < e for s, e in exclude)]
        for m in reversed(found):
            words = m.group(1).split()
            if words[0].lower() in ("the", "a", "an", "this", "that"):
                words = words[1:]
            if words and not is_place(" ".join(words)):
                head = text[m.start(2):m.start(2) + len(noun)]
                return _org_name(" ".join(words + [head]), text[m.start(2) + len(noun):m.end(2)])
        if noun not in cues()["generic_org_nouns"]:
            return None
    for i in range(idx, lo - 1, -1):
        sent = view.parsed([view.sentences[i]])[0]
        if sent.doc is None:
            continue
        for ent in reversed(sent.doc.ents):
            a = sent.start + ent.start_char
            if ent.label_ != "ORG" or a >= offset or any(s <= a < e for s, e in exclude):
                continue
            root = ent.root
            while root.dep_ in ("appos", "flat") and root.head.i != root.i:
                root = root.head
            if root.dep_ == "poss" and root.head.dep_ in SUBJECT_DEPS:
                root = root.head
            if root.dep_ in SUBJECT_DEPS and not looks_like_person(ent.text):
                return canonical_org(ent.text)
    return None


# --------------------------------------------------------------------------- organisations

def _org_name(name: str, tail: str) -> str:
    """The canonical name of an organisation named ``name`` + ``tail`` ("… Commission" + " for
    Human Rights"). A tail of place ("in Baghdad") is kept only where the registry knows the
    whole name ("UN Assistance Mission in Afghanistan"): it may say where the body sits."""
    whole = re.sub(r"\s+", " ", (name + tail).strip())
    if tail and (not tail.split()[0].lower() == "in" or _known_org(whole)):
        return canonical_org(whole)
    return canonical_org(name)


def _known_org(name: str) -> bool:
    return default_aliases().canonical(name) is not None


def canonical_org(mention: str) -> str:
    """An organisation's canonical name, through the alias registry where it is available."""
    text = re.sub(r"\s+", " ", mention).strip(" ,.;:")
    text = _POSSESSIVE.sub("", text) if text.endswith(("'s", "\u2019s")) else text
    got = default_aliases().canonical(text)
    if got:
        return got
    return re.sub(r"^(?:the|The)\s+", "", text)


def is_place(name: str) -> bool:
    """Whether ``name`` names a place: one the places registry knows (a country, region or
    city), or a name ending in a word such as "County" or "Province"."""
    words = name.split()
    if words and words[-1].lower() in cues()["place_words"]:
        return True
    return default_places().canonical(name) is not None


def government_of(place: str) -> str | None:
    """The canonical name of a country's government ("Egypt" -> "Government of Egypt"), None
    where the alias registry knows no government for that place (a city, a region)."""
    phrase = f"{place} government"
    got = canonical_org(phrase)
    return got if got != phrase else None


# --------------------------------------------------------------------------- subjects

def subject_of(verb: Token) -> Token | None:
    """The subject of a verb, looking through coordination ("X stood up and said")."""
    v = verb
    for _ in range(3):
        for child in v.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            v = v.head
            continue
        break
    return None


def phrase_of(head: Token) -> Span:
    """The words of a noun phrase that name its referent: the head with its modifiers, without
    appositions, relative clauses or punctuation ("one former detainee", "Amal Haddad")."""
    if head.ent_type_ and head.ent_iob_ in ("B", "I"):
        for ent in head.doc.ents:
            if ent.start <= head.i < ent.end and ent.label_ in ("PERSON", "ORG", "NORP", "GPE", "FAC"):
                if ent.label_ == "PERSON" or head.pos_ == "PROPN":
                    return ent
    left, right = head.i, head.i
    for child in head.children:
        if child.dep_ in DETACHED_DEPS:
            continue
        if child.i < head.i:
            left = min(left, child.left_edge.i)
        elif child.dep_ in ("prep", "compound", "pobj", "nummod", "case", "poss", "amod"):
            right = max(right, child.right_edge.i)
    return head.doc[left: right + 1]


def speaker_of(view: TextView, sent: Sentence, head: Token,
               recent: Iterable[tuple[int, str]] = (),
               exclude: Iterable[tuple[int, int]] = (),
               span: Span | None = None) -> Speaker:
    """Name the speaker whose phrase is headed by ``head`` (a token of ``sent``).

    A person gives their full name; a pronoun the person it refers to; an organisation (or a
    spokesperson for one) its canonical name; a country its government; any other description
    ("one former detainee"), a place or a pronoun left unresolved no name, only the mention.
    ``span`` gives the phrase where the parse cannot.
    """
    m = _speaker_of(view, sent, head, recent, exclude, span)
    return m if m.name is None or is_name(m.name) else m._replace(name=None)


def is_name(name: str) -> bool:
    """Whether ``name`` can name a speaker or a source: not a pronoun or relative ("she",
    "whose"), not a description ("the group", "our team", "prosecutors"), not a place."""
    words = name.split()
    if not words or not any(c.isupper() for c in name):
        return False
    low = words[0].lower()
    if low == "the" and len(words) > 1 and words[1][:1].isupper():
        low = words[1].lower()          # "The Hague Tribunal"
    if low in PRONOUN_GENDER or low in NOT_NAMES:
        return False
    return not (is_place(name) and government_of(name) is None)


def _speaker_of(view: TextView, sent: Sentence, head: Token, recent, exclude, span) -> Speaker:
    if span is None and head.ent_type_ != "PERSON" and head.pos_ != "PRON":
        # "A Slovakian MEP, Ivan Štefanec, said": the apposition names the speaker.
        named = _apposed_person(head)
        if named is not None:
            head = named
    span = span if span is not None else phrase_of(head)
    text = span.text.strip()
    start, end = sent.start + span.start_char, sent.start + span.end_char
    low = head.lower_
    if head.pos_ == "PRON" or low in PRONOUN_GENDER:
        if low in SUBJECT_PRONOUNS or low in ("him", "her"):
            name = resolve_pronoun(view, head.text, sent.start + head.idx, recent, exclude)
            return Speaker(name, head.text, start, end, "pronoun")
        if low in ORG_PRONOUNS:
            return Speaker(resolve_org(view, start, exclude), head.text, start, end, "org")
        return Speaker(None, head.text, start, end, "other")
    if isinstance(span, Span) and span.label_ == "PERSON":
        return Speaker(full_name(view, span.text, start), text, start, end, "person")
    if isinstance(span, Span) and span.label_ in ("GPE", "LOC") and is_place(_clean(span.text)):
        # A place does not speak; a country that does is its government ("Egypt said", "the
        # Egypt gov't calls it …"). A city or region gives no name.
        return Speaker(government_of(_clean(span.text)), text, start, end, "org")
    if isinstance(span, Span) and span.label_ in ("ORG", "NORP", "GPE", "FAC"):
        # The small model often calls a person's name an ORG: a name that reads as a person's,
        # or one already given to a person, is taken as one.
        clean = _clean(span.text)
        if looks_like_person(clean) and (len(_tokens(clean)) >= 2 or _known_person(view, clean, start)):
            return Speaker(full_name(view, clean, start), text, start, end, "person")
        name = full_name(view, clean, start)
        if len(_tokens(name)) > len(_tokens(clean)):
            return Speaker(name, text, start, end, "person")
        return Speaker(canonical_org(span.text), text, start, end, "org")
    if head.pos_ == "PROPN":
        clean = _clean(text)
        if is_place(clean) and len(_tokens(full_name(view, clean, start))) == len(_tokens(clean)):
            return Speaker(government_of(clean), text, start, end, "org")
        if looks_like_person(clean):
            return Speaker(full_name(view, clean, start), text, start, end, "person")
        return Speaker(canonical_org(text), text, start, end, "org")
    # "a UNHCR spokesperson", "a spokesperson for the ministry", "the report from the
    # commission": the organisation speaks.
    documents = cues()["document_nouns"]
    if head.lemma_.lower() in ORG_VOICES or head.lower_ in documents:
        owners = [t for t in span if t.ent_type_ == "ORG"] or [
            t for t in span if t.pos_ == "PROPN" and t.i != head.i and t.ent_type_ not in ("GPE", "NORP", "LOC")]
        for tok in owners[:1]:
                for ent in head.doc.ents:
                    if ent.start <= tok.i < ent.end:
                        return Speaker(canonical_org(ent.text), text, start, end, "org")
                return Speaker(canonical_org(tok.text), text, start, end, "org")
    # "the report says", "it said": the organisation named as the subject before.
    if head.lower_ in documents and span[0].lower_ in ("the", "its", "this", "that"):
        return Speaker(resolve_org(view, start, exclude), text, start, end, "org")
    # "the department said", "the company said": the organisation that noun stands for.
    if head.pos_ == "NOUN" and span[0].lower_ in ("the", "this", "that") and len(span) <= 3 \
            and head.lower_ in cues()["org_words"] | cues()["generic_org_nouns"]:
        name = resolve_org(view, start, exclude, head.lower_)
        if name:
            return Speaker(name, text, start, end, "org")
    # "the president", "its human rights chief": the person who holds that title.
    if head.lower_ in cues()["person_titles"] and span[0].tag_ in ("DT", "PRP$", "POS") \
            and span[0].lower_ not in ("a", "an", "another", "one", "some", "any"):
        name = titled_person(view, head.lower_, start)
        if name:
            return Speaker(name, text, start, end, "person")
    # "the 45-year-old", "the lawyer": a definite description of someone named before.
    if _describes_person(span, head):
        name = resolve_pronoun(view, "", sent.start + head.idx, recent, exclude)
        return Speaker(name, text, start, end, "pronoun" if name else "other")
    return Speaker(None, text, start, end, "other")


def _describes_person(span: Span, head: Token) -> bool:
    first = span[0] if len(span) else head
    if first.lower_ != "the" or any(t.ent_type_ in ("ORG", "GPE", "NORP") for t in span):
        return False
    nouns = cues()["person_nouns"]
    return (head.lower_ in nouns or head.lemma_.lower() in nouns
            or re.search(r"year[\s-]*old$", span.text.lower()) is not None)


def _apposed_person(head: Token) -> Token | None:
    """A PERSON named in apposition to ``head`` (or to a phrase coordinated with it)."""
    heads = [head] + [c for c in head.children if c.dep_ == "conj"]
    for h in heads:
        for child in h.children:
            if child.dep_ == "appos":
                for tok in child.subtree:
                    if tok.ent_type_ == "PERSON":
                        return tok.head if tok.dep_ == "compound" and tok.head.ent_type_ == "PERSON" else tok
                # a name the model left untagged ("High Commissioner Volker Turk")
                name = [t for t in child.subtree if t.i <= child.i and t.pos_ == "PROPN"]
                if child.pos_ == "PROPN" and len(name) >= 2 and name[-1].i == child.i \
                        and name[-1].i - name[0].i == len(name) - 1 and not child.ent_type_ \
                        and _person_words([t.text for t in name]):
                    return child
    return None


def _known_person(view: TextView, mention: str, offset: int) -> bool:
    want = _tokens(_clean(mention))
    return any(_extends(_tokens(n), want) for _, _, n in person_mentions(view, offset, window=0))
