"""The ledger's tables (SQLAlchemy Core), named for what they hold so Datasette and sqlite-utils
read the file as it is.

- ``documents``: one row per distinct input (sha256 unique): the original bytes unaltered
  (``raw_bytes``), the text every offset points into, metadata, and ``previous_version_id`` when it
  is a new version of a URL already stored.
- ``figures``: one row per figure of a document, the ``sayso.document/1`` figure flattened
  (``low``/``high`` for its value, ``time_*`` for its time, ``sentence`` for its evidence).
- ``sources``: who a figure is attributed to, one row per source in the record's order.
- ``quotes``: direct quotations and their speakers.
- ``figures_fts`` (SQLite only): an FTS5 index over the figure's text, what it counts and its
  sentence, kept in step with ``figures`` by triggers (the sqlite-utils convention).
- ``figure_conflicts``: which figures (and their groups) state conflicting values about one event,
  one ``conflict`` number per event; rewritten with ``figures.group_id`` by ``Ledger.regroup``.
- ``figures.event_id``: every estimate of one event shares it (groups lie inside events);
  rewritten with ``group_id`` by ``Ledger.regroup``.
- ``document_repeats``: which document repeats (reposts, near-duplicates) which earlier one;
  added to by ``Ledger.regroup`` for the documents stored since the last one.
- ``figures.block``: the block a figure is linked in (``sayso.link.blocking.block_key``): a
  regroup relinks only the blocks of the documents stored (or figures reviewed) since the last.
- ``figures.component``, ``figures.reach_*``: within its block, the figure's linked set (the
  figures joined to it by any link: the first one's row id) and its reach (``sayso.link.reach``:
  the dates and values linking compares first): a regroup relinks only the linked sets a new
  figure can reach.
- ``document_bands``: the MinHash LSH bands of each linked document (``sayso.link.reposts``),
  so that a new document is compared only with the stored documents sharing a band.
- ``publishers``: the user's site -> publisher entries, over sayso's bundled vocabulary; a
  document's ``publisher`` follows them (``Ledger.set_publishers``).
- ``ledger_info``: key/value facts about the file, such as its schema version.
- ``failed_documents``: the inputs (by sha256) whose extraction ran out of its time or memory
  budget; ``sayso ingest`` skips them on a rerun unless told to retry (``sayso.store.ingest``).
- ``figure_reviews``: a reviewer's verdict on a figure (accepted, corrected, rejected), with the
  figure as the reviewer says it is (JSON, the ``sayso.document/1`` figure shape); one row per
  reviewed figure, replaced at each new verdict (``sayso.store.review``); its fields also as
  columns, which the reviewed layer reads (``sayso.store.layers``). A figure a reviewer added
  (``figures.origin = 'review'``) is a ``figures`` row with the state ``added``.
- ``review_sources``: the sources of a reviewed figure as the reviewer holds them (replaced at
  each verdict; none for a rejected figure).
- ``quote_reviews`` and ``quote_review_log``: the same for quotes and their speakers.
- ``review_log``: every review ever made, append-only (triggers refuse UPDATE and DELETE): who,
  when, the action, and the figure's review state before and after it (JSON).
- ``link_review_log``: every correction of the linking (groups and events merged or split, two
  names of one party merged), append-only like ``review_log``: who, when, what was named, what
  it made. ``link_constraints``: the must-link and cannot-link pairs of figures each correction
  left (append-only), which every relinking applies (``sayso.link.constraints``).
  ``name_merges``: the name each merged name is shown as (``sayso.store.links``).
"""
from __future__ import annotations

import math
from decimal import Decimal

from sqlalchemy import (Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData, Numeric,
                        String, Table, Text, TypeDecorator, inspect, text)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

LEDGER_SCHEMA = "sayso.ledger/1"

metadata = MetaData()

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),                 # the record's document id
    Column("sha256", String(64), nullable=False, unique=True),
    Column("source", Text),                              # path or URL it was read from
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10)),                     # YYYY-MM-DD
    Column("site", Text),
    Column("publisher", Text),
    Column("language", String(16)),
    Column("crawled", String(40)),                       # WARC-Date of an archived page
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("text", Text, nullable=False),                # what figure offsets point into
    Column("raw_bytes", LargeBinary, nullable=False),    # the input exactly as read
    Column("previous_version_id", Integer, ForeignKey("documents.id")),
    Index("ix_documents_key", "key"),
    Index("ix_documents_url", "url"),
)

