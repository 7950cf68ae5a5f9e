"""Who a figure is attributed to, and in which role.

A *cue* is a word that attributes a statement: a verb ("said", "confirmed", "denied"), the
phrase "according to", or a noun with its owner ("the group's estimate", "a claim by X"). Each
cue has a role (``source``, ``confirms``, ``disputes``, from ``data/cues.json``), an agent (the
subject, the passive "by" agent, the object of "according to", the noun's owner) and a scope: the
tokens it governs. A figure takes, for each role, the innermost cue whose scope holds it. Cues
that govern no figure ("a figure first compiled by A and since verified by B", "accounts the
ministry rejected") still speak about the sentence's figures: their sources go to figures with no
source yet, their confirmations and denials to figures that have one.

Besides the subject: an inverted speaker ("..., reported the daily Al-Masry"), the head of a
relative clause ("Amnesty, which says ..."), the author of a report whose clause states the figure
("released a report indicating that ..."). Relays: "citing Y" and "quoting Y" add Y, "told Reuters"
adds the outlet, each for the figures of the cue they hang from. Disputes besides the verbs of
cues.json: calling a figure a lie or exaggerated (sources.json "disputing_words") and a negated
belief ("nobody believes the 80 percent").
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from spacy.attrs import LEMMA, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

ROLES = ("confirms", "disputes", "source")          # a lemma in several lists takes the first
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl"}
NOUN_CUES = {"claim", "figure", "estimate", "report", "count", "tally", "data", "statistic",
             "census", "survey", "account", "allegation", "assessment", "toll"}
# Subjects that cannot be the one who speaks: a parse took an apposition for the subject.
# Cue verbs a parser may read as plural nouns at a sentence's end.
FINAL_CUES = {"estimates", "says", "reports", "claims", "notes", "adds", "warns", "believes", "counts",
              "disputes", "rejects", "denies", "contests", "questions"}
# Cue verbs that attribute only when a clause follows: "the survey found that ...".
NEED_CLAUSE = {"find", "show", "reveal", "discover"}
# Cue verbs that attribute only a report or a clause: "received reports that 37 died", not
# "received $2m".
NEED_REPORT = {"receive", "learn"}
# Who a statement is told to: "X told reporters" still reads as a parenthetical "X said".
AUDIENCES = {"reporters", "journalists", "media", "press", "us", "parliament", "lawmakers", "agency"}
NOT_AGENTS = {"number", "figure", "total", "toll", "level", "rise", "increase", "record", "tally", "count"}
EXTRA_SOURCE_VERBS = {"circulate", "give"}
# Verbs that state an estimate only with "at": "put the toll at 624", "placed the number at 24".
ESTIMATE_VERBS = {"put", "place"}
# Subjects of a disputing clause that speak in the voice of whoever says the clause.
SPEAKERS_OWN_VOICE = {"nobody", "none", "one", "we", "i", "no"}
# Verbs of belief that, negated, dispute what they are about.
BELIEF_VERBS = {"believe", "accept", "trust"}
# Verbs that call a figure something: with a disputing word ("called it a lie"), a dispute.
NAMING_VERBS = {"call", "describe", "brand", "label", "term", "dismiss"}
# "X, citing Y, said": Y stands behind X's figure and X relays it.
RELAY_VERBS = {"cite", "quote"}
# Nouns of an author's work whose clause states a figure: "released a report indicating that ...".
WORK_NOUNS = {"report", "study", "survey", "statement", "analysis", "update", "review", "document",
              "investigation", "assessment", "findings", "paper", "bulletin", "census"}
# Nouns that carry a figure without saying whose it is: "according to figures the Office verified".
TITLE_VERBS = {"title", "entitle", "call", "name", "headline"}
REPORT_NOUNS = {"figure", "figures", "data", "statistics", "report", "reports", "estimate", "estimates",
                "record", "records", "tally", "count", "numbers", "accounts", "information", "sources"}


@dataclass
class Cue:
    token: Token                  # the cue word
    role: str
    agent: list[Token]            # tokens of the mention it attributes to
    scope: set[int]               # token indices it governs
    attributive: bool = False     # "compiled by X", "X's claim": speaks of a figure it does not govern
    cited: bool = False           # "citing Y": Y stands behind whatever its citer states
    relay: bool = False           # "X told Reuters": Reuters relays what X states

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
    for i in _cue_candidates(doc):
        tok = doc[i]
        if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
            to = next(c for c in tok.children if c.lower_ == "to")
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if obj is not None:
                cues.append(Cue(tok, "source", _according_agent(obj), _sentence_scope(doc, tok)))
            continue
        if tok.lemma_.lower() in RELAY_VERBS and tok.tag_ == "VBG":
            cited = _cited(tok)               # "X, citing figures from Y, said": Y is a source too
            if cited:
                cues.append(Cue(tok, "source", cited, _sentence_scope(doc, tok), cited=True))
            continue
        role = lemmas.get(tok.lemma_.lower())
        if role is None and tok.lemma_.lower() in NAMING_VERBS and _disputing(tok):
            role = "disputes"                 # "called the toll a big lie"
        if tok.lemma_.lower() in BELIEF_VERBS and _negated(tok):
            role = "disputes"                 # "nobody believes the 80 percent"
        if tok.lemma_.lower() in ESTIMATE_VERBS and any(t.lower_ == "at" for t in tok.subtree if t.i > tok.i):
            role = "source"                   # "the government put the toll at 624"; not "placed 30 under arrest"
        if role and tok.lemma_.lower() in NEED_CLAUSE and not any(c.dep_ in {"ccomp", "xcomp"} for c in tok.children):
            role = None                       # "found 2,700 graves" is not "found that ..."
        if role == "confirms" and _not_done(tok):
            role = None                       # "has not been able to confirm": no confirmation
        if role and tok.lemma_.lower() in NEED_REPORT and not any(
                c.dep_ in {"ccomp", "xcomp"} or (c.dep_ == "dobj" and c.lower_ in REPORT_NOUNS) for c in tok.children):
            role = None                       # "they received $2m": a sum, not a statement
        if role and tok.pos_ in {"VERB", "AUX"} or (role and tok.tag_.startswith("VB")):
            agent = _verb_agent(tok)
            inverted = _inverted_agent(tok)
            if inverted is not None:         # "..., reported the daily newspaper Al-Masry."
                clause = tok.head if tok.head.i != tok.i else tok
                cues.append(Cue(tok, role, [inverted], {t.i for t in clause.subtree} - {t.i for t in inverted.subtree}))
            elif agent and not any(_counts(a) or not _speaker_like(a) for a in agent):
                passive = any(c.dep_ == "agent" for c in tok.children)   # "Ninety-six of them said": counted
                scope = _verb_scope(tok, agent)
                cues.append(Cue(tok, "disputes" if role == "source" and _disputing(tok) else role, agent, scope,
                                attributive=passive))
                hearer = _hearer(tok)
                if hearer is not None:        # "three officials told Reuters": Reuters relays them
                    cues.append(Cue(tok, "source", [hearer], scope - {t.i for t in hearer.subtree}, relay=True))
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in NOUN_CUES:
            owner = _noun_owner(tok)
            if owner:
                cues.append(Cue(tok, "source", owner, {t.i for t in tok.subtree} - {t.i for t in owner},
                                attributive=True))
    final = _final_cue(doc)
    if final is not None and not any(c.token.i == final.token.i for c in cues):
        cues.append(final)
    return cues


def _cue_candidates(doc: Doc) -> list[int]:
    """Indices of the tokens :func:`find_cues` can take for a cue: "according", and the words
    whose lower-case lemma is a cue verb, a relay, naming, belief or estimate verb, or a cue noun.
    Read from the token arrays, so that the other tokens cost no Token object."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    according = get_string_id("according")
    out = []
    for i, (lower, lemma) in enumerate(doc.to_array([LOWER, LEMMA]).tolist()):
        hit = _CUE_LEMMA.get(lemma)
        if hit is None:
            if len(_CUE_LEMMA) > 200_000:
                _CUE_LEMMA.clear()
            hit = _CUE_LEMMA[lemma] = strings[lemma].lower() in _cue_words()
        if hit or lower == according:
            out.append(i)
    return out


