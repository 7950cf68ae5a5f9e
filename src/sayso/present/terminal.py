"""Text from documents and file names, made safe to print on a terminal.

A file name or a document's field can hold anything: console markup (``[/]``), newlines that
would split one error into two lines, ANSI escapes that would drive the terminal. ``one_line``
writes such characters as escapes for messages; ``visible`` swaps them one for one for visible
symbols, so that a document's text keeps its length and its figures' offsets stay valid; the
``error`` and ``note`` lines are rich Text, never parsed as markup.
"""
from __future__ import annotations

import unicodedata

from rich.text import Text

# bidirectional overrides and isolates reorder what a terminal shows (as in "Trojan Source")
_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}


def _unsafe(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or code in _BIDI or unicodedata.category(ch) in ("Zl", "Zp")


def visible(text: str, keep: str = "\n\t") -> str:
    """``text`` with each control character (but those in ``keep``) replaced by one visible
    symbol: C0 controls by their Control Pictures (ESC by U+241B), the rest by U+FFFD."""
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(ch if ch in keep or not _unsafe(ch) else
                   chr(0x2400 + ord(ch)) if ord(ch) < 0x20 else
                   "\u2421" if ord(ch) == 0x7F else "\ufffd" for ch in text)


def one_line(text: str) -> str:
    """``text`` on one line: newlines, tabs and every other control character written as an
    escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    if not any(_unsafe(ch) for ch in text):
        return text
    return "".join(ch if not _unsafe(ch) else ch.encode("unicode_escape").decode("ascii") for ch in text)


def error(message: str) -> Text:
    """``error: message`` as one line of plain text (the label in red)."""
    return Text.assemble(("error:", "red"), " ", one_line(str(message)))


def note(message: str) -> Text:
    """``note: message`` as one line of plain text (the label in yellow)."""
    return Text.assemble(("note:", "yellow"), " ", one_line(str(message)))


def plain(message: str) -> Text:
    """A summary line, printed as it is (never read as markup)."""
    return Text(one_line(str(message)))
