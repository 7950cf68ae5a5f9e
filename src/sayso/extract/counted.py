"""What a figure counts: the noun phrase the number quantifies, read from the dependency parse.

"more than 1,500 protesters" counts "protesters"; "Ninety-six of those detainees" counts
"detainees"; "44 percent of the appeal" counts "appeal"; "$2 million" counts its currency; a
list line "3,000 – the number of people executed" counts "people".
"""
from __future__ import annotations

from spacy.tokens import Token

# Dependency labels (spaCy's English scheme) this module relies on.
NOUN_POS = {"NOUN", "PROPN"}
LEFT_MODIFIERS = {"compound", "amod", "nmod", "poss", "case", "npadvmod"}
QUANTITY_DEPS = {"nummod", "quantmod", "amod", "compound", "nmod", "det"}
GENERIC_HEADS = {"number", "total", "figure", "count", "tally", "estimate", "a", "one"}
# Adjectives that stand for people counted: "1,100 dead", "40 percent of the wounded".
PEOPLE_ADJECTIVES = {"dead", "wounded", "injured", "missing", "displaced", "disappeared", "detained", "homeless"}
# Words of change: "rose by 20 percent", "a 20 percent rise in ...".
CHANGE_WORDS = {"rise", "increase", "fall", "drop", "decline", "jump", "cut", "reduction", "surge", "grow", "growth"}
# Verbs whose object a figure is the value of ("reached 97"), and prepositions after a verb that
# give the value of its object or subject ("rose to 30", "put the crowd at 20,000").
REACH_VERBS = {"reach", "hit", "top", "exceed", "surpass", "pass"}
TARGET_PREPOSITIONS = {"to", "at"}
RANK_NOUNS = {"place", "places", "position", "positions", "spot", "spots", "rank", "ranks", "ranking"}
UNIT_WORDS = {"percent", "per", "cent", "%", "million", "billion", "thousand", "hundred", "dozen",
              "dozens", "hundreds", "thousands", "millions", "scores", "tens", "several", "few"}


def counted_head(tokens: list[Token]) -> Token | None:
    """The noun a figure's tokens quantify, or None where the parse names none."""
    if not tokens:
        return None
    span = {t.i for t in tokens}
    last = tokens[-1]
    # "percent of the appeal", "dozens of families", "Ninety-six of those detainees"
    for tok in (last, *reversed(tokens[:-1])):
        of = _of_object(tok)
        if of is not None and of.i not in span:
            return of
    # "1,500 protesters": the number modifies its noun
    for tok in reversed(tokens):
        head = tok.head
        while head.i in span and head.head.i != head.i:
            head = head.head
        if tok.dep_ in QUANTITY_DEPS and head.i not in span and head.i > tok.i and (
                head.pos_ in NOUN_POS or _people_adjective(head)):     # "risen to seven dead"
            if head.lower_ in GENERIC_HEADS:
                return _of_object(head) or head
            return head
    # "an occupancy rate of 143 percent": the noun the figure's "of" hangs from
    if last.head.dep_ == "pobj" or last.dep_ == "pobj":
        prep = last.head if last.head.dep_ == "prep" else (last.head if last.dep_ == "pobj" else None)
        if prep is not None and prep.lower_ == "of" and prep.head.pos_ in NOUN_POS and prep.head.lower_ not in GENERIC_HEADS:
            return prep.head
    # "the number of political prisoners had risen to 600", "put the crowd at 20,000",
    # "the death toll reached 97", "raising the death toll to 494,438", "inflation slowed to 7%"
    root = next((t for t in tokens if t.head.i not in span or t.head.i == t.i), last)
    target = target_noun(tokens)
    if target is not None:
        return target
    # "31 were women": the noun the figure is said to be
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        attr = next((c for c in root.head.children if c.dep_ == "attr" and c.pos_ in NOUN_POS), None)
        if attr is not None and attr.lower_ not in GENERIC_HEADS:
            return attr
    # "occupancy is 143 percent": the subject of the copula the figure completes
    for tok in (last, last.head):
        if tok.dep_ in {"attr", "acomp"} and tok.head.lemma_ == "be":
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj" and c.pos_ in NOUN_POS), None)
            if subj is not None and subj.lower_ not in GENERIC_HEADS:
                return subj
    # "rose by 20 percent": what rose; "a 20 percent rise in the minimum pension": what rose
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.lemma_ in CHANGE_WORDS:
        subj = next((c for c in root.head.head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ in NOUN_POS), None)
        if subj is not None:
            return subj
    if root.head.lemma_ in CHANGE_WORDS and root.head.pos_ == "NOUN":
        for child in root.head.children:
            if child.dep_ == "prep" and child.lower_ in {"in", "of"}:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    # the first noun right after the figure: "the 11 prisons it was allowed to visit", "1,100 dead"
    doc = last.doc
    for tok in doc[last.i + 1:last.i + 3]:
        if (tok.pos_ in NOUN_POS and tok.lower_ not in UNIT_WORDS) or (tok.lower_ in PEOPLE_ADJECTIVES and tok.pos_ == "ADJ"):
            return tok
        if tok.lower_ in PEOPLE_ADJECTIVES and tok.tag_ == "VBN" and not any(c.dep_ in {"aux", "auxpass"} for c in tok.children):
            return tok       # "in addition to 900 wounded": a participle standing for people
        if tok.pos_ not in {"ADJ", "NOUN", "PROPN"}:
            break
    return None