_CUE_LEMMA: dict[int, bool] = {}     # lemma hash -> whether its lower case is in _cue_words()


@cache
def _cue_words() -> frozenset[str]:
    return frozenset({*cue_lemmas(), *RELAY_VERBS, *NAMING_VERBS, *BELIEF_VERBS, *ESTIMATE_VERBS, *NOUN_CUES})


def _final_cue(doc: Doc) -> Cue | None:
    """ "..., the Observatory estimates." where the parser took the verb for a noun."""
    words = [t for t in doc if not t.is_punct]
    if len(words) < 4:
        return None
    last = words[-1]
    if last.pos_ != "NOUN" or last.lower_ not in FINAL_CUES:
        return None
    comma = max((t.i for t in doc if t.text == "," and t.i < last.i), default=None)
    if comma is None or last.i - comma > 7:
        return None
    agent = [t for t in doc[comma + 1:last.i] if t.pos_ in {"PROPN", "NOUN"} and t.lower_ not in REPORT_NOUNS]
    if not agent:
        return None                 # "..., a figure the ministry disputes.": the ministry disputes
    role = cue_lemmas().get(last.lemma_.lower(), cue_lemmas().get(last.lower_[:-1], "source"))
    return Cue(last, role, [agent[-1]], {t.i for t in doc[:comma]})


