"""What a reader reads: the ledger as reviewed (the default everywhere), or as sayso extracted it.

A :class:`Layer` is a pair of selectables with the columns of the ``figures`` and ``sources``
tables (figures with ``review_state`` besides), so that every select in ``queries`` and ``browse``
is written once and reads either:

- :data:`REVIEWED`: a reviewed figure's fields as the reviewer holds them (``figure_reviews``),
  its sources as the reviewer gave them (``review_sources``); rejected figures are left out and
  the figures a reviewer added are in. Unreviewed figures are as sayso stored them. A source's
  name a reviewer merged into another (``name_merges``) reads as that other (``shown_name``),
  and so does a document's publisher (:data:`PUBLISHER`, in both layers).
- :data:`EXTRACTED`: the machine's output alone, as stored by ``Ledger.add``: every figure sayso
  found (rejected ones too), none a reviewer added, the machine's fields and sources.

Groups (``figures.group_id``) and conflicts are computed over the reviewed layer by
``Ledger.regroup`` and read by both.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, exists, func, or_, select, union_all
from sqlalchemy.sql import ColumnElement, Subquery

from sayso.store.schema import (REVIEWED_COLUMNS, documents, figure_reviews, figures, name_merges, review_sources,
                                sources)

ADDED_ORIGIN = "review"      # figures.origin of a figure a reviewer added
REJECTED = "rejected"


@dataclass(frozen=True)
class Layer:
    name: str
    figures: Subquery
    sources: Subquery


def _reviewed_figures() -> Subquery:
    r = figure_reviews
    unreviewed = r.c.figure_id.is_(None)
    columns = [case((unreviewed, c), else_=r.c[c.name]).label(c.name) if c.name in REVIEWED_COLUMNS else c
               for c in figures.columns]
    return (select(*columns, r.c.state.label("review_state"))
            .select_from(figures.outerjoin(r, r.c.figure_id == figures.c.id))
            .where(or_(unreviewed, r.c.state != REJECTED))
            .subquery("reviewed_figures"))


def shown_name(name: ColumnElement) -> ColumnElement:
    """A name as the reviewed ledger shows it: the name a reviewer merged it into
    (``name_merges``), else itself."""
    merged = select(name_merges.c.canonical).where(name_merges.c.name == name).scalar_subquery()
    return func.coalesce(merged, name)


def _reviewed_sources() -> Subquery:
    stored = (select(*sources.columns)
              .where(~exists().where(figure_reviews.c.figure_id == sources.c.figure_id)))
    both = union_all(stored, select(*review_sources.columns)).subquery("stated_sources")
    return select(*[shown_name(c).label("name") if c.name == "name" else c for c in both.columns]
                  ).subquery("reviewed_sources")


def _extracted_figures() -> Subquery:
    r = figure_reviews
    return (select(*figures.columns, r.c.state.label("review_state"))
            .select_from(figures.outerjoin(r, r.c.figure_id == figures.c.id))
            .where(figures.c.origin.is_(None))
            .subquery("extracted_figures"))


# a document's publisher as shown (both layers: it is the document's, not the machine's reading)
PUBLISHER = shown_name(documents.c.publisher)

REVIEWED = Layer("reviewed", _reviewed_figures(), _reviewed_sources())
EXTRACTED = Layer("extracted", _extracted_figures(), select(*sources.columns).subquery("extracted_sources"))


def layer(as_extracted: bool = False) -> Layer:
    """:data:`EXTRACTED` where asked for, else :data:`REVIEWED`."""
    return EXTRACTED if as_extracted else REVIEWED