def _people_adjective(tok: Token) -> bool:
    """An adjective standing for the people counted ("seven dead"), not a predicate ("8,000 were
    injured", parsed as if the number modified it)."""
    return tok.lower_ in PEOPLE_ADJECTIVES and not any(c.dep_ in {"aux", "auxpass", "cop"} for c in tok.children)


def target_noun(tokens: list[Token]) -> Token | None:
    """The noun a figure is the value of, where a verb says so: its object or subject when the
    figure completes "to"/"at" or is what is reached ("the death toll reached 97", "raising the
    toll to 624", "inflation slowed to 7%", "the rate is expected to reach 4.5%", "the number of
    fatalities standing at 17" gives "fatalities"). None where no such noun is written."""
    noun = value_holder(tokens)
    if noun is not None and noun.lower_ in GENERIC_HEADS:
        return _of_object(noun)
    return noun


def value_holder(tokens: list[Token]) -> Token | None:
    """As :func:`target_noun`, but a generic noun as written: "put the number at 212" gives
    "number"."""
    if not tokens:
        return None
    span = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in span or t.head.i == t.i), tokens[-1])
    if root.dep_ in {"nummod", "quantmod"} and root.head.dep_ == "pobj":
        root = root.head            # "has increased to 30 people": the noun completes "to"
    prep = root.head if root.dep_ == "pobj" and root.head.lower_ in TARGET_PREPOSITIONS else None
    if prep is not None:
        verb = prep.head
        if verb.pos_ in NOUN_POS and prep.lower_ == "at" and verb.i < prep.i:
            return _of_object(verb) if verb.lower_ in GENERIC_HEADS else verb   # "the death toll now at over 100"
        for _ in range(2):          # "to remain steady at 3.6%": from the adjective to its verb
            if verb.pos_ not in {"ADJ", "ADV"} or verb.head.i == verb.i:
                break
            verb = verb.head
    elif root.dep_ == "dobj" and root.head.lemma_ in REACH_VERBS:
        verb = root.head
    else:
        return None
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    noun = next((c for c in verb.children if c.dep_ == "dobj" and c.i not in span and c.i != root.i
                 and (prep is None or c.i < prep.i)), None)
    if noun is not None and noun.pos_ == "PRON":
        return noun                 # "estimated it at 6,000": the caller resolves the pronoun
    holder = verb
    for _ in range(3):              # "is expected to reach": the subject of the verb above
        if noun is not None:
            break
        noun = next((c for c in holder.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if noun is None and holder.dep_ == "acl" and holder.head.pos_ in NOUN_POS:
            noun = holder.head      # "the number of fatalities standing at 17"
        if holder.dep_ not in {"xcomp", "ccomp", "conj"} or holder.head.i == holder.i:
            break
        holder = holder.head
    if noun is None or noun.pos_ not in NOUN_POS:
        return None
    return noun


def _of_object(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (pobj.pos_ in NOUN_POS | {"PRON"} or pobj.lower_ in PEOPLE_ADJECTIVES):
                    if pobj.lower_ in GENERIC_HEADS:
                        return _of_object(pobj) or pobj
                    return pobj
    return None


def noun_phrase(head: Token, exclude: set[int] = frozenset()) -> tuple[int, int]:
    """Token range [start, end) of a counted noun phrase: modifiers, an "of" complement, conjuncts."""
    keep = {head.i}
    doc = head.doc
    for child in head.lefts:
        if child.dep_ in LEFT_MODIFIERS or (child.dep_ == "conj" and child.pos_ in NOUN_POS):
            keep.update(t.i for t in child.subtree)
        elif child.dep_ == "punct" and child.text == "-" and child.i > 0 and not doc[child.i - 1].whitespace_ \
                and not child.whitespace_:
            keep.add(child.i)          # the hyphen inside a word: "two large sit-ins"
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            clauses = {t.i for c in child.subtree if c.dep_ == "relcl" for t in c.subtree}
            keep.update(t.i for t in child.subtree if t.i not in clauses)   # not "... in which victims named X"
        elif child.dep_ == "conj" and child.pos_ in NOUN_POS and not any(t.like_num for t in child.subtree) \
                and not any(g.dep_ in {"det", "poss"} for g in child.children):
            keep.update(t.i for t in child.subtree if t.dep_ not in {"relcl", "acl"})
            keep.update(t.i for t in head.rights if t.dep_ == "cc" and t.i < child.i)
        elif child.dep_ == "cc":
            continue
    keep -= set(exclude)
    # a contiguous run around the head, without leading determiners or trailing punctuation
    start = end = head.i
    while start - 1 in keep:
        start -= 1
    while end + 1 in keep:
        end += 1
    while start < head.i and (doc[start].pos_ in {"DET", "NUM", "PUNCT", "CCONJ"} or doc[start].lower_ in UNIT_WORDS | {"of"}
                              or (doc[start].pos_ == "PRON" and doc[start].dep_ == "poss")):     # "its main rate"
        start += 1
    while end > head.i and doc[end].pos_ in {"PUNCT", "CCONJ", "ADP", "DET"}:
        end -= 1
    return start, end + 1


def phrase_text(head: Token, exclude: set[int] = frozenset()) -> str:
    """The counted noun phrase around ``head``, as written."""
    start, end = noun_phrase(head, exclude)
    return head.doc[start:end].text


def counted_text(tokens: list[Token]) -> str | None:
    """The counted noun phrase of a figure's tokens, as written, or None."""
    head = counted_head(tokens)
    if head is None or head.pos_ == "PRON":
        return None
    return phrase_text(head, {t.i for t in tokens})


def first_noun(tokens: list[Token]) -> Token | None:
    """The first noun in a run of tokens, past "the number of" and possessives: a list line's
    counted head ("Iran's world ranking" -> "ranking")."""
    for tok in tokens:
        if tok.pos_ in NOUN_POS and tok.lower_ not in GENERIC_HEADS | UNIT_WORDS and tok.dep_ != "poss":
            while tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.pos_ in NOUN_POS:
                tok = tok.head
            return tok
    return None


def rank_head(tokens: list[Token]) -> Token | None:
    """What a rank ranks in: "44th place", "ranked first in the World Press Freedom Index"."""
    last = tokens[-1]
    doc = last.doc
    if last.i + 1 < len(doc) and doc[last.i + 1].lower_ in RANK_NOUNS:
        return doc[last.i + 1]
    if last.head.lower_ in RANK_NOUNS and last.head.i > last.i:
        return last.head
    for holder in (last, last.head):
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ == "in" and child.i > last.i:
                pobj = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ in NOUN_POS), None)
                if pobj is not None:
                    return pobj
    return None