def _cited(verb: Token) -> list[Token]:
    """Who "citing ..." names: "citing figures from the IOM", "citing the IOM"."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return []
    if obj.lower_ not in REPORT_NOUNS:
        return [obj]
    for tok in obj.subtree:
        if tok.dep_ in {"pobj", "poss"} and tok.pos_ in {"NOUN", "PROPN"} and tok.lower_ not in REPORT_NOUNS:
            return [tok]
    return []


def _speaker_like(agent: Token) -> bool:
    """An agent that can speak: a noun, a name or a pronoun, not a clause ("that the bodies ...")."""
    return agent.pos_ in {"NOUN", "PROPN", "PRON", "X"} or agent.ent_type_ in {"ORG", "PERSON", "NORP", "GPE"}


def _disputing(verb: Token) -> bool:
    """A statement that calls a figure false: "called the toll a lie", "described the figures as
    astronomical", "said the figure was exaggerated" (the word is what the verb or its clause
    predicates, not any word of the sentence)."""
    words = _words("disputing_words")
    for tok in verb.subtree:
        if tok.lemma_.lower() not in words and tok.lower_ not in words:
            continue
        node = tok
        while node.i != verb.i and _predicates(node):
            node = node.head
        if node.i == verb.i:
            return True
    return False


def _negated(verb: Token) -> bool:
    """ "does not believe", "nobody believes", "no one accepts"."""
    return any(c.dep_ == "neg" for c in verb.children) or any(
        c.dep_ in SUBJECT_DEPS and c.lower_ in {"nobody", "none", "noone"} or (c.lower_ == "one" and any(
            d.lower_ == "no" for d in c.children)) for c in verb.children)


def _not_done(verb: Token) -> bool:
    """A cue verb negated, directly or through "able to": "did not confirm", "has not been able
    to verify", "was unable to confirm"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    if verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ":
        adj = verb.head
        return adj.lower_.startswith("un") or any(c.dep_ == "neg" for c in (*adj.children, *adj.head.children))
    return False


def _predicates(node: Token) -> bool:
    """One step up from a word that says what a figure is: an object or complement, "of"/"as" and
    their objects, and a copular clause ("said the figure was exaggerated"); not "in a false raid"."""
    if node.dep_ in {"acomp", "attr", "oprd", "dobj", "xcomp", "amod", "compound"}:
        return True
    if node.dep_ == "pobj" or node.dep_ == "prep":
        prep = node.head if node.dep_ == "pobj" else node
        return prep.lower_ in {"of", "as"}
    return node.dep_ == "ccomp" and node.lemma_ == "be"


