"""The Python API: ``sayso.extract(text)`` for notebooks, ``extract_many`` for batches.

spaCy and the pipeline load on the first call, not on ``import sayso``."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator

from sayso.model import InputDocument, Options

if TYPE_CHECKING:
    from sayso.pipeline import Extractor


@lru_cache(maxsize=4)
def _extractor(model: str, aliases: tuple[str, ...]) -> Extractor:
    from sayso.pipeline import Extractor

    return Extractor(Options(model=model, aliases=aliases))


def extract(text: str, published: str | None = None, *, id: str | None = None, url: str | None = None,
            title: str | None = None, source: str | None = None, model: str | None = None,
            aliases: Iterable[str] = ()) -> dict:
    """One ``sayso.document/1`` record for a text.

    >>> rec = extract("At least 12 protesters were killed on Monday, the group said.", published="2021-03-02")
    >>> rec["figures"][0]["text"], rec["figures"][0]["category"]
    ('At least 12', 'killed')
    """
    from sayso.pipeline import input_from_text

    ex = _extractor(model or Options.model, tuple(aliases))
    return ex(input_from_text(text, published, id, url, title, source))


def extract_many(docs: Iterable[InputDocument], options: Options | None = None, batch: int = 32) -> Iterator[dict]:
    """Records for many documents, loading the pipeline once; the sentences to parse of
    ``batch`` documents at a time go through spaCy together (same records, less time)."""
    from sayso.pipeline import Extractor, extract_documents

    yield from extract_documents(docs, Extractor(options), batch)
