"""Where a figure happened: the place named in its sentence that the figure is about.

Places come from the place registry (countries, their adjectives, regions, cities:
``data/places.json``) and from the parser's GPE/LOC entities. Places inside a source's name
("the Belarusian Association of Journalists") do not count. Among the rest, the place nearest
the figure in the dependency tree wins, within ``MAX_DISTANCE`` edges, then the nearest in
the text.
"""
from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from spacy.tokens import Token

from sayso.extract.category import total_of, tree_distance
from sayso.extract.parse import Sentence
from sayso.extract.aliases import AliasRegistry

MAX_DISTANCE = 6
ONLY_PLACE_EXTRA = 2       # how much farther the only place a sentence names may be


# A wire dateline opening a sentence: "CAIRO, Sept 8 (Newswire) - ".
DATELINE = re.compile(r"^[A-Z][A-Z .'\u2019-]+,[^\n]{0,40}?(?:\([^)]*\))?\s*[-\u2013\u2014]\s")


# A capitalised name after a locative preposition or "the town of": a place the registry may not know.
NAMED_PLACE = re.compile(
    r"\b(?:in|near|from|outside|around|across|(?<![^\n])(?:In|Near|Outside|Across)|((?:town|city|village|island|region|province|district|"
    r"state|port|camp|county|governorate|prefecture|municipality|neighbourhood|neighborhood|streets|outskirts) of))\s+"
    r"((?:al-|el-|El |Al )?[A-Z][\w\u00c0-\u024f'\u2019-]+(?:\s+[A-Z][\w\u00c0-\u024f'\u2019-]+){0,2})")


# A capitalised name of one or more words: "Daraa", "Nour al-Huda", "Al Qadisiyah".
_NAME = r"(?:al-|el-|El |Al )?[A-Z][\w\u00c0-\u024f'\u2019-]*(?:\s+(?:al-|el-)?[A-Z][\w\u00c0-\u024f'\u2019-]*)*"


@cache
def rules() -> dict:
    return json.loads((files("sayso") / "data" / "place_rules.json").read_text(encoding="utf-8"))


@cache
def countries() -> frozenset[str]:
    """Canonical names of the registry's countries (those with demonyms in places.json)."""
    data = json.loads((files("sayso") / "data" / "places.json").read_text(encoding="utf-8"))
    return frozenset(data.get("_demonyms", {}))


def _qualifiers(text: str, candidates) -> set[int]:
    """Indices of candidates that only say which country the place before them is in:
    "in Homs, Syria" (not "in Homs, Hama and Idlib", nor "Syria, Iraq")."""
    out = set()
    for n, (ptoks, name) in enumerate(candidates):
        if name not in countries():
            continue
        for before, bname in candidates:
            if bname not in countries() and bname != name and before[-1].i < ptoks[0].i \
                    and re.fullmatch(r",\s*", text[before[-1].idx + len(before[-1]):ptoks[0].idx]):
                out.add(n)
    return out


@cache
def _area_named() -> re.Pattern:
    """A capitalised name before a word for an area: "the Wasit province", "Al Anbar governorate"."""
    words = "|".join(map(re.escape, rules()["area_words"]))
    return re.compile(r"\b((?:al-|el-|El |Al )?[A-Z][\w\u00c0-\u024f'\u2019-]+(?:\s+[A-Z][\w\u00c0-\u024f'\u2019-]+){0,2})"
                      rf"\s+\[?(?:{words})\b")


@cache
def _site_named() -> re.Pattern:
    """A capitalised name before a word for a site, after a locative preposition: "at Nour
    square", "in Khartoum's Kobar prison" (the name with the word)."""
    words = "|".join(map(re.escape, rules()["site_words"]))
    return re.compile(rf"\b(?:at|in|on|near|outside|inside)\s+(?:the\s+)?(?:[A-Z][\w-]*['\u2019]s\s+)?({_NAME}\s+(?i:{words}))\b")


@cache
def _state_body() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, rules()["state_bodies"])) + r")\b", re.I)


_MENTIONS_KEY = "sayso.place_mentions"
PLACE_ENT_TYPES = {"", "GPE", "LOC", "FAC"}
NOT_PLACES = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
              "Saturday", "Sunday", "Parliament", "Congress", "Court", "Council", "Government"}


