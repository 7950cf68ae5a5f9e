"""What happened to what a figure counts: killed, executed, arrested, protest, ...

Each category has cue verbs, nouns and phrases (``data/categories.json``). The cue nearest to
the figure in the dependency tree wins: "1,500 protesters were killed" is ``killed`` through the
verb of which the counted noun is the subject, "the number of people executed" through the
participle modifying it, "documented cases of torture" through a noun of the counted phrase.
"""
from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from spacy.tokens import Doc, Token

from sayso.extract.counted import GENERIC_HEADS, target_noun, value_holder

MAX_DISTANCE = 3
# A cue of another coordinated clause ranks behind the figure's own clause's cues by this much.
OTHER_CLAUSE = 1.5
# A counted noun naming the event ("512 deaths") settles the category; one naming people
# ("refugees", "prisoners") speaks only where no verb within two edges does.
EVENT_NOUN_DISTANCE = 0.5
COUNTED_NOUN_DISTANCE = 2.5
OTHER = "other"
# Who or what holds people in custody: "prisons hold thousands", "the police are holding 40".
CUSTODIANS = {"prison", "jail", "camp", "centre", "center", "facility", "police", "authority", "military",
              "army", "regime", "government", "junta", "militia", "group"}
_PHRASE_KEY = "sayso.category_phrases"
_CUED_KEY = "sayso.category_cues"
# What can be "held" without anyone being detained.
EVENT_NOUNS = {"march", "marches", "rally", "rallies", "protest", "protests", "election", "elections",
               "talks", "meeting", "meetings", "conference", "vote", "referendum", "event", "events",
               "ceremony", "funeral", "funerals", "demonstration", "demonstrations", "trial", "trials",
               "hearing", "hearings", "summit", "session", "sessions", "gathering", "gatherings", "it",
               "camp", "camps", "sit-in", "sit-ins", "ins"}

