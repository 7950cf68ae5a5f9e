"""Who a mention names: canonical names for sources, with simple coreference.

A document's organisations and people are tracked in reading order: alias-registry matches over
the whole text, named entities of the parsed sentences, and every source already resolved. A
mention then resolves, in order, to: a person it names ("the UN's special envoy, Jane Roe");
an organisation of the alias registry; for a pronoun ("it", "she") or a description ("the group",
"the ministry"), the most recent organisation or person that fits; or else its own words, without
a leading article, which the user can map with an alias file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from sayso.extract.speakers import looks_like_person, strip_title
from sayso.link.aliases import AliasRegistry

ORG_PRONOUNS = {"it", "they", "its"}
# Agents that name nobody in particular: no source. ("we"/"I" inside a quote are its speaker's.)
NOBODY = {"nobody", "no one", "none", "everyone", "everybody", "anyone", "someone", "somebody",
          "i", "we", "you", "us", "me", "people", "many", "some", "others", "this", "that", "which", "who",
          "sources", "source", "officials", "witnesses", "observers", "reports", "activists", "residents",
          "critics", "analysts", "media", "rumours", "rumors"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
# Head nouns of descriptions that stand for any organisation mentioned before them.
GENERIC_ORG_NOUNS = {"group", "organisation", "organization", "agency", "body", "watchdog", "ngo",
                     "charity", "monitor", "network", "coalition", "centre", "center", "office",
                     "ministry", "committee", "commission", "council", "institute", "alliance",
                     "association", "directorate", "department", "government", "authorities",
                     "project", "union", "mission", "campaign", "foundation", "federation", "panel"}
# Descriptions that stand for whichever organisation was named last.
ANY_ORG_NOUNS = {"group", "organisation", "organization", "agency", "body", "watchdog", "ngo", "charity"}
ORG_VOICES = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"}
DESCRIPTORS = {"ngo", "group", "organisation", "organization", "charity", "watchdog", "agency", "monitor"}
PERSON_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "official", "minister", "envoy",
                "rapporteur", "director", "lawyer", "activist", "officer", "witness", "resident"}
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_REFLEXIVE = re.compile(r"\s+(?:itself|themselves|himself|herself)$", re.I)
_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")


@dataclass
class Entity:
    start: int
    end: int
    name: str
    kind: str            # org | person
    cited: bool = False  # resolved as the source of a statement
    mention: str = ""    # the words that named it ("the monitoring group OVD-Info")


@dataclass
class EntityTracker:
    """Organisations, people and countries of one document, in reading order."""

    aliases: AliasRegistry
    entities: list[Entity] = field(default_factory=list)
    countries: list[tuple[int, str, float]] = field(default_factory=list)   # offset, country, weight
    local: dict[str, str] = field(default_factory=dict)      # acronym -> name defined in the text

    @classmethod
    def for_text(cls, text: str, aliases: AliasRegistry, places: AliasRegistry | None = None) -> "EntityTracker":
        tracker = cls(aliases)
        for m in ACRONYM_DEFINITION.finditer(text):
            name, acronym = m.group(1).strip(), m.group(2)
            if _initials_match(name, acronym):
                tracker.local[acronym] = aliases.canonical(name) or clean_mention(name)
        for start, end, name in aliases.find(text):
            tracker.add(start, end, tracker.local.get(text[start:end], name), "org")
        if places is not None:
            orgs = [(e.start, e.end, e.name) for e in tracker.entities]
            for s, e, name in places.find(text):
                inside = any(a <= s and e <= b for a, b, _ in orgs)
                if not inside and aliases.canonical(f"Government of {name}"):
                    weight = 1.0 if text[s:e].lower() == name.lower() else 0.5   # "German scholar": a hint
                    tracker.countries.append((s, name, weight))
            for s, _, name in orgs:            # "the Egyptian government" speaks of Egypt
                m = re.match(r".+? of (?:the )?(.+)$", name)
                if m and aliases.canonical(f"Government of {m.group(1)}") == f"Government of {m.group(1)}":
                    tracker.countries.append((s, m.group(1), 2.0))
            tracker.countries.sort()
        return tracker

    def local_name(self, mention: str) -> str | None:
        """The name a document gave an acronym in a mention ("the Chilean Observatory (OCDH)")."""
        for word in re.findall(r"\b[A-Z][A-Za-z]{1,9}\b", mention):
            if word in self.local:
                return self.local[word]
        return None

    def country_at(self, offset: int) -> str | None:
        """The country a document is about: the one it names most (its government counting double,
        an adjective half), ties going to the one named last before the offset."""
        if not self.countries:
            return None
        counts: dict[str, float] = {}
        last: dict[str, int] = {}
        for s, name, weight in self.countries:
            counts[name] = counts.get(name, 0) + weight
            if s < offset:
                last[name] = s
        return max(counts, key=lambda n: (counts[n], last.get(n, -1)))

    def national_body(self, mention: str, offset: int) -> str | None:
        """ "the government", "the Health Ministry" -> that body of the country in context."""
        country = self.country_at(offset)
        if country is None:
            return None
        return self.aliases.canonical(f"{mention} of {country}")

    def covering(self, offset: int) -> Entity | None:
        """A registry entity whose mention covers a document offset."""
        for e in self.entities:
            if e.start <= offset < e.end:
                return e
        return None

    def add(self, start: int, end: int, name: str, kind: str, cited: bool = False, mention: str = "") -> None:
        self.entities.append(Entity(start, end, name, kind, cited, mention))

    def add_parsed(self, sentence_start: int, ents: list[Span]) -> None:
        for ent in ents:
            if ent.label_ in ("ORG", "PERSON"):
                start = sentence_start + ent.start_char
                if not any(e.start <= start < e.end for e in self.entities):
                    kind = "person" if ent.label_ == "PERSON" else "org"
                    name = re.sub(rf"^(?:(?:{'|'.join(DESCRIPTORS)})\s+)+", "", clean_mention(ent.text), flags=re.I)
                    self.add(start, sentence_start + ent.end_char, name, kind)

    def recent(self, before: int, kind: str | None = None, word: str | None = None,
               prefer_cited: bool = False) -> Entity | None:
        """The last entity starting before an offset, of a kind and/or whose name has a word;
        with ``prefer_cited``, the last one already cited as a source ("the group said" refers
        back to the last group that spoke, not to the last one mentioned)."""
        best = best_source = None
        for e in self.entities:
            if e.start >= before or (kind and e.kind != kind):
                continue
            if word and not re.search(rf"\b{re.escape(word)}", f"{e.name} {e.mention}", re.I):
                continue
            if best is None or e.start > best.start:
                best = e
            if e.cited and (best_source is None or e.start > best_source.start):
                best_source = e
        return (best_source or best) if prefer_cited else best


ACRONYM_DEFINITION = re.compile(r"((?:[A-Z][\w'\u2019\u00c0-\u024f-]*\s+(?:(?:of|for|on|and|the|de|du|des)\s+)*){1,8})\(([A-Z][A-Za-z]{1,9})\)")


def _initials_match(name: str, acronym: str) -> bool:
    """ "Chilean Human Rights Observatory" and "OCDH": the acronym's letters appear, in order,
    among the name's initials (translated names keep most of them)."""
    initials = [w[0].upper() for w in name.split() if w[0].isupper()]
    hits = sum(1 for ch in acronym.upper() if ch in initials)
    return hits >= max(2, len(acronym) - 2)