def place_mentions(sent: Sentence, registry: AliasRegistry) -> list[tuple[int, int, str, bool]]:
    """(start, end, canonical, trusted) of each place named in a sentence, document offsets,
    datelines left out; ``trusted`` marks a place of the registry or a name given as such ("the
    town of X"), which the parser's ORG label does not overrule. A parsed sentence keeps its
    list: each of its figures asks."""
    key = (_MENTIONS_KEY, id(registry))
    if sent.doc is not None and key in sent.doc.user_data:
        return sent.doc.user_data[key]
    found = _place_mentions(sent, registry)
    if sent.doc is not None:
        sent.doc.user_data[key] = found
    return found


def _place_mentions(sent: Sentence, registry: AliasRegistry) -> list[tuple[int, int, str, bool]]:
    text = sent.text
    dateline = DATELINE.match(text)
    skip = sent.start + (dateline.end() if dateline else 0)
    found = [(sent.start + s, sent.start + e, name) for s, e, name in registry.find(text)]
    trusted = {s for s, _, _ in found}       # the registry's, or named as such: "the town of X"
    if sent.doc is not None:
        for ent in sent.doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC") and ent.text[:1].isupper():
                s, e = sent.start + ent.start_char, sent.start + ent.end_char
                inside = [f for f in found if s <= f[0] and f[1] <= e]
                if inside and len(inside) == 1 and inside[0][:2] != (s, e) and _longer_name(ent.text, inside[0][2]):
                    found.remove(inside[0])       # "Greater Khartoum" is not "Khartoum"
                if not any(a < e and s < b for a, b, _ in found):
                    found.append((s, e, _named(registry, ent.text)))
        for m in NAMED_PLACE.finditer(text):          # "near the town of Misterei", "in Adré"
            s, e = sent.start + m.start(2), sent.start + m.end(2)
            toks = sent.tokens_in(s, e)
            # "the town of X" is a place; after "in", a name the parser takes for a person's may be one
            allowed = PLACE_ENT_TYPES | ({"PERSON", "NORP", "ORG"} if m.group(1) else
                                         {"PERSON"} if m.group().split()[0].lower() in IN_PLACE else set())
            if toks and all(t.pos_ == "PROPN" and t.ent_type_ in allowed for t in toks) and \
                    m.group(2) not in NOT_PLACES and not any(a < e and s < b for a, b, _ in found):
                found.append((s, e, _named(registry, m.group(2))))
                if m.group(1):
                    trusted.add(s)
        for m in _area_named().finditer(text):
            owner = POSSESSOR.match(m.group(1))        # "Harare's Epworth suburb": the suburb
            s, e = sent.start + m.start(1) + (owner.end() if owner else 0), sent.start + m.end(1)
            name = text[s - sent.start:e - sent.start]
            if name not in NOT_PLACES and not any(a < e and s < b for a, b, _ in found):
                found.append((s, e, registry.canonical(name) or name))
                trusted.add(s)
        for m in _site_named().finditer(text):       # "at Nour square", "in Kobar prison"
            s, e = sent.start + m.start(1), sent.start + m.end(1)
            found = [f for f in found if f[0] in trusted or not (s <= f[0] and f[1] <= e)]   # the name alone
            if m.group(1).split()[0] not in NOT_PLACES and not re.search(r"['\u2019]s\b", m.group(1)) \
                    and not any(a < e and s < b for a, b, _ in found):
                found.append((s, e, registry.canonical(m.group(1)) or m.group(1)))
                trusted.add(s)
        for s, e in _coordinated(sent, found):
            found.append((s, e, _named(registry, text[s - sent.start:e - sent.start])))
            trusted.add(s)
    return sorted((s, e, name, s in trusted) for s, e, name in found if s >= skip)


IN_PLACE = {"in", "near"}
POSSESSOR = re.compile(r"[^\s'\u2019]+['\u2019]s\s+(?=[A-Z])")


def unnamed_party_end(agent: Token, toks: list[Token]) -> Token:
    """The last token of a source's words that name the party: for a party described by a
    common noun and where it works ("doctors at hospitals in A", "a nurse at a clinic in B"),
    the words before "at" (place_rules.json workplace_prepositions), since the place of the work is where the figure happened; any other
    party ("the Sudanese Doctors' Union", "the mayor of A", "its mission in Geneva") keeps all
    its words."""
    if agent.pos_ != "NOUN" or agent.ent_type_:
        return toks[-1]
    for tok in toks:
        if tok.i > agent.i and tok.dep_ == "prep" and tok.lower_ in rules()["workplace_prepositions"] and tok.head.i == agent.i:
            return toks[max(0, toks.index(tok) - 1)]
    return toks[-1]


def _named(registry: AliasRegistry, name: str) -> str:
    """The canonical name of a place the parser found: the registry's, else the name without a
    word for an area after it ("Garissa County" -> "Garissa"), as the registry knows it."""
    known = registry.canonical(name)
    if known:
        return known
    words = name.split()
    if len(words) > 1 and words[-1].lower() in rules()["area_words"]:
        bare = " ".join(words[:-1])
        return registry.canonical(bare) or bare
    return name


def _longer_name(entity: str, known: str) -> bool:
    """Whether the parser's place name is a longer name than the registry's place inside it: a
    capitalised word before it that is no direction ("Greater Khartoum", not "Northern Chad")."""
    words = entity.split()
    return len(words) > 1 and words[-1] == known.split()[-1] and words[0][:1].isupper() \
        and words[0].lower() not in rules()["direction_words"] and words[0].lower() not in {"the"}


def _coordinated(sent: Sentence, found) -> list[tuple[int, int]]:
    """Capitalised names coordinated with a place found ("Latakia, Daraa and Jableh"): places too,
    whatever label the parser gave them, but not a name it takes for a group's ("Kurds")."""
    covered = {t.i for s, e, _ in found for t in sent.tokens_in(s, e)}
    out = []
    for s, e, _ in found:
        toks = sent.tokens_in(s, e)
        if not toks:
            continue
        root = min(toks, key=lambda t: sum(1 for _ in t.ancestors))
        for tok in [*root.conjuncts]:
            if tok.i in covered or tok.pos_ != "PROPN" or tok.ent_type_ == "NORP" or tok.text in NOT_PLACES:
                continue
            name = [t for t in tok.subtree if t.pos_ == "PROPN" and t.i <= tok.i and (t.i == tok.i or t.dep_ == "compound")]
            if any(t.i in covered for t in name):
                continue
            covered |= {t.i for t in name}
            out.append((sent.char(name[0]), sent.char_end(name[-1])))
    return out


def place_of(sent: Sentence, ftoks: list[Token], registry: AliasRegistry,
             exclude: list[tuple[int, int]] = (), head: Token | None = None,
             others: list[tuple[int, int]] = (), orgs: list[tuple[int, int]] = ()) -> str | None:
    """The canonical place a figure (its tokens, and the noun it counts) is about, or None.

    Places inside ``exclude`` spans (source names) are passed over, unless possessive; where the
    sentence names no other place, one inside an organisation's name (an ``orgs`` span or an ORG
    entity: "the Iraqi Interior Ministry said") is the place. ``others``: the spans of the
    sentence's other figures; a figure of a list ("90 injured in A, 10 in B") takes the place of
    its own part of the list. A leading dateline's places ("Cairo/Agency: ...") count only where
    the sentence names no other.
    """
    if sent.doc is None or not ftoks:
        return None
    anchors = ftoks + ([head, *total_of(head)] if head is not None else [])   # "the number of people killed in A has reached 30"
    idx = {t.i for t in anchors}
    mentions = _past_lead(sent, place_mentions(sent, registry), ftoks)
    here = sent.char(ftoks[0])
    exclude = [(a, b) for a, b in exclude if not a <= here < b]    # a source's words that hold the figure
    candidates, in_orgs, about = [], [], []
    for start, end, name, trusted in mentions:
        ptoks = sent.tokens_in(start, end)
        if not ptoks or _detached(ptoks, idx) or _bracketed_apart(sent.doc.text, start - sent.start, here - sent.start):
            continue
        document = _in_document(sent, start, end, exclude)
        if document is not None:
            about.append(([document], name))     # as far from the figure as the source
            continue
        if any(a <= start and end <= b for a, b in exclude) and ptoks[-1].dep_ != "poss" and not _named_from(ptoks):
            if _state_body().search(_org_name(sent, ptoks, start, end, orgs)):
                in_orgs.append((ptoks, name))
            continue
        if not trusted and any(t.ent_type_ == "ORG" for t in ptoks):
            continue
        if _in_other_org(sent, ptoks) and ptoks[-1].dep_ != "poss":
            continue           # "the Bank of England raised its rate": no figure about England
        if _one_of_areas(sent.doc.text, start - sent.start, end - sent.start):
            continue           # "in Oruro and Potosi provinces": about several places
        candidates.append((ptoks, name))
        if _of_state_body(ptoks):
            in_orgs.append((ptoks, name))      # "gunfire from Chad's security forces"
    if _distributive(sent, ftoks):
        return None            # "A, B and C each reported 1 death": about several places
    skip = _qualifiers(sent.doc.text, candidates)
    candidates = [c for n, c in enumerate(candidates) if n not in skip]
    candidates = _own_part(sent, candidates, ftoks, others) if others else candidates
    limit = MAX_DISTANCE + ONLY_PLACE_EXTRA if len({name for _, name in candidates}) == 1 else MAX_DISTANCE
    # the sentence's only place may be a little farther
    found = _nearest(candidates, anchors, ftoks, limit) or _nearest(about, anchors, ftoks, MAX_DISTANCE + ONLY_PLACE_EXTRA) \
        or _nearest(in_orgs, anchors, ftoks, limit=float("inf"))
    if found in countries() and _counts_countries(head):
        return None            # "X came last among the 180 countries": a count of many countries
    return found


