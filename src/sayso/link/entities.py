"""Who a mention names: canonical names for sources, with simple coreference.

A document's organisations and people are tracked in reading order: alias-registry matches over
the whole text, bodies the text defines ("the Kenya National Commission on Human Rights (KNCHR)")
or names with an institution noun ("the Ombudsman's Office"), the dateline's agency, named
entities of the parsed sentences, and every source already resolved. A mention then resolves, in
order, to: a person it names ("the UN's special envoy, Jane Roe"); an organisation of the alias
registry (not one whose name only ends a longer name: "Supreme National Security Council"); the
national body of the country in context ("the Interior Ministry"); for a pronoun ("it", "she") or
a description ("the group", "the commission", "the report"), the organisation or person that fits,
named before or else after; or else its own words, without a leading article, which the user can
map with an alias file. What names no one is None: a pronoun with no antecedent, an indefinite
description ("a local rights group"), a place, words that only describe ("Commission") -- the
vocabularies are in data/sources.json.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from spacy.tokens import Span, Token

from sayso.extract.leads import dateline_agency
from sayso.extract.speakers import cues, looks_like_person, strip_title
from sayso.extract.aliases import AliasRegistry

ORG_PRONOUNS = {"it", "they", "its", "their"}


@cache
def _words() -> dict[str, frozenset[str]]:
    data = json.loads((files("sayso") / "data" / "sources.json").read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


_W = _words()
# Agents that name nobody in particular: no source. ("we"/"I" inside a quote are its speaker's.)
NOBODY = _W["nobody"]
PRONOUNS = _W["pronouns"]
PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}
# What a person namer is asked for a definite description of a person ("the lawyer"): whoever the
# sentences before name, of either gender.
PERSON_DESCRIPTION = "the person"
# Head nouns of descriptions that stand for an organisation named elsewhere ("the commission").
GENERIC_ORG_NOUNS = _W["generic_org_nouns"]
# Descriptions that stand for whichever organisation was named last.
ANY_ORG_NOUNS = _W["any_org_nouns"]
NEUTRAL_ORG_NOUNS = _W["neutral_org_nouns"]
BARE_ORG_NOUNS = _W["bare_org_nouns"]
# Documents that stand for their author: "the report said", "according to its latest count".
REPORT_NOUNS = _W["report_nouns"]
GENERIC_WORDS = _W["generic_words"]
# State bodies a definite description names by the country in context ("the federal police").
STATE_BODY_NOUNS = _W["state_body_nouns"]
# A government named by a place it sits in: "the government in Lima".
SEAT_NOUNS = _W["seat_nouns"]
ORG_VOICES = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"}
# People who speak for the body named before them: "three interior ministry officials".
BODY_MEMBERS = {"official", "officials", "source", "sources", "staff", "researchers", "investigators"}
DESCRIPTORS = {"ngo", "group", "organisation", "organization", "charity", "watchdog", "agency", "monitor"}
PERSON_NOUNS = {"spokesman", "spokeswoman", "spokesperson", "official", "minister", "envoy",
                "rapporteur", "director", "lawyer", "activist", "officer", "witness", "resident"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}
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
    subject: bool = False  # cited as the subject of its cue ("X said"), not "according to X"
    context: str = ""    # the sentence it was cited in ("X said in a report ...")


@dataclass
class EntityTracker:
    """Organisations, people and countries of one document, in reading order."""

    aliases: AliasRegistry
    entities: list[Entity] = field(default_factory=list)
    countries: list[tuple[int, str, float]] = field(default_factory=list)   # offset, country, weight
    local: dict[str, str] = field(default_factory=dict)      # acronym -> name defined in the text
    places: AliasRegistry | None = None

    @classmethod
    def for_text(cls, text: str, aliases: AliasRegistry, places: AliasRegistry | None = None) -> "EntityTracker":
        tracker = cls(aliases, places=places)
        defined = []
        for m in ACRONYM_DEFINITION.finditer(text):
            name, acronym = m.group(1).strip(), m.group(2)
            if _initials_match(name, acronym):
                tracker.local[acronym] = aliases.canonical(name) or clean_mention(name)
                defined.append((m.start(1), m.end(), acronym, m.group(1)))
        for start, end, name in aliases.find(text):
            if not _extends_name(text, start):         # "Security Council" of a "Supreme National Security Council"
                tracker.add(start, end, tracker.local.get(text[start:end], name), "org")
        for start, end, acronym, words in defined:    # "the Kenya National Commission ... (KNCHR)"
            if not any(e.start <= start < e.end for e in tracker.entities):
                tracker.add(start, end, tracker.local[acronym], "org", mention=f"{words} {acronym}")
        for start, end, name in _body_names(text):       # "the Ombudsman's Office", "the ministry's forensic department"
            inside = [e for e in tracker.entities if start <= e.start and e.end <= end and not e.mention]
            if any(e.start < end and start < e.end for e in tracker.entities if e not in inside):
                continue
            known = aliases.canonical(name)
            if inside and not known and all(len(e.name) < len(name) for e in inside):
                tracker.entities = [e for e in tracker.entities if e not in inside]   # not "United Nations"
            if not any(e.start < end and start < e.end for e in tracker.entities):
                tracker.add(start, end, known or name, "org", mention=name)
        agency = dateline_agency(text)
        if agency is not None:                  # "CAIRO (Reuters) -": "the agency" of the officials' words
            words = text[agency[0]:agency[1]]
            tracker.entities = [e for e in tracker.entities if not agency[0] <= e.start < agency[1]]
            tracker.add(agency[0], agency[1], aliases.canonical(words) or words, "org", cited=True, mention=words)
        tracker.entities.sort(key=lambda e: e.start)
        if places is not None:
            orgs = [(e.start, e.end, e.name) for e in tracker.entities]
            for s, e, name in places.find(text):
                inside = any(a <= s and e <= b for a, b, _ in orgs)
                if not inside and aliases.canonical(f"Government of {name}"):
                    weight = 1.0 if text[s:e].lower() == name.lower() else 0.5   # "German scholar": a hint
                    tracker.countries.append((s, name, weight))
            for s, e, name in _seats(text, places, aliases):     # "the government in Lima"
                if not any(x.start < e and s < x.end for x in tracker.entities):
                    tracker.add(s, e, name, "org", mention=text[s:e])
                    orgs.append((s, e, name))
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
        for form in (f"{mention} of {country}", f"{country} {mention}", f"{country}'s {mention}"):
            hit = self.aliases.canonical(form)      # "the junta": "Myanmar junta"
            if hit:
                return hit
        return None

    def covering(self, offset: int) -> Entity | None:
        """A registry entity whose mention covers a document offset."""
        for e in self.entities:
            if e.start <= offset < e.end:
                return e
        return None

    def add(self, start: int, end: int, name: str, kind: str, cited: bool = False, mention: str = "",
            subject: bool = False, context: str = "") -> None:
        self.entities.append(Entity(start, end, name, kind, cited, mention, subject, context))

    def add_parsed(self, sentence_start: int, ents: list[Span]) -> None:
        for ent in ents:
            if ent.label_ == "ORG" and (named := apposed_name(ent)) is not None:
                ent = named           # "Peru's coast guard, Guardia Andina,": the name
            if ent.label_ in ("ORG", "PERSON") or ent.label_ == "":
                start = sentence_start + ent.start_char
                if not any(e.start <= start < e.end for e in self.entities):
                    kind = "person" if ent.label_ == "PERSON" else "org"
                    name = re.sub(rf"^(?:(?:{'|'.join(DESCRIPTORS)})\s+)+", "", clean_mention(ent.text), flags=re.I)
                    if not generic(name):          # "Office", "the Commission": not a name
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

    def author(self, noun: str, before: int) -> Entity | None:
        """The organisation whose work a description names ("the report", "the barometer"): the
        last one cited before in a sentence that names that work ("X said in a report ...",
        "first place in the Openness Barometer, X said")."""
        stem = re.compile(rf"\b{re.escape(noun.rstrip('s'))}", re.I)
        fits = [e for e in self.entities if e.kind == "org" and e.cited and e.start < before and stem.search(e.context)]
        return max(fits, key=lambda e: e.start) if fits else None

    def named(self, words: list[str], offset: int) -> Entity | None:
        """The organisation whose name has all the words: the last one named before the
        offset (one already cited as the subject of its cue first, then one cited at all), else
        the first named after it (a later sentence)."""
        if not words:
            return None
        pattern = re.compile("".join(rf"(?=.*\b{re.escape(w)}\b)" for w in words), re.I | re.S)
        fits = [e for e in self.entities if e.kind == "org" and pattern.match(e.name)]
        before = [e for e in fits if e.start < offset]
        cited = [e for e in before if e.cited]
        subjects = [e for e in cited if e.subject]
        if cited or before:
            return max(subjects or cited or before, key=lambda e: e.start)
        return min(fits, key=lambda e: e.start) if fits else None


ACRONYM_DEFINITION = re.compile(r"((?:[A-Z][\w'\u2019\u00c0-\u024f-]*[ \t]+(?:(?:of|for|on|in|and|the|de|du|des)[ \t]+)*){1,8})\(([A-Z][A-Za-z]{1,9})\)")


@cache
def _body_pattern() -> re.Pattern:
    heads = "|".join(sorted(GENERIC_ORG_NOUNS - ANY_ORG_NOUNS - {"government", "authorities"}, key=len, reverse=True))
    name = r"(?:[A-Z][\w\u2019'-]*[ \t]+(?:(?:of|for|on|and)[ \t]+(?:the[ \t]+)?)*){1,6}"   # not "Peruvians the ..."
    tail = r"(?:[ \t]+(?:of|for|on|in)[ \t]+(?:the[ \t]+)?[A-Z][\w'\u2019-]*(?:[ \t]+(?:of|for|and[ \t]+)?[A-Z][\w'\u2019-]*){0,4})?"
    return re.compile(
        rf"\b(?:[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*){{0,3}}(?:'s|\u2019s)[ \t]+(?:[a-z]+[ \t]+){{0,2}}(?:{heads})\b"
        rf"|{name}(?:{'|'.join(h.title() for h in heads.split('|'))})\b{tail})")


@cache
def _seat_pattern() -> re.Pattern:
    nouns = "|".join(sorted(map(re.escape, SEAT_NOUNS), key=len, reverse=True))
    return re.compile(rf"\b(?:[Tt]he\s+)?(?:{nouns})\s+in\s+(?P<place>[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){{0,2}})")


def _seats(text: str, places, aliases: AliasRegistry) -> list[tuple[int, int, str]]:
    """A state's government named by a place it sits in ("the government in Lima", "authorities
    in Kabul"): spans and the canonical government of the country the place lies in, where the
    registries know both."""
    from sayso.link.lexicon import country_of

    out = []
    for m in _seat_pattern().finditer(text):
        place = places.canonical(m.group("place"))
        country = country_of(place.lower()) if place else None
        name = aliases.canonical(f"Government of {country}") if country else None
        if name:
            out.append((m.start(), m.end("place"), name))
    return out


def _body_names(text: str) -> list[tuple[int, int, str]]:
    """Bodies a text names that no registry knows: capitalised names ending in an institution
    noun ("the Ombudsman's Office"), and a named body's unit ("the Health Ministry's forensic
    department"). A name that only describes ("The Commission") is left out."""
    out = []
    for m in _body_pattern().finditer(text):
        name = clean_mention(m.group(0))
        if not generic(name) and len(name.split()) > 1:
            out.append((m.start(), m.end(), name))
    return out