def _hearer(verb: Token) -> Token | None:
    """Who a statement was told to, where that is a named party or a news organisation ("told
    Reuters", "told the agency"), not "reporters" or "journalists"."""
    if verb.lemma_.lower() != "tell":
        return None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "dative"}), None)
    if obj is None or obj.pos_ == "PRON" or any(t.lower_ in _words("assembly_nouns") for t in obj.subtree):
        return None
    if obj.pos_ == "PROPN" or obj.ent_type_ == "ORG" or obj.lower_ in _words("news_nouns"):
        return obj
    return None


@cache
def _words(key: str) -> frozenset[str]:
    return frozenset(json.loads((files("sayso") / "data" / "sources.json").read_text(encoding="utf-8"))[key])


@cache
def speaker_words() -> frozenset[str]:
    """Nouns that stand for a speaker, an organisation or a person (cues.json, sources.json)."""
    cues = json.loads((files("sayso") / "data" / "cues.json").read_text(encoding="utf-8"))
    return frozenset({*cues["org_words"], *cues["person_nouns"], *_words("speaker_nouns")})


def _inverted_agent(verb: Token) -> Token | None:
    """The speaker after a subjectless cue verb that closes a clause: "..., reported the daily
    Al-Masry", "..., said the governor" (a name or its describing noun, not an audience or a figure)."""
    if verb.i == 0 or verb.doc[verb.i - 1].text not in {",", "\u2014", "-"}:
        return None
    subject = any(c.dep_ in SUBJECT_DEPS and c.i < verb.i for c in verb.children)
    if verb.head.i == verb.i and not subject:
        return None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "nsubj", "attr"} and c.i > verb.i), None)
    if obj is None or obj.lower_ in AUDIENCES or _counts(obj) or obj.pos_ not in {"NOUN", "PROPN"}:
        return None
    name = next((c for c in obj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is not None or (obj.pos_ == "PROPN" and obj.ent_type_ in {"ORG", "PERSON"}):
        return name if name is not None else obj
    words = speaker_words()
    if not subject and (obj.pos_ == "PROPN" or obj.lower_ in words or obj.lemma_.lower() in words):
        return obj            # "..., said the governor"; not "..., suggesting an investigation"
    return None               # "X, in a statement, reported 12 deaths": X speaks


def _name_between(start: Token, verb: Token) -> list[Token]:
    """A proper name between a mistaken subject and its verb, or nothing."""
    lo, hi = sorted((start.i, verb.i))
    names = [t for t in verb.doc[lo + 1:hi] if t.pos_ == "PROPN" and t.ent_type_ in {"ORG", "PERSON", ""}]
    return [names[-1]] if names else []


def _counts(agent: Token) -> bool:
    """An agent that is itself a figure: "Ninety-six of those detainees", "86 percent of them"
    ("three ministry officials told ..." still speak)."""
    return agent.like_num or agent.lower_ in {"percent", "%", "per"} or (
        any(c.dep_ in {"nummod", "quantmod"} and c.like_num for c in agent.children)
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in agent.children))


def _verb_agent(verb: Token) -> list[Token]:
    """The subject of an active cue verb or the "by" agent of a passive one, as tokens."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return [pobj]
    # the subject nearest the verb, a name before a pronoun ("This even as KNH continued to report")
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
    for child in sorted(subjects, key=lambda c: (c.pos_ == "PRON" and c.lower_ not in {"which", "who", "that"}, -c.i)):
        if child.lower_ in {"which", "who", "that"} and verb.dep_ == "relcl":
            head = verb.head              # "the Union, which claimed that ..."
            return [head.head if head.dep_ == "appos" else head]   # "X, an Oslo-based group, which says"
        if child.lemma_.lower() in NOT_AGENTS:
            return _name_between(child, verb)   # "..., the highest number since 2015, IJM said"
        return [child]
    named = [c for c in verb.children if c.dep_ == "compound" and c.i < verb.i and c.pos_ in {"PROPN", "NOUN"}]
    if named and verb.i == max(t.i for t in verb.subtree if not t.is_punct):
        return [named[-1]]                    # "..., the Monitor estimates.": parsed as one noun
    closing = _closing_speaker(verb)
    if closing is not None:
        return [closing]                      # "..., fishermen and traders said.": parsed into the clause
    if verb.dep_ == "xcomp" and verb.head.pos_ == "ADJ" and verb.head.dep_ == "acomp" and verb.head.head.i != verb.head.i:
        return _verb_agent(verb.head.head)    # "the Office has been able to verify"
    # "..., the UN's envoy, Jane Roe, told reporters": an apposition just before a subjectless cue
    before = [t for t in verb.doc[max(0, verb.i - 3):verb.i] if not t.is_punct]
    if verb.dep_ == "conj" and before and before[-1].dep_ == "appos":
        tok = before[-1]
        while tok.head.dep_ == "appos" and tok.head.i != tok.i:
            tok = tok.head
        return [tok]
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in WORK_NOUNS:   # "released a report indicating"
        owner = _noun_owner(verb.head)
        if owner:
            return owner
        if verb.head.dep_ in {"dobj", "nsubjpass"} and verb.head.head.pos_ in {"VERB", "AUX"}:
            return _verb_agent(verb.head.head) if verb.head.head.i != verb.head.i else []
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return [verb.head]                    # "hospitals and activists putting the number at 53"
    if _misattached_conjunct(verb):      # "X denied that guards beat inmates and rejected ..."
        return _verb_agent(verb.head.head)
    # "... and later said": a conjoined verb shares its head's subject
    if (verb.dep_ in {"conj", "xcomp"} or (verb.dep_ == "advcl" and verb.tag_ == "VBG")) and verb.head.pos_ in {"VERB", "AUX"}:
        return _verb_agent(verb.head) if verb.head.i != verb.i else []
    return []


def _closing_speaker(verb: Token) -> Token | None:
    """The noun phrase between the last comma and a subjectless cue verb that closes its sentence
    ("..., per seat, fishermen and port traders said."), which a parser hung from the clause."""
    doc = verb.doc
    if verb.dep_ != "ROOT" or verb.i != max(t.i for t in verb.subtree if not t.is_punct):
        return None
    comma = max((t.i for t in doc[max(0, verb.i - 8):verb.i] if t.text == ","), default=None)
    between = doc[comma + 1:verb.i] if comma is not None else []
    if not between or between[-1].pos_ not in {"NOUN", "PROPN"} or not all(
            t.pos_ in {"NOUN", "PROPN", "DET", "CCONJ", "ADJ"} and not t.like_num for t in between):
        return None
    return between[-1]


def _misattached_conjunct(verb: Token) -> bool:
    """A cue verb a parser hung from the reported clause of another cue verb where it is that
    speaker's second act: "X denied that guards had beaten inmates and rejected the figure"
    (guards do not reject; a clause whose subject can speak keeps it: "X said the ministry had
    met and rejected the figure")."""
    clause = verb.head
    if verb.dep_ != "conj" or clause.dep_ != "ccomp" or clause.i == verb.i or clause.head.i == clause.i:
        return False
    if clause.lemma_.lower() in cue_lemmas() or clause.head.lemma_.lower() not in cue_lemmas():
        return False
    subject = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
    words = speaker_words()
    return subject is not None and subject.pos_ == "NOUN" and not subject.ent_type_ \
        and subject.lower_ not in words and subject.lemma_.lower() not in words


def _noun_owner(noun: Token) -> list[Token]:
    """"the group's claim", "an estimate by the agency", "the figure of the ministry"."""
    for child in noun.children:
        if child.dep_ == "poss" and child.lower_ == "whose":     # "the ministry, whose figure of 61"
            clause = next((a for a in noun.ancestors if a.dep_ == "relcl"), None)
            return [clause.head] if clause is not None else []
        if child.dep_ == "poss":
            return [child]
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"by", "from", "of"}:     # "by the count of X"
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ in {"ORG", "PERSON", "NORP"} or pobj.pos_ == "PROPN"):
                return [pobj]
    return []


