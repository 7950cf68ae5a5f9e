"""Reposts: documents that repeat another (one wire story on five sites, a lightly edited copy).

``find_reposts(documents)`` takes (key, text) pairs in the order they were stored and returns,
for every document that repeats an earlier one, ``{key: key of the earliest document it
repeats}``. Two texts repeat each other when the Jaccard similarity of their word shingles
(``SHINGLE`` words each) reaches ``threshold``.

Finding the candidate pairs is MinHash/LSH's job (``datasketch.MinHash``, ``NUM_PERM``
permutations, cut into the bands ``datasketch.MinHashLSH`` chooses for ``THRESHOLD``): a
document is compared only with the documents that share a band of its signature, at any corpus
size. The verdict is the exact similarity of the candidate pair. ``bands(shingles)`` names a
document's bands, so a store can keep them and look up the candidates of a new document alone
(``Ledger.regroup``): ``repeated(...)`` then gives the same answer as ``find_reposts`` over all.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
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


@lru_cache(maxsize=4)
def _band_rows(threshold: float) -> tuple[int, int]:
    """(bands, rows per band): ``MinHashLSH``'s choice for ``threshold``."""
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def bands(words: set[str], threshold: float = THRESHOLD) -> list[str]:
    """The bands of a text's MinHash signature (over its ``shingles``), each ``"n:hash"``: two
    texts are candidates when they share one."""
    m = MinHash(num_perm=NUM_PERM)
    m.update_batch([x.encode("utf-8") for x in words])
    b, r = _band_rows(threshold)
    return [f"{n}:{hashlib.sha1(m.hashvalues[n * r:(n + 1) * r].tobytes()).hexdigest()[:24]}" for n in range(b)]


def repeated(words: set[str], candidates: Iterable[tuple[int, set[str], int | None]],
             threshold: float = THRESHOLD) -> int | None:
    """The earliest document a new text (its ``shingles``) repeats, or None. ``candidates``: the
    earlier documents sharing a band with it, as (their place in the order stored, their
    shingles, the place of the earliest document they repeat themselves, or None)."""
    roots = [root if root is not None else order for order, other, root in candidates
             if jaccard(words, other) >= threshold]
    return min(roots) if roots else None


def find_reposts(documents: Iterable[tuple[str, str]], threshold: float = THRESHOLD) -> dict[str, str]:
    """``{key: the key of the earliest document it repeats}`` over (key, text) pairs in the order
    they were stored; a document that repeats none is not in the answer."""
    by_band: dict[str, list[int]] = {}
    keys, sets, root = [], [], {}
    for i, (key, text) in enumerate(documents):
        words = shingles(text)
        mine = bands(words, threshold)
        earlier = sorted({j for b in mine for j in by_band.get(b, ())})
        found = repeated(words, ((j, sets[j], root.get(j)) for j in earlier), threshold)
        if found is not None:
            root[i] = found
        keys.append(key)
        sets.append(words)
        for b in mine:
            by_band.setdefault(b, []).append(i)
    return {keys[i]: keys[r] for i, r in root.items()}