def clean_mention(text: str) -> str:
    """A mention's words without a leading article or a trailing possessive."""
    text = re.sub(r"\s+", " ", text.strip(" ,.;:\"'()\u201c\u201d"))
    text = _ARTICLE.sub("", text)
    text = _REFLEXIVE.sub("", text)
    return _POSSESSIVE.sub("", text).strip()


def mention_tokens(head: Token) -> list[Token]:
    """The tokens of a source mention: the head's subtree without clauses hanging from it."""
    drop = set()
    for child in head.children:
        if child.dep_ in {"relcl", "acl", "advcl", "cc"} or (child.dep_ == "appos" and _is_clause(child)):
            drop.update(t.i for t in child.subtree)
        if child.dep_ == "punct" and not _joins(child):        # "OVD-Info" keeps its hyphen
            drop.update(t.i for t in child.subtree)
        if child.dep_ == "prep" and child.lower_ not in {"of", "for", "on", "in"}:
            drop.update(t.i for t in child.subtree)
    toks = [t for t in head.subtree if t.i not in drop]
    if head.ent_type_ in {"ORG", "PERSON", "NORP", "GPE"}:     # "Reporters Without Borders": the whole name
        ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if ent is not None:
            toks = sorted({*toks, *ent}, key=lambda t: t.i)
    # keep a contiguous run around the head
    idx = {t.i for t in toks}
    start = end = head.i
    while start - 1 in idx:
        start -= 1
    while end + 1 in idx:
        end += 1
    return [t for t in head.doc[start:end + 1] if not (t.is_punct and t.i in (start, end))]