def _according_agent(obj: Token) -> list[Token]:
    """"according to the agency" or "according to figures the Office has verified"."""
    if obj.lower_ not in REPORT_NOUNS:
        return [_titled_person(obj) or obj]
    titled = {t.i for c in obj.children if c.dep_ in {"acl", "relcl"} and c.lemma_.lower() in TITLE_VERBS
              for t in c.subtree}          # "the report titled 'Recent Protests'" names no author
    for tok in obj.subtree:                # "figures released on Thursday by the council": the "by" agent
        if tok.dep_ == "pobj" and tok.head.dep_ == "agent" and tok.i not in titled:
            return [tok]
    for tok in [*obj.subtree, *obj.doc[obj.i + 1:obj.i + 4]]:
        if tok.ent_type_ in {"DATE", "TIME"}:
            continue                       # "figures released on Thursday": a time is no author
        if tok.i != obj.i and tok.i not in titled and tok.pos_ in {"NOUN", "PROPN"} and tok.lower_ not in REPORT_NOUNS and (
                tok.dep_ in SUBJECT_DEPS | {"pobj", "poss"}):
            return [tok]
    return [obj]


def _titled_person(obj: Token) -> Token | None:
    """The person an office names after a comma: "according to the Minister of Security, General
    A B" is A B (however the parser hung the name); None where no person's name follows."""
    if obj.lower_ not in _person_titles():
        return None
    end = max(t.i for t in obj.subtree)
    doc = obj.doc
    if end + 2 >= len(doc) or doc[end + 1].text != ",":
        return None
    name = []
    for tok in doc[end + 2:end + 8]:
        if tok.pos_ != "PROPN":
            break
        name.append(tok)
    people = [t for t in name if t.ent_type_ == "PERSON"]
    return people[-1] if people and people[-1].i == name[-1].i else None


