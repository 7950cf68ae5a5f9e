"""Find scraped page furniture (tags, share widgets, copyright lines, contact blocks...).

Boilerplate is found line by line with the regexes in ``sayso/data/boilerplate.json``, plus a
trailing-footer rule: from a strong footer marker (Tags:, Share this, Related Posts, Copyright)
in the block of short lines at the end of the text, every line after it is boilerplate too
(related-post titles and the like); a line that reads as prose ends that block.  Results are document offsets of whole lines, without their
line breaks, merged where only whitespace separates them.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_PLACEHOLDER = re.compile(r"<<([A-Z_]+)>>")
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class _Rules:
    groups: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    markers: frozenset[str]
    max_lines: int
    max_line_chars: int
    sentence: re.Pattern
    any_line: re.Pattern       # every group's patterns in one alternation, group i as ``g{i}``


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Load and compile the patterns once."""
    raw = json.loads(resources.files("sayso").joinpath("data/boilerplate.json").read_text("utf-8"))
    defs = raw.get("definitions", {})

    def expand(pattern: str, depth: int = 0) -> str:
        if depth > 5:
            raise ValueError(f"boilerplate.json: definitions nest too deeply in {pattern!r}")
        out = _PLACEHOLDER.sub(lambda m: f"(?:{defs[m.group(1)]})", pattern)
        return expand(out, depth + 1) if _PLACEHOLDER.search(out) else out

    groups = tuple(
        (name, tuple(re.compile(expand(p), re.IGNORECASE) for p in group["patterns"]))
        for name, group in raw["groups"].items()
    )
    markers = frozenset(name for name, group in raw["groups"].items() if group.get("footer_marker"))
    footer = raw["footer"]
    any_line = re.compile("|".join(f"(?P<g{i}>{'|'.join(f'(?:{p.pattern})' for p in patterns)})"
                                   for i, (_, patterns) in enumerate(groups)), re.IGNORECASE)
    return _Rules(groups, markers, int(footer["max_lines"]), int(footer["max_line_chars"]),
                  re.compile(footer["sentence"]), any_line)


def classify_line(line: str) -> str | None:
    """Name of the boilerplate group a single line belongs to, or None for content."""
    stripped = line.strip()
    if not stripped:
        return None
    # One full match of the alternation: its first alternative that matches the whole line is
    # the first pattern, in group order, that does.
    rules = _rules()
    m = rules.any_line.fullmatch(stripped)
    return rules.groups[int(m.lastgroup[1:])][0] if m else None


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, line breaks (\\n, \\r\\n, \\r) excluded."""
    out, start = [], 0
    for m in _NEWLINE.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _footer_start(text: str, lines: list[tuple[int, int]], kinds: list[str | None], rules: _Rules) -> int | None:
    """Index of the first footer-marker line in the trailing block of short lines, if any.

    The block is the run of blank, boilerplate and short non-sentence lines at the end of the text.
    """
    block_start, seen = len(lines), 0
    for i in range(len(lines) - 1, -1, -1):
        stripped = text[lines[i][0]:lines[i][1]].strip()
        if stripped:
            if kinds[i] is None and (len(stripped) > rules.max_line_chars
                                     or rules.sentence.fullmatch(stripped)):
                break
            seen += 1
            if seen > rules.max_lines:
                break
        block_start = i
    for i in range(block_start, len(lines)):
        if kinds[i] in rules.markers:
            return i
    return None


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` holding page furniture that must yield no figures."""
    rules = _rules()
    lines = _lines(text)
    kinds = [classify_line(text[s:e]) for s, e in lines]
    footer = _footer_start(text, lines, kinds, rules)
    spans: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(lines):
        if not text[s:e].strip():
            continue
        if kinds[i] is None and (footer is None or i < footer):
            continue
        if spans and not text[spans[-1][1]:s].strip():
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans
