"""Who a figure is attributed to, and in which role.

A *cue* is a word that attributes a statement: a verb ("said", "confirmed", "denied"), the
phrase "according to", or a noun with its owner ("the group's estimate", "a claim by X"). Each
cue has a role (``source``, ``confirms``, ``disputes``, from ``data/cues.json``), an agent (the
subject, the passive "by" agent, the object of "according to", the noun's owner) and a scope: the
tokens it governs. A figure takes, for each role, the innermost cue whose scope holds it. Cues
that govern no figure ("a figure first compiled by A and since verified by B", "accounts the
ministry rejected") still speak about the sentence's figures: their sources go to figures with no
source yet, their confirmations and denials to figures that have one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from spacy.tokens import Doc, Token

ROLES = ("confirms", "disputes", "source")          # a lemma in several lists takes the first
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl"}
NOUN_CUES = {"claim", "figure", "estimate", "report", "count", "tally", "data", "statistic",
             "census", "survey", "account", "allegation", "assessment", "record", "toll"}
EXTRA_SOURCE_VERBS = {"circulate", "give", "put", "release", "issue"}


@dataclass
class Cue:
    token: Token                  # the cue word
    role: str
    agent: list[Token]            # tokens of the mention it attributes to
    scope: set[int]               # token indices it governs

    @property
    def size(self) -> int:
        return len(self.scope)


@cache
def cue_lemmas() -> dict[str, str]:
    data = json.loads((files("sayso") / "data" / "cues.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for role in ROLES:
        for lemma in data.get(role, []):
            out.setdefault(lemma, role)
    for lemma in EXTRA_SOURCE_VERBS:
        out.setdefault(lemma, "source")
    return out


def find_cues(doc: Doc) -> list[Cue]:
    """Every attribution cue in a parsed sentence with an agent."""
    lemmas = cue_lemmas()
    cues = []
    for tok in doc:
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            to = next(c for c in tok.children if c.lower_ == "to")
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if obj is not None:
                cues.append(Cue(tok, "source", _according_agent(obj), _sentence_scope(doc, tok)))
            continue
        role = lemmas.get(tok.lemma_.lower())
        if role and tok.pos_ in {"VERB", "AUX"} or (role and tok.tag_.startswith("VB")):
            agent = _verb_agent(tok)
            if agent:
                cues.append(Cue(tok, role, agent, _verb_scope(tok, agent)))
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
            owner = _noun_owner(tok)
            if owner:
                cues.append(Cue(tok, "source", owner, {t.i for t in tok.subtree} - {t.i for t in owner}))
    return cues


def _verb_agent(verb: Token) -> list[Token]:
    """The subject of an active cue verb or the "by" agent of a passive one, as tokens."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return [pobj]
    for child in verb.children:
        if child.dep_ in {"nsubj", "csubj"}:
            return [child]
    # "... and later said": a conjoined verb shares its head's subject
    if verb.dep_ in {"conj", "xcomp"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _verb_agent(verb.head) if verb.head.i != verb.i else []
    return []


def _noun_owner(noun: Token) -> list[Token]:
    """"the group's claim", "an estimate by the agency", "the figure of the ministry"."""
    for child in noun.children:
        if child.dep_ == "poss":
            return [child]
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ in {"ORG", "PERSON", "NORP"} or pobj.pos_ == "PROPN"):
                return [pobj]
    return []


def _according_agent(obj: Token) -> list[Token]:
    """"according to the agency" or "according to figures the Office has verified"."""
    if obj.ent_type_ in {"ORG", "PERSON", "NORP", "GPE"} or obj.pos_ == "PROPN":
        return [obj]
    for tok in obj.subtree:
        if tok.dep_ in SUBJECT_DEPS | {"pobj", "poss"} and tok.i != obj.i and (
                tok.ent_type_ in {"ORG", "PERSON", "NORP"} or tok.pos_ == "PROPN"):
            return [tok]
    return [obj]


def _verb_scope(verb: Token, agent: list[Token]) -> set[int]:
    """What a cue verb governs: its subtree, less its agent; a parenthetical "X said" at the end
    of a clause governs that clause."""
    skip = {t.i for a in agent for t in a.subtree}
    scope = {t.i for t in verb.subtree} - skip
    has_complement = any(c.dep_ in {"ccomp", "xcomp", "dobj"} for c in verb.children) or \
        any(c.dep_ == "prep" for c in verb.children if c.i > verb.i and c.lower_ in {"in", "of"})
    if not has_complement and verb.head.i != verb.i and verb.dep_ in {"parataxis", "ccomp", "advcl", "conj"}:
        scope |= {t.i for t in verb.head.subtree} - skip
    return scope


def _sentence_scope(doc: Doc, tok: Token) -> set[int]:
    return {t.i for t in doc}


def attribute(cues: list[Cue], figure_tokens: list[list[Token]]) -> list[list[tuple[Cue, str]]]:
    """For each figure (its tokens), the cues that attribute it, each with the role it plays."""
    out: list[list[tuple[Cue, str]]] = []
    governing: list[set[int]] = []
    for toks in figure_tokens:
        idx = {t.i for t in toks}
        chosen: list[tuple[Cue, str]] = []
        for role in ("source", "confirms", "disputes"):
            inside = [c for c in cues if c.role == role and idx & c.scope and not idx & {t.i for a in c.agent for t in a.subtree}]
            if inside:
                chosen.append((min(inside, key=lambda c: c.size), role))
        out.append(chosen)
        governing.append({id(c) for c, _ in chosen})
    used = set().union(*governing) if governing else set()
    dangling = [c for c in cues if id(c) not in used and not any(
        {t.i for t in toks} & c.scope for toks in figure_tokens)]
    for chosen in out:
        roles = {r for _, r in chosen}
        for c in dangling:
            if c.role == "source" and "source" not in roles:
                chosen.append((c, "source"))
            elif c.role != "source" and roles and c.role not in roles:
                chosen.append((c, c.role))
    return out