@cache
def _person_titles() -> frozenset[str]:
    cues = json.loads((files("sayso") / "data" / "cues.json").read_text(encoding="utf-8"))
    return frozenset(w.lower() for w in cues["person_titles"])


def _verb_scope(verb: Token, agent: list[Token]) -> set[int]:
    """What a cue verb governs: its subtree, less its agent; a parenthetical "X said" at the end
    of a clause governs that clause."""
    skip = _agent_span(verb, agent)
    scope = {t.i for t in verb.subtree} - skip
    has_complement = any(c.dep_ in {"ccomp", "xcomp"} for c in verb.children) or \
        any(c.dep_ == "dobj" and c.lower_ not in AUDIENCES and verb.lemma_ != "tell" for c in verb.children) or \
        any(c.dep_ == "prep" for c in verb.children if c.i > verb.i and c.lower_ in {"in", "of"})
    framing = verb.dep_ == "advcl" and verb.tag_ == "VBG"    # "Speaking on Sunday, X dismissed ..."
    if not has_complement and not framing and verb.head.i != verb.i and verb.dep_ in {"parataxis", "ccomp", "advcl", "conj"}:
        scope |= {t.i for t in verb.head.subtree} - skip
    return scope


def _agent_span(verb: Token, agent: list[Token]) -> set[int]:
    """The tokens of a cue's agent: its subtree, less the cue's own clause where that hangs from
    the agent ("Amnesty, which says 75 were executed, ...")."""
    out = set()
    for a in agent:
        span = {t.i for t in a.subtree}
        out |= span - {t.i for t in verb.subtree} if a.is_ancestor(verb) else span
    return out


def _sentence_scope(doc: Doc, tok: Token) -> set[int]:
    return {t.i for t in doc}