class _Value(TypeDecorator):
    """Values as NUMERIC: SQLite then keeps 1500 an integer and 80.1 a real. A whole number goes
    in as an integer, exactly (999,999,999,999,999,999 is not rounded to 1e18 on the way, as
    Numeric's own conversion to float would), and comes back an integer: on PostgreSQL, whose
    NUMERIC is exact at any size, however large; past SQLite's 64-bit integers, as a real."""

    impl = Numeric(asdecimal=False)
    cache_ok = True

    def bind_processor(self, dialect):
        sqlite = dialect.name == "sqlite"

        def bind(value):
            if isinstance(value, int) and not isinstance(value, bool):
                if not sqlite:
                    return Decimal(value)
                return value if -2 ** 63 <= value < 2 ** 63 else float(value)
            if value is None:
                return None
            value = float(value)
            # elsewhere every value is a decimal: the rows of one INSERT share one type, and a float
            # among them would make every value of the column a float (and round the large ones)
            return value if sqlite or not math.isfinite(value) else Decimal(repr(value))
        return bind

    def result_processor(self, dialect, coltype):
        if dialect.name == "sqlite":
            return super().result_processor(dialect, coltype)

        def result(value):
            if isinstance(value, Decimal):    # exact from the database: a whole number stays an int
                return int(value) if value.is_finite() and value == value.to_integral_value() else float(value)
            return value
        return result


VALUE = _Value()

figures = Table(
    "figures", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("fig", String(16), nullable=False),           # the record's figure id: f1, f2, ...
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("low", VALUE),
    Column("high", VALUE),
    Column("qualifier", String(16), nullable=False),
    Column("counted", Text),
    Column("category", String(32), nullable=False),
    Column("time_text", Text),
    Column("time_start", String(10)),
    Column("time_end", String(10)),
    Column("place", Text),
    Column("sentence_start", Integer, nullable=False),
    Column("sentence_end", Integer, nullable=False),
    Column("sentence", Text, nullable=False),            # the evidence: text[sentence_start:sentence_end]
    Column("group_id", Text),
    Column("event_id", Text),                            # every estimate of one event (Ledger.regroup)
    Column("origin", String(16)),                        # None: sayso found it; "review": a reviewer added it
    Column("block", Text),                               # "kind|country": linked with its block only (Ledger.regroup)
    Column("component", Integer),                        # its linked set in the block: the first figure's row id
    # its reach (sayso.link.reach, Ledger.regroup): day numbers, value window, conflict category
    Column("reach_published", Integer), Column("reach_event_start", Integer), Column("reach_event_end", Integer),
    Column("reach_time_start", Integer), Column("reach_time_end", Integer),
    Column("reach_low", Float), Column("reach_high", Float), Column("reach_conflict", String(32)),
    Index("ix_figures_document_id", "document_id"),
    Index("ix_figures_block", "block"),
    Index("ix_figures_component", "component"),
    Index("ix_figures_category", "category"),
    Index("ix_figures_place", "place"),
    Index("ix_figures_group_id", "group_id"),
    Index("ix_figures_event_id", "event_id"),
)

sources = Table(
    "sources", metadata,
    Column("id", Integer, primary_key=True),
    Column("figure_id", Integer, ForeignKey("figures.id"), nullable=False),
    Column("position", Integer, nullable=False),         # order in the record's list
    Column("name", Text, nullable=False),                # canonical name
    Column("text", Text, nullable=False),                # the mention as written
    Column("role", String(16), nullable=False),          # source | confirms | disputes
    Column("date", String(10)),
    Column("cites", Text),                               # JSON list: the parties a relay cites
    Index("ix_sources_figure_id", "figure_id"),
    Index("ix_sources_name", "name"),
    Index("ix_sources_figure_position", "figure_id", "position", "name"),   # the workbench's sort by source
    Index("ix_sources_name_figure", "name", "figure_id", "role"),           # a source's figures, its counts
)

quotes = Table(
    "quotes", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("speaker", Text),
    Column("speaker_text", Text),
    Column("cue", Text),
    Index("ix_quotes_document_id", "document_id"),
)

figure_conflicts = Table(
    "figure_conflicts", metadata,
    Column("id", Integer, primary_key=True),
    Column("conflict", Integer, nullable=False),         # one number per event in conflict: 1, 2, ...
    Column("figure_id", Integer, ForeignKey("figures.id"), nullable=False),
    Column("group_id", Text),                            # the figure's group (None: stated once)
    Index("ix_figure_conflicts_figure_id", "figure_id"),
    Index("ix_figure_conflicts_group_id", "group_id"),
)

