"""What a request asks for, read the same way by the pages and the API: figure filters from the
query string, and a review form's changes to a figure."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

from sayso.ingest.readers import valid_date
from sayso.store import browse
from sayso.store.review import EDITABLE, sources_lines

TEXT_FILTERS = ("category", "place", "source", "since", "until", "search")


@dataclass
class FigureQuery:
    """Filters, review state, sort and page of a figure listing, and what was wrong with them."""

    filters: dict = field(default_factory=dict)
    review_state: str | None = None
    sort: str = "document"
    descending: bool = False
    page: int = 1
    per_page: int = 50
    errors: list[str] = field(default_factory=list)

    def as_kwargs(self) -> dict:
        return {"filters": self.filters, "review_state": self.review_state, "sort": self.sort,
                "descending": self.descending, "page": self.page, "per_page": self.per_page}

    def params(self, **override) -> dict:
        """The query string that asks for this listing again (with ``override``)."""
        out = {k: v for k, v in self.filters.items() if v not in (None, "")}
        for key in ("min_value", "max_value"):
            if key in out:
                out[key[:3]] = out.pop(key)
        if "search" in out:
            out["q"] = out.pop("search")
        out.update(review=self.review_state, sort=self.sort, desc="1" if self.descending else None,
                   page=self.page if self.page != 1 else None)
        out.update(override)
        return {k: v for k, v in out.items() if v not in (None, "")}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def figure_query(params: Mapping[str, str]) -> FigureQuery:
    """A :class:`FigureQuery` from a query string: ``category``, ``place``, ``source``, ``since``,
    ``until``, ``min``, ``max``, ``q`` (words), ``document``, ``review``, ``sort``, ``desc``,
    ``page``, ``per_page``. Bad values are dropped and named in ``errors``."""
    q = FigureQuery()
    for key in TEXT_FILTERS:
        value = (params.get("q" if key == "search" else key) or "").strip()
        if value:
            q.filters[key] = value
    for key in ("since", "until"):
        if key in q.filters and not valid_date(q.filters[key]):
            q.errors.append(f"{key} {q.filters.pop(key)!r} is not a YYYY-MM-DD date")
    for key, name in (("min", "min_value"), ("max", "max_value")):
        value = (params.get(key) or "").strip()
        if value:
            try:
                number = float(value.replace(",", ""))
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                q.filters[name] = number
            else:
                q.errors.append(f"{key} {value!r} is not a number")
    if (params.get("document") or "").isdigit():
        q.filters["document"] = int(params["document"])
    review = params.get("review") or None
    q.review_state = review if review in browse.REVIEW_FILTERS else None
    q.sort = params.get("sort") if params.get("sort") in browse.SORTS else "document"
    q.descending = params.get("desc") in ("1", "true", "yes")
    q.page = max(1, _int(params.get("page"), 1))
    q.per_page = max(1, min(_int(params.get("per_page"), 50), browse.MAX_PER_PAGE))
    return q


def form_values(figure: dict) -> dict[str, str]:
    """A figure (``sayso.document/1`` shape) as the review form's fields, all strings."""
    time = figure.get("time") or {}
    plain = lambda v: "" if v is None else str(v)  # noqa: E731
    return {"start": plain(figure["start"]), "end": plain(figure["end"]), "kind": plain(figure.get("kind")),
            "low": plain(figure["value"]["low"]), "high": plain(figure["value"]["high"]),
            "qualifier": plain(figure.get("qualifier")), "counted": plain(figure.get("counted")),
            "category": plain(figure.get("category")), "time_text": plain(time.get("text")),
            "time_start": plain(time.get("start")), "time_end": plain(time.get("end")),
            "place": plain(figure.get("place")), "sources": sources_lines(figure.get("sources") or []),
            "sentence_start": plain(figure["sentence"]["start"]), "sentence_end": plain(figure["sentence"]["end"])}


def form_changes(form: Mapping[str, str], figure: dict) -> dict[str, str]:
    """The fields of a submitted review form that differ from ``figure`` (line endings and
    surrounding space ignored)."""
    now = form_values(figure)
    norm = lambda v: "\n".join(line.strip() for line in str(v).replace("\r\n", "\n").strip().split("\n"))  # noqa: E731
    return {k: str(form[k]) for k in EDITABLE if k in form and norm(form[k]) != norm(now[k])}