def _counts_countries(head: Token | None) -> bool:
    """Whether the figure counts countries ('180 countries', '27 member states'): no one country
    is where such a figure happened."""
    return head is not None and head.lemma_.lower() in rules()["country_nouns"]


EACH = re.compile(r"\beach\s+(?:\w+\s+){0,2}$|^\s*(?:\w+\s+){0,2}?each\b", re.I)


def _distributive(sent: Sentence, ftoks: list[Token]) -> bool:
    """ "each has 1 fatality", "3 deaths each": a figure stated for each of several places."""
    start, end = sent.char(ftoks[0]) - sent.start, sent.char_end(ftoks[-1]) - sent.start
    return bool(EACH.search(sent.text[max(0, start - 20):start]) or EACH.match(sent.text[end:end + 20]))


@cache
def _areas_lists() -> tuple[re.Pattern, re.Pattern]:
    """A list of names closed by a word for areas in the plural ("..., Oruro and Potosi
    provinces"), and one opened by it ("the provinces of Beni, Pando and Tarija")."""
    plurals = "|".join(w[:-1] + "ies" if w.endswith("y") else w + "s" for w in rules()["area_words"])
    after = re.compile(rf"(?:\s*(?:,|,?\s+and|,?\s+or)\s+{_NAME})*\s+(?:{plurals})\b")
    before = re.compile(rf"\b(?:{plurals})\s+of\s+(?:{_NAME}\s*(?:,|,?\s+and|,?\s+or)\s+)*$")
    return after, before


def _one_of_areas(text: str, start: int, end: int) -> bool:
    """Whether a place is one of a list of areas named together ("in Beni, Pando and Tarija
    provinces"), which a figure about them all is about."""
    after, before = _areas_lists()
    return bool(after.match(text, end) or before.search(text[max(0, start - 200):start]))


def _named_from(ptoks: list[Token]) -> bool:
    """A place that is the whole object of "from", which the source finder may take for a
    source: "the death toll from Chad", "reports from Peru" — it says where."""
    root = min(ptoks, key=lambda t: sum(1 for _ in t.ancestors))
    return root.dep_ == "pobj" and root.head.lower_ == "from" and root.pos_ == "PROPN"


def _in_document(sent: Sentence, start: int, end: int, exclude: list[tuple[int, int]]) -> Token | None:
    """The head noun of a source that is a document and names the place in its words ("a
    report titled 'Unrest in Chad'", "the survey of prisons in Chad"), or whose name says it is
    about the place ("the UN expert on Belarus"): the source is about it, unlike an
    organisation whose name holds a place."""
    for a, b in exclude:
        if a <= start and end <= b:
            toks = sent.tokens_in(a, b)
            inside = {t.i for t in toks}
            roots = [t for t in toks if t.head.i not in inside or t.head.i == t.i]
            place = sent.tokens_in(start, end)
            about = bool(place) and place[-1].dep_ == "pobj" and place[-1].head.lower_ == "on"
            if roots and (roots[0].lemma_.lower() in rules()["document_nouns"] or about):
                return roots[0]      # "the UN expert on Belarus": a mandate about it
    return None