document_repeats = Table(
    "document_repeats", metadata,                        # reposts: rewritten by Ledger.regroup
    Column("document_id", Integer, ForeignKey("documents.id"), primary_key=True),
    Column("repeats_id", Integer, ForeignKey("documents.id"), nullable=False),   # the earliest it repeats
    Index("ix_document_repeats_repeats_id", "repeats_id"),
)

document_bands = Table(
    "document_bands", metadata,                          # MinHash LSH bands of each linked document's text
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("band", String(40), nullable=False),          # "band number:hash of its rows" (sayso.link.reposts)
    Index("ix_document_bands_band", "band"),
    Index("ix_document_bands_document_id", "document_id"),
)

publishers = Table(
    "publishers", metadata,                              # the user's site -> publisher entries
    Column("site", String(255), primary_key=True),       # lower case, no "www."; covers subdomains
    Column("name", Text, nullable=False),
)

ledger_info = Table(
    "ledger_info", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

failed_documents = Table(
    "failed_documents", metadata,                        # inputs that ran out of their budget
    Column("sha256", String(64), primary_key=True),
    Column("source", Text),
    Column("reason", Text, nullable=False),              # one line: what ran out
    Column("failed_at", DateTime(timezone=True), nullable=False),
)

# The reviewed figure's fields as columns too (NULL only in a ledger made before they were added,
# until ``review.fill_columns`` fills them): the reviewed layer (``sayso.store.layers``) reads them.
REVIEWED_COLUMNS = ("start", "end", "text", "kind", "low", "high", "qualifier", "counted", "category",
                    "time_text", "time_start", "time_end", "place", "sentence_start", "sentence_end", "sentence")

figure_reviews = Table(
    "figure_reviews", metadata,
    Column("figure_id", Integer, ForeignKey("figures.id"), primary_key=True),
    Column("state", String(16), nullable=False),         # accepted | corrected | rejected | added
    Column("figure", Text, nullable=False),              # JSON: the figure as reviewed
    Column("reviewer", Text, nullable=False),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
    Column("log_id", Integer, nullable=False),           # the review_log entry that set it
    *[Column(c.name, c.type) for c in figures.columns if c.name in REVIEWED_COLUMNS],
    Index("ix_figure_reviews_state", "state"),
)

review_sources = Table(
    "review_sources", metadata,                          # the reviewed figure's sources (not a rejected one's)
    Column("id", Integer, primary_key=True),
    Column("figure_id", Integer, ForeignKey("figures.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("date", String(10)),
    Column("cites", Text),                               # as in sources
    Index("ix_review_sources_figure_id", "figure_id"),
    Index("ix_review_sources_name", "name"),
)

review_log = Table(
    "review_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("figure_id", Integer, ForeignKey("figures.id"), nullable=False),
    Column("action", String(16), nullable=False),        # accept | correct | reject
    Column("reviewer", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("before", Text, nullable=False),              # JSON: {"state", "figure"} before
    Column("after", Text, nullable=False),               # JSON: {"state", "figure"} after
    Column("note", Text),
    Index("ix_review_log_figure_id", "figure_id"),
)

quote_reviews = Table(
    "quote_reviews", metadata,                           # a reviewer's verdict on a quote and its speaker
    Column("quote_id", Integer, ForeignKey("quotes.id"), primary_key=True),
    Column("state", String(16), nullable=False),         # accepted | corrected | rejected
    Column("speaker", Text),
    Column("speaker_text", Text),
    Column("reviewer", Text, nullable=False),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
    Column("log_id", Integer, nullable=False),
)

quote_review_log = Table(
    "quote_review_log", metadata,                        # every quote review, append-only like review_log
    Column("id", Integer, primary_key=True),
    Column("quote_id", Integer, ForeignKey("quotes.id"), nullable=False),
    Column("action", String(16), nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("before", Text, nullable=False),              # JSON: {"state", "quote"}
    Column("after", Text, nullable=False),
    Column("note", Text),
    Index("ix_quote_review_log_quote_id", "quote_id"),
)

link_review_log = Table(
    "link_review_log", metadata,                         # reviewers' corrections of groups, events and names
    Column("id", Integer, primary_key=True),
    Column("action", String(16), nullable=False),        # merge-groups | split-group | merge-events | split-event | merge-names
    Column("reviewer", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("detail", Text, nullable=False),              # JSON: what was named, and what it made
    Column("note", Text),
)

link_constraints = Table(
    "link_constraints", metadata,                        # the pairs of figures a correction keeps together or apart
    Column("id", Integer, primary_key=True),
    Column("log_id", Integer, ForeignKey("link_review_log.id"), nullable=False),
    Column("level", String(8), nullable=False),          # group | event
    Column("kind", String(8), nullable=False),           # must | cannot
    Column("figure_a", Integer, ForeignKey("figures.id"), nullable=False),   # a cannot-link's figure that leaves
    Column("figure_b", Integer, ForeignKey("figures.id"), nullable=False),
    Index("ix_link_constraints_log_id", "log_id"),
)

name_merges = Table(
    "name_merges", metadata,                             # a reviewer's: this name is that party's
    Column("name", Text, primary_key=True),
    Column("canonical", Text, nullable=False),           # the name it is shown as
    Column("log_id", Integer, ForeignKey("link_review_log.id"), nullable=False),
)

FTS_TABLE = "figures_fts"
FTS_COLUMNS = ("text", "counted", "sentence")

_FTS_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"{', '.join(FTS_COLUMNS)}, content=[figures], content_rowid=[id])",
    f"""CREATE TRIGGER IF NOT EXISTS figures_ai AFTER INSERT ON figures BEGIN
  INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) VALUES (new.id, new.text, new.counted, new.sentence);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS figures_ad AFTER DELETE ON figures BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(FTS_COLUMNS)})
  VALUES ('delete', old.id, old.text, old.counted, old.sentence);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS figures_au AFTER UPDATE ON figures BEGIN
  INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {', '.join(FTS_COLUMNS)})
  VALUES ('delete', old.id, old.text, old.counted, old.sentence);
  INSERT INTO {FTS_TABLE}(rowid, {', '.join(FTS_COLUMNS)}) VALUES (new.id, new.text, new.counted, new.sentence);
END""",
]


# review_log is append-only: the database itself refuses to change or delete an entry.
_APPEND_ONLY = ("review_log", "quote_review_log", "link_review_log", "link_constraints")
_APPEND_ONLY_DDL = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS {log}_no_{verb.lower()} BEFORE {verb} ON {log} BEGIN
  SELECT RAISE(ABORT, '{log} is append-only');
END""" for log in _APPEND_ONLY for verb in ("UPDATE", "DELETE")],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION review_log_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'review_log is append-only'; END $$ LANGUAGE plpgsql""",
        """DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'review_log_append_only') THEN
    CREATE TRIGGER review_log_append_only BEFORE UPDATE OR DELETE ON review_log
    FOR EACH ROW EXECUTE FUNCTION review_log_append_only();
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'quote_review_log_append_only') THEN
    CREATE TRIGGER quote_review_log_append_only BEFORE UPDATE OR DELETE ON quote_review_log
    FOR EACH ROW EXECUTE FUNCTION review_log_append_only();
  END IF;
END $$""",
        *[f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{log}_append_only') THEN
    CREATE TRIGGER {log}_append_only BEFORE UPDATE OR DELETE ON {log}
    FOR EACH ROW EXECUTE FUNCTION review_log_append_only();
  END IF;
END $$""" for log in ("link_review_log", "link_constraints")],
    ],
}


def _add_missing_columns(conn) -> None:
    """Columns added to a table after a ledger was made (all nullable) are added to its file."""
    inspector = inspect(conn)
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present and column.nullable and not column.primary_key:
                kind = column.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))


def create_schema(engine: Engine) -> bool:
    """Create whatever tables are missing (in an existing ledger file too); return whether
    full-text search is available (SQLite built with FTS5; never on other databases)."""
    with engine.begin() as conn:
        metadata.create_all(conn)
        for table in metadata.sorted_tables:     # indexes added since an existing ledger was made
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        for statement in _APPEND_ONLY_DDL.get(engine.dialect.name, []):
            conn.execute(text(statement))
    if engine.dialect.name != "sqlite":
        return False
    try:
        with engine.begin() as conn:
            for statement in _FTS_DDL:
                conn.execute(text(statement))
    except OperationalError:  # an SQLite built without FTS5: search falls back to LIKE
        return False
    return True
