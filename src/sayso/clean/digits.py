"""Numbers written with other digits, seen as ASCII, with offsets back into the original text.

Reports quote figures in Persian ("۱۲۳"), Arabic-Indic ("١٢٣") or full-width ("１２３") digits, and
text copied from the web carries invisible format characters inside numbers ("12\u200b500").
``digit_view`` gives the text the extractor reads: every decimal digit as its ASCII digit (one
character for one), the Arabic decimal and thousands separators as "." and ",", and format
characters between two digits removed. ``DigitView.original`` maps an offset in that text back
to the document's own text, and ``restore`` puts a record's offsets and quoted text back on it,
so every figure still points at its evidence.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

# zero-width and direction marks a number can carry without showing them
_FORMAT = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_SEPARATORS = {"\u066b": ".", "\u066c": ","}   # ARABIC DECIMAL / THOUSANDS SEPARATOR
_FOREIGN = re.compile(rf"(?![0-9])\d|[{''.join(_SEPARATORS)}]|(?<=\d)[{_FORMAT}]+(?=\d)")


@dataclass(frozen=True)
class DigitView:
    """The text as the extractor reads it; ``removed`` holds, ascending, the offsets in ``text``
    at which a character of the original was left out."""

    text: str
    removed: list[int] = field(default_factory=list)

    def original(self, offset: int, end: bool = False) -> int:
        """The offset in the original text of ``offset`` in ``text``: a start moves past the
        characters removed just before it, an end does not."""
        if not self.removed:
            return offset
        count = bisect_left(self.removed, offset) if end else bisect_right(self.removed, offset)
        return offset + count


def digit_view(text: str) -> DigitView:
    """``text`` with foreign digits as ASCII and format characters inside numbers left out."""
    if text.isascii() or not _FOREIGN.search(text):
        return DigitView(text)
    parts, removed, pos, shift = [], [], 0, 0
    for m in _FOREIGN.finditer(text):
        parts.append(text[pos:m.start()])
        found = m.group()
        if found[0] in _FORMAT:
            removed.extend([m.start() - shift] * len(found))
            shift += len(found)
        else:
            parts.append(_SEPARATORS.get(found) or str(unicodedata.decimal(found)))
        pos = m.end()
    parts.append(text[pos:])
    return DigitView("".join(parts), removed)


def restore(record: dict, original: str, view: DigitView) -> dict:
    """``record`` (made on ``view.text``) with its figures' and quotes' offsets and text on the
    original text again."""
    if view.text is original or view.text == original:
        return record
    for item in record.get("figures", []) + record.get("quotes", []):
        item["start"], item["end"] = view.original(item["start"]), view.original(item["end"], end=True)
        item["text"] = original[item["start"]:item["end"]]
        sentence = item.get("sentence")
        if sentence:
            sentence["start"], sentence["end"] = view.original(sentence["start"]), view.original(sentence["end"], True)
    return record
