"""Linking ``sayso batch`` output on Ray: the ledger's linking, one block per task.

``link_output(out_dir)`` reads the records of a batch's output directory (``OutputDir``) and
links them as ``Ledger.regroup`` does, spread over a Ray cluster: each document is mapped to the
blocks its figures fall in (``sayso.link.blocking.block_key``), the rows are grouped by block
(``ray.data`` ``groupby``), and each block is linked on its own (``sayso.link.corpus.link_block``,
the code the ledger runs) with the records of the documents that have figures in it. No figure
of one country's block links with one of another's; the figures nothing places
(``blocking.UNPLACED``) may, so the driver then links each kind's unplaced figures with the
linked sets of its other blocks they can reach (``sayso.link.reach``), as
``sayso.link.corpus.link_figures`` does: the result is the same partition into groups and events
as the ledger's on the same documents. Returns ``{"<document key>/<figure id>": (group, event)}``,
the ids ``"<block>#g1"`` / ``"<block>#e1"`` unique over the corpus (None: alone).

Ray must be initialised by the caller (``ray.init``), or a local one is started.
"""
from __future__ import annotations

import json
from typing import Iterable

from sayso.batch.output import OutputDir


def _record_rows(rows: Iterable[tuple[int, str, dict]]) -> list[dict]:
    """One row per document: its position, text and record (JSON: Arrow needs no schema for it)."""
    return [{"pos": pos, "text": text, "record": json.dumps(record, ensure_ascii=False)} for pos, text, record in rows]


def _blocks_of(row: dict) -> list[dict]:
    """The document once for each block its figures fall in."""
    from sayso.link.blocking import block_key
    from sayso.link.context import contexts

    record = json.loads(row["record"])
    keys = sorted({block_key(m) for m in contexts([record], [row["text"]])})
    return [{"block": k, "pos": row["pos"], "text": row["text"], "record": row["record"]} for k in keys]


def link_rows(block: str, rows: list[dict], keys: set[str] | None = None) -> list[dict]:
    """Link one block: its figures in the documents ``rows`` (pos, text, record), in reading order
    (with ``keys``, only those figures, whatever their block). Each figure's row: its key, group,
    event, linked set (``component``) and reach (JSON, ``sayso.link.reach``)."""
    from sayso.link.blocking import block_key
    from sayso.link.context import contexts
    from sayso.link.corpus import link_block
    from sayso.link.reach import reach

    rows = sorted(rows, key=lambda r: r["pos"])
    ms = []
    for r in rows:
        ms += [m for m in contexts([json.loads(r["record"])], [r["text"]])
               if (m.key in keys if keys is not None else block_key(m) == block)]
    for i, m in enumerate(ms):
        m.index = i
    link_block(ms)
    return [{"figure": m.key, "block": block,
             "group": f"{block}#{m.figure['group']}" if m.figure.get("group") else None,
             "event": f"{block}#{m.figure['event']}" if m.figure.get("event") else None,
             "component": f"{block}#{m.component}",
             "reach": json.dumps(reach(m.figure, m.published, m.sentence))} for m in ms]


_COLUMNS = ["figure", "block", "group", "event", "component", "reach"]


def _link_group(batch):
    import pandas

    rows = batch.to_dict("records")
    return pandas.DataFrame(link_rows(rows[0]["block"], rows), columns=_COLUMNS)


def link_unplaced(linked: list[dict], documents: list[dict]) -> list[dict]:
    """The second pass (see the module): for each kind, its unplaced figures with the linked sets
    of its other blocks they can reach, linked together; the rows of the figures relinked.
    ``linked``: every figure's row from the blocks; ``documents``: the rows (pos, text, record)."""
    from sayso.link.blocking import UNPLACED, split_block, unplaced_block
    from sayso.link.reach import reachable

    out = []
    kinds = {kind for kind, country in map(split_block, (r["block"] for r in linked)) if country == UNPLACED}
    by_id = {json.loads(d["record"])["document"]["id"]: d for d in documents} if kinds else {}
    for kind in sorted(kinds):
        unplaced = [r for r in linked if r["block"] == unplaced_block(kind)]
        others = [r for r in linked if split_block(r["block"])[0] == kind and r["block"] != unplaced_block(kind)]
        hit = reachable([json.loads(r["reach"]) for r in unplaced], [json.loads(r["reach"]) for r in others])
        sets = {r["component"] for r, h in zip(others, hit) if h}
        if not sets:
            continue
        keys = {r["figure"] for r in unplaced} | {r["figure"] for r in others if r["component"] in sets}
        docs = {k.rpartition("/")[0] for k in keys}
        out += link_rows(unplaced_block(kind) + "+", [by_id[d] for d in sorted(docs)], keys)
    return out


def link_documents(items: Iterable[tuple[str, dict]]) -> dict[str, tuple]:
    """Link (text, record) pairs on Ray, block by block (see the module); records keep their own
    document ids, which must be unique."""
    import logging

    import ray
    from ray.data import DataContext

    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    context = DataContext.get_current()
    context.enable_progress_bars = context.print_on_execution_start = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    rows = _record_rows((pos, text, record) for pos, (text, record) in enumerate(items))
    if not rows:
        return {}
    ds = ray.data.from_items(rows, override_num_blocks=max(1, min(64, len(rows) // 200))).flat_map(_blocks_of)
    linked = list(ds.groupby("block").map_groups(_link_group, batch_format="pandas").iter_rows())
    out = {r["figure"]: (r["group"], r["event"]) for r in linked}
    out.update((r["figure"], (r["group"], r["event"])) for r in link_unplaced(linked, rows))
    return out


def link_output(out_dir: str) -> dict[str, tuple]:
    """Link every record of a ``sayso batch`` output directory (see the module)."""
    def items():
        for doc, _raw, record in OutputDir(out_dir).documents():
            record = dict(record, document=dict(record["document"], id=f"{doc.source or ''}#{record['document']['id']}"))
            yield doc.text, record
    return link_documents(items())
