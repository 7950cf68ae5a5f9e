"""Scoring ``sayso.document/1`` records against a gold set, with the referee's metrics.

The referee is ``../shared/eval/score.py`` (read, not copied): this module computes the same
numbers from the same inputs so that ``sayso eval`` can measure sayso against a reviewer's own gold
set from inside the package; ``tests/test_eval.py`` checks that both agree on the public dev set.

- ``figures``: P/R/F1 of figures matched one to one (overlapping span and equal value);
  ``detect``: the same on overlap alone;
- ``sources`` (figure, canonical source, role) and ``sources_any_role``; ``quotes`` (overlap and
  speaker); ``groups`` and ``events``: pairs of figures put together, where the gold set has a
  group or event file (a wrong merge with a figure stated once is a false positive);
- accuracy on value-matched figures: ``qualifier``, ``category``, ``kind``, ``counted_full``,
  ``counted_partial`` (token F1 >= 0.5), ``time`` (where the gold time is resolved), ``place``.

Names are compared through the gold set's alias table (case, punctuation, a leading "the" and a
possessive "'s" ignored).
"""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Iterable

PRF_METRICS = ("figures", "detect", "sources", "sources_any_role", "quotes")
ACCURACY_METRICS = ("qualifier", "category", "kind", "counted_full", "counted_partial", "time", "place")
STOP_TOKENS = {"the", "of", "a", "an", "and", "in"}


def norm_name(s: str | None) -> str:
    s = (s or "").lower().replace("\u2019", "'")
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s\b", "", s)
    return re.sub(r"[^a-z0-9\u00c0-\u024f]+", " ", s).strip()


def alias_index(table: dict[str, list[str]]) -> dict[str, str]:
    """Normalised name or alias -> canonical name."""
    return {norm_name(a): canon for canon, aliases in table.items() for a in [canon, *aliases]}


def canon(index: dict[str, str], name: str | None) -> str:
    key = norm_name(name)
    return index.get(key, key)


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(a)))


def value_eq(gold: dict, pred: dict) -> bool:
    gv, pv = gold["value"], pred.get("value") or {}
    return close(gv.get("low"), pv.get("low")) and close(gv.get("high"), pv.get("high"))


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def tokens(s: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (s or "").lower())) - STOP_TOKENS


def counted_match(gold: str | None, pred: str | None) -> tuple[bool, bool]:
    """(the same tokens, token F1 >= 0.5) of two counted noun phrases."""
    gt, pt = tokens(gold), tokens(pred)
    if not gt and not pt:
        return True, True
    if not gt or not pt:
        return False, False
    return gt == pt, 2 * len(gt & pt) / (len(gt) + len(pt)) >= 0.5


def match_figures(gold: list[dict], pred: list[dict]) -> list[tuple[int, int, bool]]:
    """Greedy one-to-one matching, in gold order: overlapping spans with equal values first, then
    overlap alone. ``(gold index, predicted index, values equal)``."""
    pairs, used_g, used_p = [], set(), set()
    for need_value in (True, False):
        for gi, g in enumerate(gold):
            if gi in used_g:
                continue
            for pi, p in enumerate(pred):
                if pi in used_p or not overlaps(g, p) or (need_value and not value_eq(g, p)):
                    continue
                pairs.append((gi, pi, need_value))
                used_g.add(gi)
                used_p.add(pi)
                break
    return pairs


def _source_set(fig: dict, index: dict[str, str], any_role: bool) -> set:
    """The named parties of a figure (a party the text never names is not scored)."""
    return {canon(index, s["name"]) if any_role else (canon(index, s["name"]), s.get("role"))
            for s in fig.get("sources") or [] if s.get("name")}


def _count_sources(counts: dict, gf, pf, pairs, index) -> None:
    matched_g = {gi for gi, _, _ in pairs}
    matched_p = {pi for _, pi, _ in pairs}
    for any_role, key in ((False, "sources"), (True, "sources_any_role")):
        for gi, pi, _ in pairs:
            gs, ps = _source_set(gf[gi], index, any_role), _source_set(pf[pi], index, any_role)
            counts[key][0] += len(gs & ps)
            counts[key][1] += len(ps - gs)
            counts[key][2] += len(gs - ps)
        counts[key][2] += sum(len(_source_set(f, index, any_role)) for gi, f in enumerate(gf) if gi not in matched_g)
        counts[key][1] += sum(len(_source_set(f, index, any_role)) for pi, f in enumerate(pf) if pi not in matched_p)


def _count_attributes(attr: dict, G: dict, P: dict, index) -> None:
    for k in ("qualifier", "category", "kind"):
        attr[k][0] += G[k] == P.get(k)
        attr[k][1] += 1
    full, partial = counted_match(G.get("counted"), P.get("counted"))
    attr["counted_full"][0] += full
    attr["counted_partial"][0] += partial
    attr["counted_full"][1] += 1
    attr["counted_partial"][1] += 1
    gt = G.get("time")
    if gt and gt.get("start") and gt.get("end"):
        pt = P.get("time") or {}
        attr["time"][0] += gt["start"] == pt.get("start") and gt["end"] == pt.get("end")
        attr["time"][1] += 1
    gp, pp = G.get("place"), P.get("place")
    attr["place"][0] += (gp is None and pp is None) or (
        gp is not None and pp is not None and canon(index, gp) == canon(index, pp))
    attr["place"][1] += 1