def _of_state_body(ptoks: list[Token]) -> bool:
    """A place that says whose state body it is: "Chad's security forces", "the Chadian police"."""
    root = min(ptoks, key=lambda t: sum(1 for _ in t.ancestors))
    if root.dep_ not in {"poss", "amod", "compound"}:
        return False
    owner = root.head
    words = " ".join(t.lower_ for t in owner.subtree if ptoks[-1].i < t.i <= owner.i and t.dep_ != "case")
    return bool(_state_body().fullmatch(words) or _state_body().search(owner.lower_))


def _in_other_org(sent: Sentence, ptoks: list[Token]) -> bool:
    """Whether a place is named inside a longer organisation name that is no state body."""
    ent = next((e for e in sent.doc.ents if e.label_ == "ORG" and e.start <= ptoks[0].i < e.end), None)
    return ent is not None and len(ent) > len(ptoks) + (ent[0].lower_ == "the") and not _state_body().search(ent.text)


def _org_name(sent: Sentence, ptoks: list[Token], start: int, end: int, orgs: list[tuple[int, int]]) -> str:
    """The name of the organisation a place is named in: an ``orgs`` span holding it, else the
    ORG entity it is part of, else the noun phrase the place completes ("the education office in
    Chad"); "" where there is none."""
    for a, b in orgs:
        if a <= start and end <= b:
            return sent.doc.text[a - sent.start:b - sent.start]
    ent = next((e for e in sent.doc.ents if e.label_ == "ORG" and e.start <= ptoks[0].i < e.end), None)
    if ent is not None:
        return ent.text
    root = min(ptoks, key=lambda t: sum(1 for _ in t.ancestors))
    if root.dep_ == "pobj" and root.head.lower_ in {"in", "of"} and root.head.head.pos_ == "NOUN":
        noun = root.head.head
        return sent.doc.text[noun.left_edge.idx:end - sent.start]
    return ""


# The end of a sentence's lead: a dateline "Cairo/Agency: ", "Geneva, 12 Feb (Agency).- ".
LEAD_END = re.compile(r"(?::|\)?\.?\s?[-\u2013\u2014])\s")
LIST_BREAK = re.compile(r"[,;]|\s\band\b")
PARTS = re.compile(r"\b(?:including|among them|of whom|of which|of them)\b", re.I)     # what opens a list of parts


def _past_lead(sent: Sentence, mentions, ftoks: list[Token]):
    """Mentions without those of a leading dateline (the text before the first ": " or " - " in
    the sentence's first 100 characters, before the figure), where a place follows it."""
    lead = LEAD_END.search(sent.text, 0, 100)
    if lead is None or re.search(r"\b[a-z]{4,}\b", sent.text[:lead.start()]):
        return mentions          # words of a sentence, not a dateline: "a report titled Unrest in A: an update"
    cut = sent.start + lead.end()
    if sent.char(ftoks[0]) < cut:
        return mentions
    after = [m for m in mentions if m[0] >= cut]
    return after if after and len(after) < len(mentions) else mentions


def _own_part(sent: Sentence, candidates, ftoks: list[Token], others: list[tuple[int, int]]):
    """In a list of figures, the places of the figure's own part: from the comma (or the figure)
    before it to the comma (or the figure) after it; where its part names none, those of no
    later part of it ("30 people, including eight in A, nine in B": A and B are the parts')."""
    start, end = sent.char(ftoks[0]), sent.char_end(ftoks[-1])
    lo, hi = _part(sent, start, end, others)
    own = [c for c in candidates if lo <= sent.char(c[0][0]) and sent.char_end(c[0][-1]) <= hi]
    if own:
        return own
    spans = [*others, (start, end)]
    theirs = [_part(sent, s, e, [o for o in spans if o != (s, e)]) for s, e in others if s >= end]
    theirs = [(a, b) for a, b in theirs if PARTS.search(sent.text, end - sent.start, a - sent.start + 20)]
    return [c for c in candidates
            if not any(a <= sent.char(c[0][0]) and sent.char_end(c[0][-1]) <= b for a, b in theirs)]