def _joins(punct: Token) -> bool:
    """Punctuation written inside a name, with no space around it: the hyphen of "OVD-Info"."""
    doc = punct.doc
    return punct.i > 0 and not doc[punct.i - 1].whitespace_ and not punct.whitespace_ and punct.text in "-\u2010/&"


def _is_clause(tok: Token) -> bool:
    return any(t.pos_ == "VERB" for t in tok.subtree)


def resolve(tracker: EntityTracker, tokens: list[Token], offset: int, person_name=None) -> tuple[str, str] | None:
    """Canonical name and mention text for a source mention (tokens of one parsed sentence).

    ``offset`` is the document offset of the first token; ``person_name(mention, offset)`` gives
    the full name for a person mention (a surname, a pronoun), or None.
    """
    if not tokens:
        return None
    doc = tokens[0].doc
    text = doc[tokens[0].i:tokens[-1].i + 1].text
    lower = clean_mention(text).lower()
    head = min(tokens, key=lambda t: _depth(t))
    head_offset = offset + head.idx - tokens[0].idx
    # "a junta spokesman", "the ministry's spokesperson": the body it speaks for ("for X" first)
    has_body = any(c.dep_ == "prep" and c.lower_ in {"for", "of", "at"} for c in head.children)
    if head.lower_ in ORG_VOICES and not has_body and not _person_in(doc, tokens):
        owner = [c for c in head.children if c.dep_ in {"compound", "poss", "nmod"}]
        if owner:
            inner = [t for t in doc[owner[0].left_edge.i:owner[-1].i + 1]]
            got = resolve(tracker, inner, offset + inner[0].idx - tokens[0].idx, person_name)
            if got:
                return got[0], text
    # "a spokesman for the Interior Ministry": the body it speaks for
    if head.lower_ in PERSON_NOUNS:
        body = next((p for c in head.children if c.dep_ == "prep" and c.lower_ in {"for", "of", "at"}
                     for p in c.children if p.dep_ == "pobj"), None)
        if body is not None and not _person_in(doc, tokens):
            inner = mention_tokens(body)
            return resolve(tracker, inner, offset + inner[0].idx - tokens[0].idx, person_name)
    person = _person_in(doc, tokens)
    if person is not None:
        name = person_name(person.text, offset + person.start_char - tokens[0].idx) if person_name else None
        return (name or strip_title(person.text)), text
    if lower in NOBODY or (head.lower_ in NOBODY and not any(t.pos_ == "PROPN" for t in tokens)):
        return None           # "local residents", "witnesses"
    local = tracker.local_name(text)
    if local:
        return local, text
    # an organisation of the registry, found in the mention or over the document text
    found = tracker.aliases.find(text)
    covering = [f for f in found if f[0] <= head.idx - tokens[0].idx < f[1]]
    if covering:
        return covering[0][2], text
    known = tracker.covering(head_offset)
    if known is not None and known.kind == "org":
        return known.name, text
    body = tracker.national_body(lower, offset)
    if body:
        return body, text
    if lower in PERSON_PRONOUNS:
        name = person_name(text, offset) if person_name else None
        if name is None:
            e = tracker.recent(offset, "person")
            name = e.name if e else None
        return (name, text) if name else None
    if lower in ORG_PRONOUNS:
        e = tracker.recent(offset, "org")
        return (e.name, text) if e else None
    if len(tokens) <= 4 and tokens[0].lower_ in {"the", "this", "that", "a", "an", "our", "its"}:
        org = described(tracker, head.lower_, offset)   # "the group", "a spokeswoman"
        if org:
            return org, text
    if found:
        return found[0][2], text
    orgs = [e for e in doc.ents if e.label_ == "ORG" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1]
    if orgs and head.lower_ in PERSON_NOUNS:
        return clean_mention(orgs[-1].text), text
    if person_name and head.ent_type_ == "PERSON":
        name = person_name(text, offset)
        if name:
            return name, text
    aside = _bracketed_name(tracker, head)
    if aside:                 # "the main opposition (the People's Mojahedin Organization of Iran)"
        return aside, text
    cleaned = clean_mention(_name_only(tokens, head))
    return (cleaned, text) if cleaned else None