def attribute(cues: list[Cue], figure_tokens: list[list[Token]]) -> list[list[tuple[Cue, str]]]:
    """For each figure (its tokens), the cues that attribute it, each with the role it plays."""
    out: list[list[tuple[Cue, str]]] = []
    for toks in figure_tokens:
        idx = {t.i for t in toks}
        chosen: list[tuple[Cue, str]] = []
        for role in ("source", "confirms", "disputes"):
            inside = [c for c in cues if c.role == role and not c.cited and not c.relay and _governs(c, toks, idx)]
            if inside:
                chosen.append((min(inside, key=lambda c: c.size), role))
        chosen = _own_voice_dispute(chosen + _reporter(chosen, cues, toks, idx))
        if chosen:        # "Reuters, citing officials, reported": the officials of what Reuters reports
            chosen.extend((c, "source") for c in cues if (c.cited or c.relay) and any(
                ch.token.i == c.token.i or ch.token.is_ancestor(c.token) for ch, _ in chosen))
            chosen.extend((c, "source") for c in cues if c.token.lower_ == "according"
                          and all(c is not other for other, _ in chosen))   # "according to A, B said"
            chosen.extend((c, "source") for c in cues if c.attributive and c.role == "source" and c.token.pos_ == "VERB" and all(
                c is not other for other, _ in chosen) and any(      # "accounts relayed by X spoke of 40"
                c.token.i in _agent_span(ch.token, ch.agent) for ch, _ in chosen))
        out.append(chosen)
    all_idx = [{t.i for t in toks} for toks in figure_tokens]
    dangling = [c for c in cues if not any(_governs(c, toks, idx) for toks, idx in zip(figure_tokens, all_idx))
                and (c.attributive or c.role != "source")
                and not any(ch.dep_ in {"ccomp", "xcomp"} for ch in c.token.children)]
    for chosen in out:
        if not any(r == "source" for _, r in chosen):
            chosen.extend((c, "source") for c in dangling if c.role == "source")
        roles = {r for _, r in chosen}
        if roles:
            chosen.extend((c, c.role) for c in dangling if c.role != "source" and c.role not in roles)
    return out


def _reporter(chosen: list[tuple[Cue, str]], cues: list[Cue], toks: list[Token], idx: set[int]) -> list[tuple[Cue, str]]:
    """The party whose statement holds a relative clause that attributes the figure: "the $3bn
    that the UN says it needs, the coalition said" gives the coalition beside the UN."""
    inner = next((c for c, r in chosen if r == "source"), None)
    if inner is None or inner.token.dep_ != "relcl":
        return []
    outer = [c for c in cues if c.role == "source" and c is not inner and not c.cited and not c.relay
             and inner.token.i in c.scope and _governs(c, toks, idx)]
    return [(min(outer, key=lambda c: c.size), "source")] if outer else []


def _own_voice_dispute(chosen: list[tuple[Cue, str]]) -> list[tuple[Cue, str]]:
    """A dispute in the speaker's own voice ("'Nobody believes the 80 percent,' X said", "X said
    we reject the figure") makes the speaker the disputer, not the source."""
    roles = dict((r, c) for c, r in chosen)
    said, denied = roles.get("source"), roles.get("disputes")
    if said is None or denied is None or denied.token.i not in said.scope \
            or denied.agent[0].lower_ not in SPEAKERS_OWN_VOICE:
        return chosen
    return [(said, "disputes")] + [(c, r) for c, r in chosen if r not in {"source", "disputes"}]


def _named_by_clause(cue: Cue, toks: list[Token]) -> bool:
    """A figure set before "that is how many ... X says" or "this is the number X gives": the
    copula's "that" is the figure, and the cue in its complement speaks of it."""
    if not toks:
        return False
    top = min(toks, key=lambda t: sum(1 for _ in t.ancestors))
    root = top.head
    if top.dep_ not in {"meta", "dep", "npadvmod", "appos", "nsubj"} or root.i <= top.i or root.lemma_ != "be":
        return False
    if not any(c.dep_ == "nsubj" and c.lower_ in {"that", "this"} for c in root.children):
        return False
    return root.is_ancestor(cue.token) and cue.token.pos_ in {"VERB", "AUX"}


def _governs(cue: Cue, toks: list[Token], idx: set[int]) -> bool:
    """A cue governs a figure that is in its scope (and not part of its agent), or whose own
    relative clause holds it: "the $3 billion that the UN says it needs"."""
    if idx & _agent_span(cue.token, cue.agent):
        return False
    if idx & cue.scope:
        return True
    if _named_by_clause(cue, toks):
        return True
    node = cue.token
    while node.head.i != node.i:
        if node.dep_ in {"relcl", "acl"} and (node.head.i in idx or any(
                node.head.i == t.head.i for t in toks if t.dep_ in {"nummod", "quantmod"})):
            return True
        node = node.head
    return False