@cache
def lexicon() -> dict[str, dict[str, list[str]]]:
    data = json.loads((files("sayso") / "data" / "categories.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


@cache
def _cue_index() -> tuple[dict[str, str], dict[str, tuple[str, str]], list[tuple[re.Pattern, str]]]:
    verbs, nouns, phrases = {}, {}, []
    ordered = sorted(lexicon().items(), key=lambda kv: kv[0] != OTHER)   # "other" verbs overrule: "resettled"
    for category, cues in ordered:
        for v in cues.get("verbs", []):
            verbs.setdefault(v, category)
        for n in cues.get("nouns", []):
            nouns.setdefault(n, (category, "noun"))
        for n in cues.get("people", []):
            nouns.setdefault(n, (category, "people"))
        for p in cues.get("phrases", []):
            phrases.append((re.compile(r"\b" + re.escape(p).replace(r"\ ", r"\s+") + r"\b", re.I), category))
    return verbs, nouns, phrases


_WORD = re.compile(r"\w+")


@cache
def _first_words() -> tuple[str | None, ...]:
    """Per cue phrase (in ``_cue_index`` order), its first word in lower case, which a match holds
    as a whole word; None for a phrase that does not start with a word character."""
    ordered = sorted(lexicon().items(), key=lambda kv: kv[0] != OTHER)
    firsts = []
    for _category, cues in ordered:
        for p in cues.get("phrases", []):
            m = _WORD.match(p)
            firsts.append(m.group().lower() if m else None)
    return tuple(firsts)


@cache
def _any_phrase() -> re.Pattern:
    """Matches where any cue phrase does (their alternation): a text it does not match holds none."""
    return re.compile("|".join(f"(?:{rx.pattern})" for rx, _ in _cue_index()[2]) or r"(?!)", re.I)


def token_category(tok: Token) -> tuple[str, str] | None:
    """The category a single token cues and how ("verb" or "noun"), if any."""
    verbs, nouns, _ = _cue_index()
    lemma, lower = tok.lemma_.lower(), tok.lower_
    if tok.pos_ in {"VERB", "AUX"} or tok.tag_ in {"VBN", "VBD", "VBG"}:
        if lemma == "hold" and _holds_people(tok):
            return "imprisoned", "verb"
        if lemma == "gather" and any(c.dep_ == "dobj" for c in tok.children):
            return OTHER, "verb"       # "gathered 1.2m signatures" is no rally
        cat = verbs.get(lemma) or verbs.get(lower)
        return (cat, "verb") if cat else None
    if tok.pos_ in {"NOUN", "ADJ"}:
        return nouns.get(lower)
    return None


def _names_people(tok: Token) -> bool:
    """A noun the lexicon lists for people ("prisoners", "refugees"), not for an event."""
    return _cue_index()[1].get(tok.lower_, ("", ""))[1] == "people"


def _holds_people(verb: Token) -> bool:
    """"journalists held in Egypt", "were held without charge" — not "marches were held"."""
    if verb.dep_ == "acl":
        return verb.head.lower_ not in EVENT_NOUNS
    subjects = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if not subjects:          # "Iran's prisons hold thousands of detainees"
        active = [c for c in verb.children if c.dep_ == "nsubj"]
        return bool(active) and all(c.lemma_.lower() in CUSTODIANS for c in active)
    return all(c.lower_ not in EVENT_NOUNS for c in subjects)


def phrase_hits(doc: Doc) -> dict[int, str]:
    """Token index -> category for multi-word cue phrases found in a parsed sentence (cached on it)."""
    if doc.user_data.get(_PHRASE_KEY) is not None:
        return doc.user_data[_PHRASE_KEY]
    _, _, phrases = _cue_index()
    hits: dict[int, str] = {}
    text = doc.text
    # Most sentences hold no phrase: only those whose first word the sentence holds are searched
    # (in ASCII text a case-insensitive word is its lower case), else all if their alternation matches.
    if text.isascii():
        words = set(_WORD.findall(text.lower()))
        phrases = [p for p, first in zip(phrases, _first_words()) if first is None or first in words]
    elif _any_phrase().search(text) is None:
        phrases = []
    for rx, category in phrases:
        for m in rx.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                hits.setdefault(phrase_position(span.root).i, category)
    doc.user_data[_PHRASE_KEY] = hits
    return hits


def phrase_position(root: Token) -> Token:
    """Where a cue phrase stands in the parse: its root, but the noun it modifies for a phrase
    that modifies one ("in the burns unit" for a phrase on "unit"), and the clause's verb for a
    description with "as" ("are listed as dead", "were registered as missing"), which says what
    the clause's subject or object is."""
    if root.dep_ in {"compound", "amod"} and root.head.pos_ in {"NOUN", "PROPN"}:
        return root.head
    if root.lower_ == "as" and root.dep_ == "prep":
        return next((t for t in root.ancestors if t.pos_ in {"VERB", "AUX"}), root)
    return root


def cued_tokens(doc: Doc) -> list[tuple[int, str, str]]:
    """(index, category, how) of each token of a parsed sentence that cues a category, in order:
    a multi-word phrase's root ("verb"), else :func:`token_category`. Kept on the sentence, which
    each of its figures reads."""
    got = doc.user_data.get(_CUED_KEY)
    if got is None:
        phrases = phrase_hits(doc)
        got = []
        for tok in doc:
            hit = (phrases[tok.i], "verb") if tok.i in phrases else token_category(tok)
            if hit is not None:
                got.append((tok.i, *hit))
        doc.user_data[_CUED_KEY] = got
    return got


ARGUMENTS = {"nsubj", "nsubjpass", "dobj"}


def _counts_another(tok: Token, head: Token | None, others: set[int]) -> bool:
    """A cue that is (or modifies) the noun another figure counts: "300 martyrs and 15,000
    injured victims" — "injured" is the second figure's, "martyrs" the first's."""
    noun = tok.head if tok.dep_ in {"amod", "compound"} else tok
    if head is not None and noun.i == head.i:
        return False
    # a year dates the noun, it does not count it: "the 1988 massacre of 30,000 prisoners"
    return any(c.dep_ in {"nummod", "quantmod", "nsubj"} and c.i in others and c.like_num
               and not YEAR.fullmatch(c.text) for c in noun.children)


YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _shared_modifier(tok: Token, head: Token | None) -> bool:
    """A participle on the last noun of a coordination that the figure's noun opens: "12
    students and 30 wounded teachers" says both were wounded, where nothing else does."""
    if head is None or tok.dep_ != "amod" or tok.tag_ not in {"VBN", "JJ"} or tok.head.i <= head.i:
        return False
    noun = tok.head
    while noun.dep_ == "conj" and noun.i != head.i:
        noun = noun.head
    return noun.i == head.i


def _subjectless_passive(verb: Token, head: Token | None) -> bool:
    """A passive verb the parser left without a subject, right after the coordinated nouns that
    are its subject: "(police fired,) and 12 students and 30 teachers were wounded"."""
    if head is None or head.dep_ in ARGUMENTS | {"pobj", "attr"} or verb.pos_ != "VERB" \
            or any(c.dep_ in {"nsubj", "nsubjpass", "csubj"} for c in verb.children):
        return False             # "killed 2 protesters": a noun that is another word's argument
    aux = [c for c in verb.children if c.dep_ == "auxpass" and c.i < verb.i]
    if not aux:
        return False
    chain = [head]
    while chain[-1].dep_ == "conj" or any(c.dep_ == "conj" for c in chain[-1].children):
        nxt = next((c for c in chain[-1].children if c.dep_ == "conj"), None)
        if nxt is None:
            break
        chain.append(nxt)
    last = max(t.i for n in chain for t in n.subtree)
    return last + 1 == aux[0].i


def _own_clause_verb(figure: list[Token], head: Token | None) -> Token | None:
    """The verb of the coordinated clause the figure is an argument of, where that verb says
    something of its own (not "be" or "have", which leave what happened to the clause before:
    "six were killed, and 3 were children")."""
    tok = head if head is not None else figure[0]
    verb = next((t for t in [tok, *tok.ancestors] if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None or verb.dep_ != "conj" or verb.lemma_.lower() in {"be", "have"}:
        return None
    return verb if verb.pos_ == "VERB" else None


def _other_clause(a: Token, b: Token) -> bool:
    """Whether the path between two tokens crosses into another coordinated clause: "five
    drowned and one worker was in hospital" — "drowned" is the first clause's, not the worker's."""
    up_a, up_b = [a, *a.ancestors], [b, *b.ancestors]
    ids_b = [t.i for t in up_b]
    ia = next((n for n, t in enumerate(up_a) if t.i in ids_b), None)
    if ia is None:
        return False
    path = up_a[:ia] + up_b[:ids_b.index(up_a[ia].i)]
    return any(t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"} for t in path)


def _about_another(verb: Token, anchors: list[Token]) -> bool:
    """A passive verb whose subject is a thing other than what the figure counts: "the files were
    not released for the 120 bodies" is no release of bodies. Its passive subject is a noun with
    no number in it (not "90 were hurt in A, 10 in B", where the verb is shared), and none of its
    subjects or objects holds the figure or its noun."""
    args = [c for c in verb.children if c.dep_ in ARGUMENTS]
    patients = [c for c in args if c.dep_ == "nsubjpass" and c.pos_ == "NOUN"]
    if not patients or any(t.like_num for c in patients for t in c.subtree):
        return False
    inside = {t.i for c in args for t in c.subtree}
    return not any(a.i in inside for a in anchors)


def total_of(head: Token) -> list[Token]:
    """The nouns a total says it counts, where the figure is its value: "the number of victims
    among miners who drowned has reached 30 people, including eight in the north" -> victims,
    miners (read for the cue of "drowned")."""
    while head.dep_ == "conj" or (head.dep_ == "pobj" and head.head.lower_ == "including"):
        head = head.head if head.dep_ == "conj" else head.head.head
    if head.dep_ in {"dobj", "attr"}:
        verb = head.head
    elif head.dep_ == "pobj" and head.head.lower_ in {"to", "at"}:
        verb = head.head.head            # "has risen to 41 people", "stands at 41"
    else:
        return []
    found = []
    for total in verb.children:
        if total.dep_ != "nsubj" or total.lower_ not in GENERIC_HEADS:
            continue
        for prep in total.children:
            for noun in (c for c in prep.children if prep.lower_ == "of" and c.dep_ == "pobj"):
                found.append(noun)
                found += [g for p2 in noun.children if p2.lower_ == "among" for g in p2.children if g.dep_ == "pobj"]
    return found


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one parse."""
    path_a = [a, *a.ancestors]
    index = {t.i: n for n, t in enumerate(path_a)}
    for n, t in enumerate([b, *b.ancestors]):
        if t.i in index:
            return n + index[t.i]
    return 99


def categorize(figure: list[Token], head: Token | None = None, phrase: range = range(0),
               exclude: set[int] = frozenset()) -> str:
    """The category of a figure: its tokens, the noun it counts and that noun phrase's token range.

    Tokens in ``exclude`` (other figures, time expressions) are not read as cues.
    """
    if not figure:
        return OTHER
    doc = figure[0].doc
    anchors = figure + ([head] if head is not None else [])
    if head is not None and head.dep_ == "conj" and head.pos_ in {"NOUN", "PROPN"}:
        anchors.append(head.head)      # "624 civilians and eight police officers"
    if head is not None and head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in GENERIC_HEADS:
        anchors.append(head.head.head)  # "the number of prisoners massacred": the verb may hang from "number"
    if head is not None:
        anchors += total_of(head)
    target = target_noun(figure)      # "the death toll has increased to 30 people"
    if target is not None and (head is None or target.i != head.i):
        anchors.append(target)
    own = {t.i for t in figure}
    own_verb = _own_clause_verb(figure, head)
    best: tuple | None = None
    for i, cat, how in cued_tokens(doc):
        if i in exclude or i in own:
            continue
        tok = doc[i]
        shared = _shared_modifier(tok, head)
        if _counts_another(tok, head, exclude) and not shared:
            continue
        if how == "verb" and tok.pos_ in {"VERB", "AUX"} and _about_another(tok, anchors):
            continue
        dist = float(min(tree_distance(a, tok) for a in anchors))
        apart = all(_other_clause(a, tok) for a in anchors)
        if apart and own_verb is not None:
            continue          # "drove 80,000 from their homes, and 5,000 are waiting for seed"
        if shared:
            dist = MAX_DISTANCE            # weaker than any cue of the figure's own noun
        elif how == "verb" and _subjectless_passive(tok, head):
            dist, apart = EVENT_NOUN_DISTANCE, False     # the verb of the figure's own noun
        elif head is not None and tok.i == head.i:
            # "512 deaths"; "11 injured", where the participle stands for the people counted;
            # a phrase on a noun for people ("political prisoners") speaks as that noun
            people_phrase = tok.i in phrase_hits(doc) and _names_people(tok)
            dist = EVENT_NOUN_DISTANCE if how == "noun" or (how == "verb" and not people_phrase) \
                else COUNTED_NOUN_DISTANCE
        elif target is not None and how == "noun" and (tok.i == target.i or tok.head.i == target.i and tok.dep_ == "compound"):
            dist = EVENT_NOUN_DISTANCE      # what the figure is the value of: "the toll rose to 30 people"
        elif head is not None and tok.dep_ == "compound" and tok.head.i == head.i:
            dist = COUNTED_NOUN_DISTANCE + 0.1     # "17 death sentences": the head noun speaks first
        elif how in ("noun", "people"):
            governs = head is not None and head.dep_ == "pobj" and head.head.lower_ == "of" \
                and tok.i in (head.head.head.i, *(c.i for c in head.head.head.conjuncts))   # "the beating and killing of 9"
            beyond = how == "people" and head is not None and tok.i > head.i   # "1,850 rounds ... on the protesters"
            dist = 1 if (tok.i in phrase and not beyond) or governs else dist + 1   # "the killing of 300 people"
        elif tok.dep_ == "amod" and head is not None and tok.head.i == head.i and head.dep_ in {"nsubj", "nsubjpass"}:
            dist += 1          # "18 detained clerics have died": the predicate says more
        key = (dist + OTHER_CLAUSE * apart, cat == OTHER, abs(tok.i - figure[0].i), cat)
        if dist <= MAX_DISTANCE and (best is None or key < best):
            best = key
    return best[-1] if best else _share_of(figure, exclude) or _the_number(value_holder(figure), exclude) or OTHER


def _event_noun(tok: Token) -> str | None:
    """The category of a noun that names the event ("deaths", "the death toll"), if it is one."""
    hit = phrase_hits(tok.doc).get(tok.i)
    if hit is not None:
        return hit
    cue = token_category(tok)
    return cue[0] if cue is not None and cue[1] == "noun" else None


def _share_of(figure: list[Token], exclude: set[int]) -> str | None:
    """A figure of a clause that opens with what it is a share of: "Of those deaths,
    children made up 12 percent" is a share of deaths ("she said of those deaths, ..." too)."""
    verb = next((t for t in figure[0].ancestors if t.pos_ in {"VERB", "AUX"}), None)
    verbs = [verb, verb.head] if verb is not None and verb.dep_ == "ccomp" else [verb]
    for verb in filter(None, verbs):
        for prep in verb.children:
            if prep.lower_ == "of" and prep.i < figure[0].i:
                for noun in prep.children:
                    if noun.dep_ == "pobj" and noun.i not in exclude:
                        return _event_noun(noun)
    return None


def _the_number(target: Token | None, exclude: set[int]) -> str | None:
    """A figure that is the value of "the number" (or "the figure", "the total") with no "of"
    after it, which refers back to the event named before it in the sentence: "estimates of
    the death toll vary, and monitors put the number at 212"."""
    if target is None or target.lower_ not in GENERIC_HEADS or target.lower_ in {"a", "one"} \
            or not any(c.lower_ == "the" for c in target.children) or any(c.lower_ == "of" for c in target.children):
        return None
    for tok in reversed(target.doc[:target.i]):
        if tok.i not in exclude and tok.pos_ == "NOUN":
            cat = _event_noun(tok)
            if cat is not None:
                return cat
    return None
