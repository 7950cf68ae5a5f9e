"""Who says so: the named parties of a figure, with their roles.

The model: a *cue* (a verb, "according to", a noun with its owner: :mod:`sayso.extract.attribution`)
has an *agent* mention; the entity layer (:mod:`sayso.link.entities`) turns the mention into the
canonical name of the party it stands for, or into nothing where it names no one (a pronoun with no
antecedent, "a local rights group", a place). A figure's sources are the parties of the cues that
govern it; where none does, the document's lead may: a headline's source ("... killed: rights
group") for a figure on a headline line, else a dateline's agency ("CAIRO (Reuters) -") for a
figure in the article's own voice.
"""
from __future__ import annotations

import re
from dataclasses import replace

from sayso.extract import leads
from sayso.extract.parse import Sentence
from sayso.extract.speakers import looks_like_person
from sayso.link.entities import (DESCRIPTORS, EntityTracker, clean_mention, coordinated, mention_tokens, name_of,
                                 resolve)
from sayso.model import Figure, Source


def from_cues(sent: Sentence, attrs, dates, tracker: EntityTracker, person) -> list[Source]:
    out: list[Source] = []
    seen = set()
    size: dict[tuple[str, str], int] = {}      # (name, role) -> size of the narrowest cue giving it
    cited: list[str] = []
    relays: list[str] = []
    for cue, role, agent in ((c, r, a) for c, r in attrs for a in _parties(c.agent[0])):
        toks = mention_tokens(agent)          # "Amnesty and the Law Society said": each party
        offset = sent.char(toks[0])
        got = resolve(tracker, toks, offset, person)
        if not got:
            continue
        text = got[1]
        for name in coordinated(tracker, text) or [got[0]]:     # "Amnesty and HRW", parsed as one name
            size[(name, role)] = min(size.get((name, role), cue.size), cue.size)
            if cue.cited:
                cited.append(name)
            if cue.relay:
                relays.append(name)
            if (name, role) in seen:
                continue
            seen.add((name, role))
            date = dates.get(cue.token.i)
            out.append(Source(name, text, role, date.iso_start if date and date.iso_start == date.iso_end else None,
                              offset, sent.char_end(toks[-1])))
            tracker.add(offset, sent.char_end(toks[-1]), name, _kind(toks, name, text, tracker), cited=True,
                        mention=toks[0].doc[toks[0].i:toks[-1].i + 1].text,
                        subject=agent.dep_ in {"nsubj", "nsubjpass"} and not cue.cited and not cue.relay,
                        context=sent.text)
    out = [s for s in out if not _overruled(s, size)]
    if out and all(s.role == "confirms" for s in out):
        out = [replace(s, role="source") for s in out]    # "the Office has verified 39 deaths": its own count
    if cited:               # "Reuters, citing ministry officials, reported": Reuters relays them
        out = [replace(s, cites=tuple(c for c in cited if c != s.name)) if s.role == "source" and s.name not in cited
               else s for s in out]
    if relays:              # "officials told Reuters": Reuters relays the officials
        told = tuple(s.name for s in out if s.role == "source" and s.name not in relays)
        out = [replace(s, cites=told) if s.name in relays and told else s for s in out]
    return out


def _kind(toks, name: str, text: str, tracker: EntityTracker) -> str:
    """Whether a resolved party is a person: tagged as one, a personal pronoun, or a name that
    reads as a person's which neither the registry nor a describing word ("the NGO Temblores")
    makes an organisation."""
    if any(t.ent_type_ == "PERSON" for t in toks) or text.lower() in {"he", "she"}:
        return "person"
    if any(t.lower_ in DESCRIPTORS for t in toks) or tracker.aliases.canonical(name) or any(
            e.name == name and e.kind == "org" and e.mention for e in tracker.entities):
        return "org"
    single = [t for t in toks if not t.is_punct and t.lower_ not in {"the", "a", "an"}]
    if any(t.ent_type_ in {"ORG", "GPE", "NORP"} for t in toks) and len(single) > 1:
        return "org"          # a lone surname the recognizer called an organisation is still a person's
    return "person" if looks_like_person(name) else "org"


def _parties(agent) -> list:
    """The parties an agent names: itself, those coordinated with it ("Amnesty and the Law Society
    said"), and the members it lists ("a coalition including Amnesty and the Law Society said")."""
    out = [agent, *agent.conjuncts]
    for child in agent.children:
        if child.lower_ in {"including", "comprising"} and child.dep_ in {"prep", "acl"}:
            member = next((c for c in child.children if c.dep_ in {"pobj", "dobj"}), None)
            if member is not None:
                out += [member, *member.conjuncts]
    return out


def _overruled(s: Source, size: dict[tuple[str, str], int]) -> bool:
    """A party given two roles for one figure keeps the one of the narrowest cue: "X rejected the
    figure, saying only 312" makes X the source of 312; "Speaking on Sunday, X dismissed reports
    that 20 died" makes X the disputer of 20, never its source; a confirmation of one's own
    figure is the source's."""
    if s.role == "confirms":
        return (s.name, "source") in size
    other = "disputes" if s.role == "source" else "source"
    if (s.name, other) not in size:
        return False
    return size[(s.name, other)] < size[(s.name, s.role)] or (
        size[(s.name, other)] == size[(s.name, s.role)] and s.role == "source")


