"""Where a figure happened: the place named in its sentence that the figure is about.

Places come from the place registry (countries, their adjectives, regions, cities:
``data/places.json``) and from the parser's GPE/LOC entities. Places inside a source's name
("the Belarusian Association of Journalists") do not count. Among the rest, the place nearest
the figure in the dependency tree wins, within ``MAX_DISTANCE`` edges, then the nearest in
the text.
"""
from __future__ import annotations

from spacy.tokens import Token

from sayso.extract.category import tree_distance
from sayso.extract.parse import Sentence
from sayso.link.aliases import AliasRegistry

MAX_DISTANCE = 6


def place_mentions(sent: Sentence, registry: AliasRegistry) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each place named in a sentence, document offsets."""
    text = sent.doc.text if sent.doc is not None else sent.text
    found = [(sent.start + s, sent.start + e, name) for s, e, name in registry.find(text)]
    if sent.doc is not None:
        for ent in sent.doc.ents:
            if ent.label_ in ("GPE", "LOC"):
                s, e = sent.start + ent.start_char, sent.start + ent.end_char
                if not any(a < e and s < b for a, b, _ in found):
                    found.append((s, e, registry.canonical(ent.text) or ent.text))
    return sorted(found)


def place_of(sent: Sentence, ftoks: list[Token], registry: AliasRegistry,
             exclude: list[tuple[int, int]] = ()) -> str | None:
    """The canonical place a figure (its tokens) is about, or None."""
    if sent.doc is None or not ftoks:
        return None
    best = None
    for start, end, name in place_mentions(sent, registry):
        if any(a <= start and end <= b for a, b in exclude):
            continue
        ptoks = sent.tokens_in(start, end)
        if not ptoks or any(t.ent_type_ == "ORG" for t in ptoks):
            continue
        d = min(tree_distance(a, b) for a in ftoks for b in ptoks)
        key = (d, abs(ptoks[0].i - ftoks[0].i))
        if d <= MAX_DISTANCE and (best is None or key < best[0]):
            best = (key, name)
    return best[1] if best else None
