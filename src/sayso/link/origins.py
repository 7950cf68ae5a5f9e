"""Origins: on whose count a figure rests, and how many independent parties state an estimate.

A figure's origin (``origins_of``) is the party whose count it is:

- where a source relays another's figure (``"cites": [...]`` on its entry: "Reuters, citing three
  interior ministry officials, reported ..."), the cited parties; the relay is not an origin;
- else its sources in the role ``source``;
- else (the document's own voice) its publisher (site, else the document itself).

A party that disputes a figure never counts for it, and one that confirms it is a confirmer, not
an origin. An estimate's independent parties (``independent_origins``) are the distinct origins of
its figures, where the documents that repeat another (reposts, ``sayso.link.reposts``) speak with
the voice of the document they repeat: five sites running one wire story are one voice.
"""
from __future__ import annotations

from typing import Iterable, Mapping


def relays(sources: Iterable[dict]) -> dict[str, list[str]]:
    """The relays among a figure's sources: name -> the parties it cites."""
    return {s["name"]: list(s.get("cites") or []) for s in sources
            if s.get("name") and s.get("role") == "source" and s.get("cites")}


def origins_of(sources: Iterable[dict], publisher: str) -> list[str]:
    """The origins of a figure with these sources (record entries: ``name``, ``role``, optional
    ``cites``), ``publisher`` speaking where no source states it. Names in first-seen order."""
    out: list[str] = []
    for s in sources:
        if s.get("name") and s.get("role") == "source":
            for name in (s.get("cites") or [s["name"]]):   # a relay stands for whom it cites
                if name not in out:
                    out.append(name)
    return out or [publisher]


def confirmers_of(sources: Iterable[dict]) -> list[str]:
    """Who confirms a figure (never its origin)."""
    return _names(sources, "confirms")


def disputers_of(sources: Iterable[dict]) -> list[str]:
    """Who disputes a figure: never an origin of it."""
    return _names(sources, "disputes")


def _names(sources: Iterable[dict], role: str) -> list[str]:
    out: list[str] = []
    for s in sources:
        if s.get("name") and s.get("role") == role and s["name"] not in out:
            out.append(s["name"])
    return out


def independent_origins(figures: Iterable[tuple[str, list[str], bool]], repeats: Mapping[str, str] = {},
                        publisher_of: Mapping[str, str] = {}) -> list[str]:
    """The distinct origins of an estimate's figures, each given as (document key, its origins,
    whether it is in its document's own voice). A document that repeats another (``repeats``:
    key -> the key of the document it repeats, ``sayso.link.reposts``) speaks in the voice of the
    one it repeats (``publisher_of``: key -> publisher), so a wire story on five sites is one
    voice. Names in first-seen order, compared case-insensitively."""
    out: dict[str, str] = {}
    for doc, origins, own_voice in figures:
        if own_voice:
            root, seen = doc, {doc}
            while root in repeats and repeats[root] not in seen:
                root = repeats[root]
                seen.add(root)
            if root != doc:
                origins = [publisher_of.get(root, root)]
        for name in origins:
            out.setdefault(name.lower(), name)
    return list(out.values())


def parties(statements: Iterable[tuple[str, list[dict], str]], repeats: Mapping[str, str] = {},
            publisher_of: Mapping[str, str] = {}, anonymous: Iterable[str] = ()) -> dict[str, list[str]]:
    """Who stands behind one estimate (a group, or a figure stated once), from its figures given
    as (document key, sources, publisher): ``origins``, its independent parties (the distinct
    origins, reposts counting once as ``independent_origins`` does, a disputer never, a
    document's own voice only where that document names no origin of the figure elsewhere, and
    the own voice of an ``anonymous`` document, one whose publisher is unknown, only where the
    estimate has no other origin: a text of unknown provenance restating a figure others
    attribute is no evidence of a count of its own); ``confirmed_by``, who confirms it without
    being an origin; ``disputed_by``."""
    statements = list(statements)
    anonymous = set(anonymous)
    disputers = list(dict.fromkeys(n for _, sources, _ in statements for n in disputers_of(sources)))
    confirmers = list(dict.fromkeys(n for _, sources, _ in statements for n in confirmers_of(sources)))
    own = [origins_of(sources, "") == [""] for _, sources, _ in statements]
    sourced_docs = {doc for (doc, _, _), o in zip(statements, own) if not o}
    # a document's own voice repeating a figure it attributes elsewhere in the text adds no origin
    stated = [(doc, origins_of(sources, publisher), o) for (doc, sources, publisher), o in zip(statements, own)
              if not (o and doc in sourced_docs)]
    against = {d.lower() for d in disputers}
    origins = [o for o in independent_origins(stated, repeats, publisher_of) if o.lower() not in against]
    unknown = {publisher.lower() for doc, sources, publisher in statements
               if doc in anonymous and origins_of(sources, "") == [""]}
    if any(o.lower() not in unknown for o in origins):
        origins = [o for o in origins if o.lower() not in unknown]
    named = {o.lower() for o in origins}
    return {"origins": origins, "confirmed_by": [c for c in confirmers if c.lower() not in named],
            "disputed_by": disputers}