def _part(sent: Sentence, start: int, end: int, others: list[tuple[int, int]]) -> tuple[int, int]:
    """The figure's own part of a list: from the comma (or figure) before it to the comma (or
    figure) after it."""
    lo = max([e for s, e in others if e <= start], default=sent.start)
    hi = min([s for s, e in others if s >= end], default=sent.end)
    breaks = [m.end() + sent.start for m in LIST_BREAK.finditer(sent.text, lo - sent.start, start - sent.start)]
    lo = max(breaks, default=lo)
    nxt = LIST_BREAK.search(sent.text, end - sent.start, hi - sent.start)
    return lo, (nxt.start() + sent.start if nxt else hi)


def _nearest(candidates, anchors: list[Token], ftoks: list[Token], limit: float = MAX_DISTANCE) -> str | None:
    best = None
    for ptoks, name in candidates:
        root = min(ptoks, key=lambda t: sum(1 for _ in t.ancestors))
        if root.dep_ in {"poss", "compound"} and any(
                {root.head.i, *(c.i for c in root.head.children if c.dep_ == "compound")} & {t.i for t in p}
                for p, _ in candidates if p is not ptoks):
            continue           # "Cairo's Tahrir Square", "Cairo's Shubra district": the more specific place
        if _locates_another(root, [p for p, _ in candidates if p is not ptoks]):
            continue           # "the North Kordofan city of El Obeid", "Kobar prison near Khartoum"
        d = min(tree_distance(a, b) for a in anchors for b in ptoks)
        demonym = root.pos_ == "ADJ" or (root.ent_type_ == "NORP" and name.lower() not in root.text.lower())
        if demonym and root.dep_ in {"amod", "compound", "nmod"}:
            d += 2.5           # "Sudanese refugees arrived in Chad": the adjective names origin, not place
        if root.dep_ in {"nsubj", "nsubjpass"}:
            d -= 0.5           # the clause's subject: "China ... was in 177th place, just above Laos"
        gap = min(abs(ptoks[-1].i - ftoks[0].i), abs(ftoks[-1].i - ptoks[0].i))
        if gap == 1 and not demonym:
            d -= 1             # "Belarus was ranked 158th and Myanmar 140th"
        key = (d, gap)
        if d <= limit and (best is None or key < best[0]):
            best = (key, name)
    return best[1] if best else None


def _locates_another(root: Token, others: list[list[Token]]) -> bool:
    """Whether a place only says where another place is: it names the kind of place whose own
    name follows "of" ("the North Kordofan city of El Obeid"), or follows "near", "outside" or
    "in" after a named site it locates ("Kobar prison near Khartoum", "X village in Y region")."""
    held = {t.i for p in others for t in p}
    if root.dep_ in {"compound", "amod", "nmod", "poss"}:
        noun = root.head
        return any(c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pobj" and g.i in held for g in c.children)
                   for c in noun.children)
    if root.dep_ == "pobj" and root.head.lower_ in {"near", "outside", "in"} and root.head.head.pos_ in {"NOUN", "PROPN"}:
        site = root.head.head
        return site.i in held or any(c.dep_ in {"compound", "poss"} and c.i in held for c in site.children)
    return False


def _bracketed_apart(text: str, place: int, figure: int) -> bool:
    """A place inside brackets that do not hold the figure: "(..., fled to India)"."""
    opened = text.rfind("(", 0, place)
    if opened < 0 or text.rfind(")", 0, place) > opened:
        return False
    closed = text.find(")", place)
    return closed >= 0 and not opened < figure < closed


def _detached(ptoks: list[Token], anchors: set[int]) -> bool:
    """A place inside a relative clause ("X, who fled to Y,") or an "including" aside that does
    not hold the figure."""
    for tok in ptoks[0].ancestors:
        if tok.dep_ == "relcl" and tok.head.pos_ in {"PROPN", "PRON"} and not anchors & {t.i for t in tok.subtree}:
            return True        # "Maria Roe, who fled to Spain," — not "the protests that resumed in Iraq"
        if tok.lower_ == "including" and not anchors & {t.i for t in tok.subtree}:
            return True
    return False