def _bracketed_name(tracker: EntityTracker, head: Token) -> str | None:
    """A registry organisation named in apposition to a description, outside its clauses."""
    doc = head.doc
    span = doc[head.left_edge.i:head.right_edge.i + 1]
    clauses = {t.i for c in head.children if c.dep_ in {"relcl", "acl", "advcl"} for t in c.subtree}
    for start, end, name in tracker.aliases.find(span.text):
        part = span.char_span(start, end, alignment_mode="expand")
        if part is not None and not any(t.i in clauses for t in part):
            return name
    return None


def _person_in(doc, tokens: list[Token]):
    """A person named in a mention: "her lawyer John Doe", "the UN's envoy, Jane Roe"."""
    persons = [e for e in doc.ents if e.label_ == "PERSON" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1]
    if not persons:
        head = min(tokens, key=lambda t: _depth(t))
        persons = [doc[c.left_edge.i:c.i + 1] for c in head.children
                   if c.dep_ == "appos" and c.pos_ == "PROPN" and looks_like_person(doc[c.left_edge.i:c.i + 1].text)]
    return persons[-1] if persons else None


def described(tracker: EntityTracker, noun: str, offset: int) -> str | None:
    """The organisation a description stands for: the last one whose name has the noun
    ("the ministry"), or for a generic noun ("the group", "a spokeswoman") the last one named."""
    if noun not in GENERIC_ORG_NOUNS and noun not in ORG_VOICES:
        return None
    e = tracker.recent(offset, "org", noun if noun not in ORG_VOICES else None, prefer_cited=noun in ANY_ORG_NOUNS)
    if e is None and noun in ANY_ORG_NOUNS:
        e = tracker.recent(offset, "org", prefer_cited=True)
    return e.name if e else None


def _name_only(tokens: list[Token], head: Token) -> str:
    """A name without the words that describe it: "the Spanish NGO Frontera Viva" -> "Frontera Viva"."""
    doc = head.doc
    if head.lower_ in DESCRIPTORS:           # "the NGO Frontera Viva": the name in apposition
        named = next((c for c in head.children if c.dep_ in {"appos", "compound"} and c.pos_ == "PROPN" and c.i > head.i), None)
        head = named if named is not None else head
    if head.pos_ != "PROPN":
        return doc[tokens[0].i:tokens[-1].i + 1].text
    start = head.i
    while start - 1 >= tokens[0].i and doc[start - 1].pos_ == "PROPN" and doc[start - 1].lower_ not in DESCRIPTORS \
            and doc[start - 1].ent_type_ != "NORP":
        start -= 1
    end = head.i
    while end + 1 <= tokens[-1].i and (doc[end + 1].pos_ == "PROPN" or doc[end + 1].lower_ in {"of", "for", "'s"}):
        end += 1
    return doc[start:end + 1].text


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)