def from_lead(text: str, own_voice: list[tuple[Figure, bool]], tracker: EntityTracker, person) -> None:
    """Figures that no sentence names a source for: a headline's source ("... killed: rights
    group") for those on a headline line; the agency of the dateline ("CAIRO (Reuters) -") for
    those that no cue attributes (not "activists said", nor a figure only disputed)."""
    agency = leads.dateline_agency(text)
    agency_name = name_of(tracker, text[agency[0]:agency[1]], agency[0]) if agency else None
    reach = leads.dateline_reach(text, agency[0]) if agency else 0
    for fig, cued in own_voice:
        span = leads.headline_source(text, fig.start)
        if span is not None:
            mention = text[span[0]:span[1]]
            if leads.is_topic_label(text, span):       # "Port strikes: ...": a topic, not a party
                name = _topic_party(tracker, mention, span[0])
            else:
                name = _headline_party(text, span, tracker, person)
            if not name and mention[:1].islower():   # "..., monitor says": the monitor the text names
                name = described_below(tracker, text, mention, span[1])
            if name:
                fig.sources = [Source(name, mention, "source", None, span[0], span[1])]
                continue
        if agency_name and not cued and fig.start >= reach:
            fig.sources = [Source(agency_name, text[agency[0]:agency[1]], "source", None, *agency)]


def _headline_party(text: str, span: tuple[int, int], tracker: EntityTracker, person) -> str | None:
    """The party a headline names, where the document knows it: the registry's, one named in the
    body ("Rights Commission" is the body's High Commission for Human Rights; "Ruto" is named
    again), a country only where it speaks ("Iran says ..."); never a label ("Exclusive:")."""
    mention = text[span[0]:span[1]]
    speaks = leads.speaks_after(text, span[1])
    place = tracker.places is not None and tracker.places.canonical(mention)     # "Peru: 17 dead"
    name = person(mention, span[0]) if looks_like_person(mention) and not place else None
    name = name or name_of(tracker, clean_mention(mention), span[0], speaks=speaks, headline=True)
    if name is None:
        return None
    known = tracker.aliases.canonical(name) or any(e.name == name for e in tracker.entities)
    return name if known or text.count(mention.split()[-1], span[1]) else None


def merge_variants(figures: list[Figure], tracker: EntityTracker) -> None:
    """One name for one party within a document: a surname ("Bachelet") becomes the full name the
    document gives ("Michelle Bachelet"), an unknown acronym ("KNH") the body whose initials it
    holds ("Kenyatta National Hospital"), where exactly one fits."""
    people = {e.name for e in tracker.entities if e.kind == "person"} | {
        s.name for f in figures for s in f.sources if looks_like_person(s.name)}
    bodies = {e.name for e in tracker.entities if e.kind == "org"}
    for fig in figures:
        fig.sources = [replace(s, name=_fuller(s.name, people, bodies, tracker)) for s in fig.sources]


def _fuller(name: str, people: set[str], bodies: set[str], tracker: EntityTracker) -> str:
    words = name.split()
    if len(words) == 1 and name.isupper() and len(name) >= 2 and not tracker.aliases.canonical(name):
        fits = {b for b in bodies if "".join(w[0] for w in b.split() if w[:1].isupper()) == name}
    elif 1 <= len(words) <= 2 and looks_like_person(name):
        fits = {p for p in people if len(p.split()) > len(words) and p.split()[-len(words):] == words}
    else:
        return name
    return fits.pop() if len(fits) == 1 else name

def _topic_party(tracker: EntityTracker, mention: str, offset: int) -> str | None:
    """The party a headline's opening label names ("Human rights: ..." is the document's human
    rights commission): only a body of the registry or one the document names by those words;
    a label that is only a topic ("Port strikes", "The Silent Harbour Years") names no one."""
    cleaned = clean_mention(mention)
    name = name_of(tracker, cleaned, offset, speaks=False, headline=True)
    if not name:
        return None
    known = tracker.aliases.canonical(cleaned) or name != cleaned or any(
        e.name == name and e.start > offset + len(mention) for e in tracker.entities)
    return name if known else None


def described_below(tracker: EntityTracker, text: str, description: str, after: int) -> str | None:
    """The organisation a headline's description ("monitor", "rights group") stands for: the
    first one cited as a source below it whose name, mention or the words just before it
    ("the independent monitoring group Calle Libre") hold the description's head noun."""
    words = re.findall(r"[a-z][\w'\u2019-]*", description.lower())
    if not words:
        return None
    stem = re.compile(rf"\b{re.escape(words[-1].rstrip('s'))}", re.I)
    for e in sorted(tracker.entities, key=lambda e: e.start):
        if e.kind != "org" or not e.cited or e.start < after:
            continue
        before = text[max(0, e.start - 40):e.start]
        before = re.split(r"[.!?]\s|\n", before)[-1]        # its own sentence
        if stem.search(e.name) or stem.search(e.mention) or stem.search(before):
            return e.name
    return None