def _initials_match(name: str, acronym: str) -> bool:
    """ "Chilean Human Rights Observatory" and "OCDH": the acronym's letters appear, in order,
    among the name's initials (translated names keep most of them)."""
    initials = [w[0].upper() for w in name.split() if w[0].isupper()]
    hits = sum(1 for ch in acronym.upper() if ch in initials)
    return hits >= max(2, len(acronym) - 2)


def apposed_name(ent: Span) -> Span | None:
    """The proper name apposed to an organisation the text describes in common nouns ("Peru's
    coast guard, Guardia Andina, rescued ..."), or None (a name of its own: "the Red Cross")."""
    if any(t.pos_ == "PROPN" for t in ent):
        return None
    name = next((c for c in ent.root.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is None:
        return None
    words = [t for t in name.subtree if t.i <= name.i and t.pos_ == "PROPN"]
    if not words or name.i - words[0].i != len(words) - 1:
        return None
    return ent.doc[words[0].i:name.i + 1]


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
        if child.dep_ in {"relcl", "acl", "advcl", "cc", "conj"} or (child.dep_ == "appos" and _is_clause(child)):
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
    if head.lower_ in ORG_VOICES | BODY_MEMBERS and not has_body and not _person_in(doc, tokens):
        owner = [c for c in head.children if c.dep_ in {"compound", "poss", "nmod"}]   # "interior ministry officials"
        if owner:
            first = min([owner[0].left_edge.i] + [c.i for c in head.children if c.dep_ == "amod" and c.i < owner[0].i])
            inner = [t for t in doc[first:owner[-1].i + 1]]
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
    if person is not None and tracker.aliases.find(person.text):
        person = None                     # "Amnesty Kenya" tagged as a person
    if person is not None:
        name = person_name(person.text, offset + person.start_char - tokens[0].idx) if person_name else None
        return (name or strip_title(person.text)), text
    work = head.lower_ in REPORT_NOUNS and tokens[0].lower_ in {"the", "these", "those", "its", "their"}
    if not work and (lower in NOBODY or (head.lower_ in NOBODY and not any(t.pos_ == "PROPN" for t in tokens))):
        return None           # "local residents", "witnesses"
    local = tracker.local_name(text)
    if local:
        return local, text
    # an organisation of the registry, found in the mention or over the document text
    found = [f for f in tracker.aliases.find(text) if not _inside_longer_name(doc, tokens, f)]
    covering = [f for f in found if f[0] <= head.idx - tokens[0].idx < f[1]]
    if covering:
        return covering[0][2], text
    if len(found) == 1 and _places_after(tracker, tokens, found[0]):
        return found[0][2], text          # "Amnesty Kenya": the organisation's national section
    body = tracker.national_body(lower, offset)     # "the Interior Ministry" of the country in context
    if body:
        return body, text
    known = tracker.covering(head_offset)
    if known is not None and known.kind == "org":
        written = clean_mention(_name_only(tokens, head))    # "the Law Society of Kenya", tagged "the Law Society"
        if known.name in written and len(written) > len(known.name) and not tracker.aliases.canonical(known.name):
            return (name_of(tracker, written, offset) or known.name), text
        return known.name, text
    if lower in PERSON_PRONOUNS:
        name = person_name(text, offset) if person_name else None
        if name is None:      # "A spokesman for the army denied it. He said ...": the army
            e = tracker.recent(offset, "person")
            voice = spokesperson_before(tracker, offset)
            e = voice if voice is not None and (e is None or voice.start > e.start) else e
            name = e.name if e else None
        return (name, text) if name else None
    if lower in ORG_PRONOUNS:
        e = tracker.recent(offset, "org")
        return (e.name, text) if e else None
    if head.lower_ in REPORT_NOUNS or head.lemma_.lower() in REPORT_NOUNS:
        by = [c for c in head.children if c.dep_ == "prep" and c.lower_ in {"by", "from", "of"}] + [
            a for c in head.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"]   # "provided by X"
        author = next((p for c in by for p in c.children if p.dep_ == "pobj" and p.lower_ not in REPORT_NOUNS), None)
        if author is not None:    # "an estimate by the World Food Programme"; "reports by media": no one
            inner = mention_tokens(author)
            got = resolve(tracker, inner, offset + inner[0].idx - tokens[0].idx, person_name)
            return (got[0], text) if got else None
    if not _proper(tokens, head) and not found and not _title_cased(tokens):
        name = _bracketed_name(tracker, head) or _description(tracker, tokens, head, offset, person_name)
        return (name, text) if name else None    # "the commission", "its report"
    if found and head.pos_ != "PROPN":       # "Amnesty's researchers"; not "the UN Assistance Mission"
        return found[0][2], text
    orgs = [e for e in doc.ents if e.label_ == "ORG" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1]
    if orgs and head.lower_ in PERSON_NOUNS:
        return clean_mention(orgs[-1].text), text
    if person_name and head.ent_type_ == "PERSON" and looks_like_person(clean_mention(text)):
        name = person_name(text, offset)
        if name:
            return name, text
    known = _person_named(tracker, tokens, head, offset)
    if known:                 # "Dubois said", the recognizer calling a surname a place
        return (person_name(known, offset) if person_name else None) or known, text
    aside = _bracketed_name(tracker, head)
    if aside:                 # "the main opposition (the People's Mojahedin Organization of Iran)"
        return aside, text
    name = name_of(tracker, clean_mention(_name_only(tokens, head)), offset,
                   speaks=head.dep_ in {"nsubj", "nsubjpass"}, place=head.ent_type_ in {"GPE", "LOC", "FAC"})
    return (name, text) if name else None


def spokesperson_before(tracker: EntityTracker, offset: int) -> Entity | None:
    """The organisation of the last unnamed spokesperson cited before an offset ("a spokesman for
    the army said ..."), whom "he" or "she" may stand for where no person is named."""
    voices = [e for e in tracker.entities if e.cited and e.kind == "org" and e.start < offset
              and re.match(rf"(?:a|an|the)\s+(?:\w+\s+)?(?:{'|'.join(ORG_VOICES)})\b", e.mention, re.I)]
    return max(voices, key=lambda e: e.start) if voices else None


def name_of(tracker: EntityTracker, cleaned: str, offset: int, speaks: bool = True, place: bool = False,
            headline: bool = False) -> str | None:
    """A name for a mention's own words, or None where they name no party: a place (a country
    that speaks is its government: "Iran said"), a pronoun, or words that only describe
    ("Rights Commission" is the document's commission that has those words in its name)."""
    if not cleaned:
        return None
    known = tracker.aliases.canonical(cleaned) or tracker.local.get(cleaned)
    if known:
        return known
    seat = _seats(cleaned, tracker.places, tracker.aliases) if tracker.places is not None else []
    if seat and seat[0][1] == len(cleaned) and not cleaned[:seat[0][0]].strip():
        return seat[0][2]          # "authorities in Kabul": the government of the country it sits in
    country = tracker.places.canonical(cleaned) if tracker.places is not None else None
    if country or place:      # "GENEVA", "Sagaing Region": never a party
        return tracker.aliases.canonical(f"Government of {country}") if country and speaks else None
    words = [w for w in re.findall(r"[\w'\u2019-]+", cleaned.lower())
             if tracker.places is None or not tracker.places.canonical(w)]    # "Police in Lagos": police
    if not words or all(w in PRONOUNS for w in words):
        return None
    if len(words) < len(cleaned.split()) and len(words) <= 2 and generic(" ".join(words)):
        e = tracker.named([w for w in words if w not in GENERIC_WORDS], offset)
        return e.name if e else None
    if generic(cleaned):     # "Rights Commission", a headline's "Human rights:": the document's body of that name
        content = [w for w in words if w not in GENERIC_WORDS and w not in PRONOUNS]
        own = len(words) >= 3 and cleaned[:1].isupper()     # "High Commission for Human Rights"
        if own or (headline and len(content) < 2):
            content = [w for w in words if w not in {"the", "a", "an", "of", "for", "on", "in", "and"}]
        e = tracker.named(content, offset)
        if e is not None:
            return e.name
        if not own:
            return None       # "Commission", "the report": no name of its own
    if not any(c.isupper() for c in cleaned):
        return None
    return cleaned


_NAME_WORD_BEFORE = re.compile(r"(?<![.!?:]\s)\b([A-Z][a-z\u00c0-\u024f'\u2019-]+)[ \t]+$")
_NOT_NAME_WORDS = {"the", "a", "an", "this", "that", "these", "its", "their", "his", "her", "in", "on", "at",
                   "by", "for", "from", "with", "and", "but", "of", "to", "as", "after", "before", "when", "while"}


def _extends_name(text: str, start: int) -> bool:
    """Whether a capitalised name word runs into a registry match from before it, within a sentence."""
    m = _NAME_WORD_BEFORE.search(text, max(0, start - 40), start)
    return m is not None and m.start(1) > 0 and m.group(1).lower() not in _NOT_NAME_WORDS


def _places_after(tracker: EntityTracker, tokens: list[Token], match: tuple[int, int, str]) -> bool:
    """Whether only place names follow a registry match in a mention ("Amnesty International Nigeria")."""
    base = tokens[0].idx
    after = [t for t in tokens if t.idx >= base + match[1] and not t.is_punct]
    return bool(after) and all(t.ent_type_ in {"GPE", "LOC"} or (
        tracker.places is not None and tracker.places.canonical(t.text)) for t in after)


def _inside_longer_name(doc, tokens: list[Token], match: tuple[int, int, str]) -> bool:
    """A registry name that is only the end of a longer proper name: "Security Council" in "the
    Supreme National Security Council" is not the UN's."""
    base = tokens[0].idx
    before = [t for t in tokens if t.idx + len(t) <= base + match[0]]
    return bool(before) and before[-1].pos_ == "PROPN" and before[-1].ent_type_ not in {"GPE", "NORP"} \
        and before[-1].text[:1].isupper() and not before[-1].text.isupper() and match[0] > 0 \
        and not doc.text[before[-1].idx + len(before[-1]):base + match[0]].strip()


def coordinated(tracker: EntityTracker, mention: str) -> list[str]:
    """The registry organisations a mention joins with "and" or commas ("Amnesty International and
    Human Rights Watch", which a parser may read as one name); empty where it names fewer than two."""
    found = tracker.aliases.find(mention)
    if len(found) < 2:
        return []
    for (_, end, _), (start, _, _) in zip(found, found[1:]):
        if not re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+)?", mention[end:start], re.I):
            return []
    return list(dict.fromkeys(name for _, _, name in found))


def names_no_one(name: str) -> bool:
    """A source name that is only a pronoun or words that describe ("Commission", "the report");
    three or more capitalised words make a name of their own ("High Commission for Human Rights")."""
    words = re.findall(r"[\w'\u2019-]+", name.lower())
    return not words or name.lower() in PRONOUNS or (generic(name) and (len(words) < 3 or not name[:1].isupper()))


def _proper(tokens: list[Token], head: Token) -> bool:
    """Whether a mention names its party: a proper noun at its head or next to it ("the NGO
    Frontera Viva", "Amnesty's researchers"), not one inside a modifier ("a UK-based group")."""
    ents = [e for e in head.doc.ents if e.label_ in {"ORG", "PERSON"} and e.start <= head.i < e.end]
    return bool(ents) or head.pos_ == "PROPN" or any(
        t.pos_ == "PROPN" and t.head.i == head.i and t.dep_ in {"compound", "appos", "poss", "nmod", "npadvmod"}
        for t in tokens) or any(t.pos_ == "PROPN" and t.dep_ == "pobj" and t.head.head.i == head.i for t in tokens)


@cache
def person_nouns() -> frozenset[str]:
    """Heads of a description of a person ("the lawyer", "the lawmaker"): cues.json's person_nouns."""
    return frozenset(cues()["person_nouns"]) - GENERIC_ORG_NOUNS


def generic(name: str) -> bool:
    """Words that describe a party without naming it: "Commission", "the report", "its"."""
    words = re.findall(r"[\w'\u2019-]+", name.lower())
    return all(w in GENERIC_WORDS or w in GENERIC_ORG_NOUNS or w in REPORT_NOUNS or w in PRONOUNS for w in words)


def _description(tracker: EntityTracker, tokens: list[Token], head: Token, offset: int,
                 person_name=None) -> str | None:
    """The party a mention without a proper name stands for: "a spokeswoman" and "the group" the
    organisation that spoke last; "the commission" the one whose name has the noun, named before
    or, failing that, after; "the report", "its latest count" their author; an indefinite
    description of an organisation ("a local rights group") names no one."""
    noun = head.lower_
    definite = tokens[0].lower_ in DEFINITE or (     # "the ministry disputes" parsed as one noun
        tokens[0].i > 0 and tokens[0].dep_ == "compound" and head.doc[tokens[0].i - 1].lower_ in DEFINITE)
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    specific = False
    for mod in (c for c in head.children if c.dep_ in {"amod", "compound", "poss"}):
        word = _POSSESSIVE.sub("", mod.lower_)
        if word not in GENERIC_WORDS and word not in PRONOUNS and not mod.like_num and len(word) > 2 \
                and mod.pos_ in {"NOUN", "PROPN", "ADJ"} and not any(c.like_num for c in mod.subtree):
            e = tracker.named([word], offset)   # "the forensic reports", "the prisoners' group"
            if e is not None:
                return e.name
            specific = specific or mod.pos_ == "NOUN" or word.endswith("ic")
    if specific:              # "the forensic reports" with no forensic body named: no guess
        return state_body(tracker, tokens, head, offset) if definite else None
    if noun in REPORT_NOUNS or head.lemma_.lower() in REPORT_NOUNS:
        if owner is not None and owner.lower_ in PERSON_PRONOUNS:
            e = tracker.recent(offset, "person")
            return e.name if e else None
        if definite or owner is not None:
            e = (tracker.author(noun, offset) if owner is None else None) or tracker.recent(offset, "org", prefer_cited=True)
            return e.name if e else None
        return None
    if tokens[0].lower_ == "the" and head.tag_ != "NNS" and (noun in person_nouns() or head.lemma_.lower() in person_nouns()):
        named = person_name(PERSON_DESCRIPTION, offset) if person_name else None   # "the Republican lawmaker"
        e = tracker.recent(offset, "person") if named is None else None
        return named or (e.name if e else None)
    if noun in ORG_VOICES or (definite and noun in GENERIC_ORG_NOUNS) or (
            noun in BARE_ORG_NOUNS and tokens[0].i == head.i):          # "Police said"
        return described(tracker, noun, offset) or (state_body(tracker, tokens, head, offset) if definite else None)
    return None


def state_body(tracker: EntityTracker, tokens: list[Token], head: Token, offset: int) -> str | None:
    """A state body that a definite description names and the document names no other way:
    "the federal police", "the prosecutor's office" are that body of the country the document
    is about ("Peru's federal police"); None for other descriptions or with no country."""
    words = {head.lemma_.lower(), head.lower_} | {c.lemma_.lower() for c in head.children if c.dep_ in {"compound", "poss", "amod"}}
    if not words & STATE_BODY_NOUNS:
        return None
    country = tracker.country_at(offset)
    if country is None:
        return None
    return f"{country}'s {clean_mention(head.doc[tokens[0].i:tokens[-1].i + 1].text)}"


def _bracketed_name(tracker: EntityTracker, head: Token) -> str | None:
    """A registry organisation named in apposition to a description, outside its clauses."""
    doc = head.doc
    span = doc[head.left_edge.i:head.right_edge.i + 1]
    clauses = {t.i for c in head.children if c.dep_ in {"relcl", "acl", "advcl"} for t in c.subtree}
    aside = {t.i for c in head.children if c.dep_ == "appos" for t in c.subtree}
    depth = 0
    for t in span:                            # and what brackets hold: "(the PMOI)"
        depth += t.text == "("
        if depth:
            aside.add(t.i)
        depth -= t.text == ")" and depth > 0
    for start, end, name in tracker.aliases.find(span.text):
        part = span.char_span(start, end, alignment_mode="expand")
        if part is not None and not any(t.i in clauses for t in part) and all(t.i in aside for t in part):
            return name
    return None


def _person_in(doc, tokens: list[Token]):
    """A person named in a mention: "her lawyer John Doe", "the UN's envoy, Jane Roe"."""
    persons = [e for e in doc.ents if e.label_ == "PERSON" and e.start >= tokens[0].i and e.end <= tokens[-1].i + 1
               and looks_like_person(e.text) and not _continues_name(e)]    # not "[Miners'] Widows Collective"
    if not persons:
        head = min(tokens, key=lambda t: _depth(t))
        persons = [doc[c.left_edge.i:c.i + 1] for c in head.children
                   if c.dep_ == "appos" and c.pos_ == "PROPN" and looks_like_person(doc[c.left_edge.i:c.i + 1].text)]
    return persons[-1] if persons else None


def _continues_name(span) -> bool:
    """A span that a possessive proper name runs into: "Widows Collective" of "the Peruvian
    Miners' Widows Collective" (not a place's: "Peru's Jane Roe" is Jane Roe)."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].tag_ != "POS":
        return False
    owner = doc[span.start - 2]
    return owner.pos_ == "PROPN" and owner.ent_type_ not in {"GPE", "NORP", "LOC", "PERSON"}


def described(tracker: EntityTracker, noun: str, offset: int) -> str | None:
    """The organisation a description stands for: the last one whose name has the noun
    ("the ministry"), or for a generic noun ("the group", "a spokeswoman") the last one named."""
    if noun not in GENERIC_ORG_NOUNS and noun not in ORG_VOICES:
        return None
    if noun in ORG_VOICES or noun in ANY_ORG_NOUNS:
        e = tracker.recent(offset, "org", None if noun in ORG_VOICES | NEUTRAL_ORG_NOUNS else noun,
                           prefer_cited=noun in ANY_ORG_NOUNS - NEUTRAL_ORG_NOUNS)
        if e is None and noun in ANY_ORG_NOUNS:
            e = tracker.recent(offset, "org", prefer_cited=True)
    else:
        e = tracker.named([noun], offset)
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
    while start - 1 >= tokens[0].i and (doc[start - 1].pos_ == "PROPN" and doc[start - 1].lower_ not in DESCRIPTORS
                                        and doc[start - 1].ent_type_ != "NORP" or _possessive_in_name(doc, start - 1, tokens[0].i)):
        start -= 1
    ent = next((e for e in doc.ents if e.label_ == "ORG" and e.start <= head.i < e.end), None)
    end = head.i if ent is None else max(head.i, min(ent.end, tokens[-1].i + 1) - 1)   # a name with commas
    while end + 1 <= tokens[-1].i and (doc[end + 1].pos_ == "PROPN" or doc[end + 1].lower_ in {"of", "for", "'s"} or (
            doc[end + 1].lower_ in {"in", "on", "to"} and end + 2 <= tokens[-1].i and doc[end + 2].pos_ == "PROPN")):
        end += 1              # "the Assistance Mission in Iraq", "the Commission on Human Rights"
    rest = doc[end + 1:tokens[-1].i + 1]
    if len(rest) >= 3 and rest[0].text == "," and any(t.lower_ == "and" for t in rest) and all(
            t.pos_ == "PROPN" or t.text == "," or t.lower_ == "and" for t in rest) and rest[-1].pos_ == "PROPN" \
            and any(t.lower_ in {"for", "of"} for t in doc[head.i:end + 1]):
        end = tokens[-1].i    # "the Institute for Labour, Land and Water": its list is its name
    return doc[start:end + 1].text


def _person_named(tracker: EntityTracker, tokens: list[Token], head: Token, offset: int) -> str | None:
    """The person a lone proper noun stands for where a person of that surname was named before
    ("Claire Dubois ... Dubois said"), whatever the recognizer called the word."""
    if len(tokens) != 1 or head.pos_ != "PROPN":
        return None
    people = [e for e in tracker.entities if e.kind == "person" and e.start < offset
              and e.name.split()[-1].lower() == head.lower_ and len(e.name.split()) > 1]
    return max(people, key=lambda e: e.start).name if people else None


def _title_cased(tokens: list[Token]) -> bool:
    """A name written in capitals that the parser read as words ("according to Stand Up for Truth
    and for Justice"): two or more capitalised words, its other words small ones."""
    words = [t for t in tokens if not t.is_punct]
    caps = [t for t in words if t.text[:1].isupper() and t.i != t.sent.start]
    return len(caps) >= 2 and all(t in caps or t.lower_ in {"of", "for", "and", "the", "on", "in", "up"} for t in words)


def _possessive_in_name(doc, i: int, first: int) -> bool:
    """The possessive inside a name ("Peruvian Miners' Widows Collective"), whose owner is a
    proper name that is no place or nation ("Peru's coast guard" is not one name)."""
    return doc[i].tag_ == "POS" and i - 1 >= first and doc[i - 1].pos_ == "PROPN" \
        and doc[i - 1].ent_type_ not in {"GPE", "NORP", "LOC", "PERSON"}


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)