def _count_quotes(counts: dict, gq: list[dict], pq: list[dict], index) -> None:
    used = set()
    for q in gq:
        hit = next((i for i, r in enumerate(pq) if i not in used and overlaps(q, r)), None)
        if hit is not None and canon(index, q.get("speaker")) == canon(index, pq[hit].get("speaker")):
            used.add(hit)
            counts["quotes"][0] += 1
        else:
            counts["quotes"][2] += 1
    counts["quotes"][1] += len(pq) - len(used)


def pair_f1(sets: list[list[str]], pred_of: dict[str, str]) -> dict:
    """Pairwise P/R/F1 of putting figures together. Gold: the sets, and every other figure alone;
    predicted: the ids on value-matched gold figures (``pred_of``). A pair counts as predicted when
    both carry the same id, so a wrong merge with a figure stated once is a false positive."""
    gold_of = {m: i for i, grp in enumerate(sets) for m in grp}
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(set(gold_of) | set(pred_of)), 2):
        same_gold = a in gold_of and b in gold_of and gold_of[a] == gold_of[b]
        ga, gb = pred_of.get(a), pred_of.get(b)
        same_pred = ga is not None and ga == gb
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return prf(tp, fp, fn)


def score(gold: Iterable[dict], predicted: Iterable[dict], aliases: dict[str, list[str]],
          groups: list[list[str]] | None = None, events: list[list[str]] | None = None) -> dict:
    """The referee's metrics for ``predicted`` records against ``gold`` records (each with its
    ``text``), as ``score.py --json`` prints them."""
    gold_by_id = {r["document"]["id"]: r for r in gold}
    pred = {r["document"]["id"]: r for r in predicted}
    index = alias_index(aliases)
    counts = {k: [0, 0, 0] for k in PRF_METRICS}
    attr = {k: [0, 0] for k in ACCURACY_METRICS}
    pred_of: dict[str, dict[str, str]] = {"group": {}, "event": {}}
    missing, errors = [], []
    for doc_id, g in gold_by_id.items():
        p = pred.get(doc_id)
        if p is None:
            missing.append(doc_id)
            p = {"figures": [], "quotes": []}
        gf, pf = g["figures"], p.get("figures") or []
        errors += [f"{doc_id}/{f.get('id')}" for f in pf if g["text"][f["start"]:f["end"]] != f.get("text")]
        pairs = match_figures(gf, pf)
        n_value = sum(1 for _, _, v in pairs if v)
        for key, tp in (("figures", n_value), ("detect", len(pairs))):
            counts[key][0] += tp
            counts[key][1] += len(pf) - tp
            counts[key][2] += len(gf) - tp
        _count_sources(counts, gf, pf, pairs, index)
        for gi, pi, equal in pairs:
            if equal:
                _count_attributes(attr, gf[gi], pf[pi], index)
                for key, ids in pred_of.items():
                    if pf[pi].get(key) is not None:
                        ids[f"{doc_id}/{gf[gi]['id']}"] = pf[pi][key]
        _count_quotes(counts, g.get("quotes") or [], p.get("quotes") or [], index)
    out = {k: prf(*v) for k, v in counts.items()}
    for k, (ok, n) in attr.items():
        out[k] = {"acc": round(ok / n, 4) if n else None, "n": n}
    for name, sets, ids in (("groups", groups, pred_of["group"]), ("events", events, pred_of["event"])):
        if sets:
            out[name] = pair_f1(sets, ids)
    out["documents"] = {"gold": len(gold_by_id), "missing": len(missing), "offset_errors": len(errors)}
    return out


def read_gold(gold_dir: Path | str) -> tuple[list[dict], dict, list[list[str]], list[list[str]]]:
    """A gold set folder's records, alias table, groups and events (each empty where the folder
    has no groups.json or events.json)."""
    d = Path(gold_dir)

    def sets(name: str) -> list[list[str]]:
        return json.loads((d / name).read_text(encoding="utf-8")) if (d / name).exists() else []

    aliases = json.loads((d / "aliases.json").read_text(encoding="utf-8"))
    return read_jsonl(d / "gold.jsonl"), aliases, sets("groups.json"), sets("events.json")


def read_jsonl(path: Path | str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def report_lines(out: dict) -> list[str]:
    """The metrics as the referee prints them, one a line."""
    lines = []
    for k, v in out.items():
        if "f1" in v:
            lines.append(f"{k:18} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}  "
                         f"(tp {v['tp']} fp {v['fp']} fn {v['fn']})")
        elif "acc" in v:
            acc = "  n/a" if v["acc"] is None else f"{v['acc']:.3f}"
            lines.append(f"{k:18} acc {acc}  (n {v['n']})")
        else:
            lines.append(f"{k:18} " + "  ".join(f"{a} {b}" for a, b in v.items()))
    return lines
