"""Reposts: documents that repeat another (one wire story on five sites, a lightly edited copy).

``find_reposts(documents)`` takes (key, text) pairs in the order they were stored and returns,
for every document that repeats an earlier one, ``{key: key of the earliest document it
repeats}``. Two texts repeat each other when the Jaccard similarity of their word shingles
(``SHINGLE`` words each) reaches ``threshold``.

Finding the candidate pairs is MinHash/LSH's job (``datasketch.MinHashLSH``, ``NUM_PERM``
permutations): a document is compared only with the documents that share a band of its
signature, at any corpus size. The verdict is the exact similarity of the candidate pair.
"""
from __future__ import annotations

import re
from typing import Iterable

from datasketch import MinHash, MinHashLSH

SHINGLE = 5           # words per shingle
NUM_PERM = 128        # MinHash permutations (datasketch)
THRESHOLD = 0.8       # Jaccard similarity at which a text repeats another
_WORDS = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """The document's word ``size``-grams, lower-cased (the whole text where it is shorter)."""
    words = _WORDS.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _candidates(sets: list[tuple[str, set[str]]], threshold: float) -> Iterable[tuple[int, int]]:
    """Pairs (earlier, later) of documents whose MinHash signatures share a band."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for i, (_, s) in enumerate(sets):
        m = MinHash(num_perm=NUM_PERM)
        m.update_batch([x.encode("utf-8") for x in s])
        for j in lsh.query(m):
            yield int(j), i
        lsh.insert(str(i), m)


def find_reposts(documents: Iterable[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, str]:
    """``{key: the key of the earliest document it repeats}`` over (key, text) pairs in the order
    they were stored; a document that repeats none is not in the answer."""
    sets = [(key, shingles(text)) for key, text in documents]
    matches: dict[int, set[int]] = {}        # later document -> earlier documents it repeats
    for j, i in _candidates(sets, threshold):
        j, i = min(i, j), max(i, j)
        if jaccard(sets[j][1], sets[i][1]) >= threshold:
            matches.setdefault(i, set()).add(j)
    root: dict[int, int] = {}
    for i in sorted(matches):
        root[i] = min(root.get(j, j) for j in matches[i])
    return {sets[i][0]: sets[r][0] for i, r in root.items()}
