"""Each document within a time and memory budget (``sayso.budget``): one that runs past it, that
needs too much memory or that kills its worker is one error line naming it, and the documents
around it come through; `sayso ingest` notes it so that a rerun skips it (``--retry-failed``
tries it again); `sayso batch` reads within the same limits and budget as `sayso extract`.

The slow, greedy and crashing documents are played by a stand-in extractor (a module written
to a temporary folder that the worker imports): what is tested is the budget, not how long a
real document takes. The real pipeline is run in the worker too, to check it gives the records
it gives in process."""
from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sayso.batch.output import OutputDir
from sayso.batch.runner import process_shard
from sayso.budget import MB, Budget, BudgetedExtractor, failure
from sayso.ingest.readers import Limits
from sayso.model import SCHEMA
from sayso.pipeline import Extractor, Options, extract_each, input_from_text
from sayso.present.cli import app
from sayso.store.ingest import ADDED, ERROR, FAILED_BEFORE, SKIPPED, ingest_paths
from sayso.store.ledger import Ledger

SECONDS = 4     # the stand-in's slow document sleeps 600 s; the others take microseconds

STAND_IN = '''
import os, signal, time

from sayso.model import SCHEMA


def make(options):
    def extract(doc):
        if "SLOW" in doc.text and not os.environ.get("STAND_IN_PATIENT"):
            time.sleep(600)
        if "GREEDY" in doc.text:
            hoard = bytearray(2_000_000_000)
        if "CRASH" in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)
        if "BROKEN" in doc.text:
            raise KeyError("no such thing")
        return {"schema": SCHEMA, "document": {"id": doc.id, "source": doc.source, "sha256": doc.sha256,
                "title": None, "published": None, "site": None, "publisher": None, "language": "en"},
                "figures": [], "quotes": []}
    return extract


def hanging_parse(options):
    """The real extractor, whose parse never ends on a batch that holds a sentence with HANGS."""
    import sayso.pipeline as pipeline

    parse = pipeline.parse_sentences

    def parse_or_hang(nlp, sentences, **kw):
        if any("HANGS" in s.text for s in sentences):
            time.sleep(600)
        return parse(nlp, sentences, **kw)

    pipeline.parse_sentences = parse_or_hang
    return pipeline.Extractor(options)


def breaking_language(options):
    """The real extractor, which raises on a document that holds BREAKS (in a batch and alone)."""
    import sayso.pipeline as pipeline

    detect = pipeline.detect_language

    def detect_or_raise(text):
        if "BREAKS" in text:
            raise RuntimeError("cannot cope")
        return detect(text)

    pipeline.detect_language = detect_or_raise
    return pipeline.Extractor(options)
'''


@pytest.fixture
def stand_in(tmp_path, monkeypatch) -> str:
    """The stand-in extractor's name, importable in the worker (and the default of the CLI's)."""
    folder = tmp_path / "stand_in"
    folder.mkdir()
    (folder / "stand_in_extractor.py").write_text(textwrap.dedent(STAND_IN), encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", f"{folder}:{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setattr("sayso.budget.FACTORY", "stand_in_extractor:make")
    return "stand_in_extractor:make"


def _docs(*texts: str):
    return [input_from_text(text, id=f"d{i}", source=f"doc{i}.txt") for i, text in enumerate(texts)]


def test_a_document_past_its_budget_is_reported_and_the_others_come_through(stand_in):
    docs = _docs("first", "SLOW one", "third", "GREEDY one", "fifth", "CRASH one", "seventh", "BROKEN one", "last")
    with BudgetedExtractor(budget=Budget(timeout=SECONDS, max_memory=300 * MB), factory=stand_in) as ex:
        results = ex.extract_each(docs)
        assert ex.restarts == 3          # a fresh worker after each of the three, not after each document
    ids = [r["document"]["id"] if isinstance(r, dict) else None for r in results]
    assert ids == ["d0", None, "d2", None, "d4", None, "d6", None, "d8"]
    assert failure(results[1]) == f"not extracted: it ran past its time budget ({SECONDS} s; see --timeout)"
    assert failure(results[3]) == "not extracted: it ran out of its memory budget (300 MB; see --max-memory)"
    assert failure(results[5]).startswith("not extracted: it the extraction worker died on it (signal SIGKILL")
    assert failure(results[7]) == "extraction failed: KeyError: 'no such thing'"


def test_without_a_budget_nothing_is_stopped_and_no_worker_runs(stand_in, monkeypatch):
    monkeypatch.setenv("STAND_IN_PATIENT", "1")
    ex = BudgetedExtractor(budget=Budget(timeout=0, max_memory=0), factory=stand_in)
    # in this process: the stand-in reads the environment of this process
    assert [r["document"]["id"] for r in ex.extract_each(_docs("a", "SLOW b"))] == ["d0", "d1"]
    assert ex._worker is None


def test_the_worker_gives_the_records_extraction_gives_in_process():
    texts = ["Rescuers said at least 14 people died when the bridge collapsed on Friday.",
             "\"We counted 230 families without shelter,\" said Mira Holm, a volunteer in the valley.",
             "The council approved the budget. Nothing else happened that week.",
             "Between 40 and 45 workers were detained, the union said, up from 12 a year earlier."]
    docs = _docs(*texts)
    with BudgetedExtractor(Options(), Budget(timeout=60)) as ex:
        in_worker = ex.extract_each(docs)
    assert in_worker == extract_each(docs, Extractor(Options()))
    assert any(r["figures"] for r in in_worker)


def test_a_batch_whose_parse_runs_out_of_time_goes_again_one_document_at_a_time(stand_in):
    texts = ["Rescuers said at least 14 people died when the bridge collapsed on Friday.",
             "HANGS: officials said 40 people were hurt.",
             "Between 40 and 45 workers were detained, the union said."]
    docs = _docs(*texts)
    with BudgetedExtractor(Options(), Budget(timeout=SECONDS), factory="stand_in_extractor:hanging_parse") as ex:
        results = ex.extract_each(docs)
        assert ex.restarts == 2       # after the batch's parse, then after the document alone
    expected = extract_each([docs[0], docs[2]], Extractor(Options()))
    assert [results[0], results[2]] == expected
    assert failure(results[1]) == f"not extracted: it ran past its time budget ({SECONDS} s; see --timeout)"


def test_a_document_that_breaks_a_batch_in_the_worker_costs_only_itself(stand_in):
    docs = _docs("Rescuers said at least 14 people died on Friday.", "BREAKS: officials said 40 people were hurt.",
                 "Between 40 and 45 workers were detained, the union said.")
    with BudgetedExtractor(Options(), Budget(timeout=60), factory="stand_in_extractor:breaking_language") as ex:
        results = ex.extract_each(docs)
        assert ex.restarts == 0
    assert [results[0], results[2]] == extract_each([docs[0], docs[2]], Extractor(Options()))
    assert failure(results[1]) == "extraction failed: RuntimeError: cannot cope"


def test_a_model_that_will_not_load_in_the_worker_is_a_value_error():
    ex = BudgetedExtractor(Options(model="no_such_model"), Budget(timeout=5))
    with pytest.raises(ValueError, match="no_such_model"):
        ex.start()


def _write(folder: Path, names_texts: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in names_texts.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_extract_reports_a_document_past_its_budget_in_one_line_and_goes_on(stand_in, tmp_path):
    _write(tmp_path / "in", {"a.txt": "first", "b.txt": "SLOW one", "c.txt": "third"})
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "in"), "--no-group", "--timeout", str(SECONDS),
                                      "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 1
    sources = [json.loads(line)["document"]["source"] for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [Path(s).name for s in sources] == ["a.txt", "c.txt"]
    assert f"{tmp_path / 'in' / 'b.txt'}: not extracted: it ran past its time budget ({SECONDS} s; see --timeout)" \
        in result.output


def test_ingest_notes_a_document_past_its_budget_and_a_rerun_skips_it_until_told_to_retry(stand_in, tmp_path,
                                                                                         monkeypatch):
    _write(tmp_path / "in", {"a.txt": "first", "b.txt": "SLOW one"})
    db = str(tmp_path / "ledger.db")
    with Ledger(db) as ledger, BudgetedExtractor(budget=Budget(timeout=SECONDS), factory=stand_in) as ex:
        first = list(ingest_paths([str(tmp_path / "in")], ledger, ex))
        assert [o.status for o in first] == [ADDED, ERROR]
        assert first[1].message == f"not extracted: it ran past its time budget ({SECONDS} s; see --timeout)"
        again = list(ingest_paths([str(tmp_path / "in")], ledger, ex))
        assert [o.status for o in again] == [SKIPPED, FAILED_BEFORE]     # not tried again
        assert again[1].message == f"ran past its time budget ({SECONDS} s; see --timeout)"
    monkeypatch.setenv("STAND_IN_PATIENT", "1")       # it now finishes in time
    with Ledger(db) as ledger, BudgetedExtractor(budget=Budget(timeout=SECONDS), factory=stand_in) as ex:
        retried = list(ingest_paths([str(tmp_path / "in")], ledger, ex, retry_failed=True))
        assert [o.status for o in retried] == [SKIPPED, ADDED]
        assert [o.status for o in ingest_paths([str(tmp_path / "in")], ledger, ex)] == [SKIPPED, SKIPPED]


def test_ingest_command_says_the_rerun_skipped_it_and_how_to_retry(stand_in, tmp_path):
    _write(tmp_path / "in", {"a.txt": "first", "b.txt": "SLOW one"})
    args = ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "ledger.db"), "--timeout", str(SECONDS)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 1 and "b.txt: not extracted: it ran past its time budget" in first.output
    rerun = CliRunner().invoke(app, args)
    assert rerun.exit_code == 0
    assert f"b.txt: skipped: it ran past its time budget ({SECONDS} s; see --timeout) in an earlier run " \
           "(--retry-failed tries it again)" in rerun.output
    assert "1 skipped as already stored, 1 skipped as out of budget before, 0 errors" in rerun.output


def test_a_batch_shard_reports_a_document_past_its_budget_and_finishes(stand_in, tmp_path):
    shard = tmp_path / "s.jsonl"
    shard.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n"
                             for i, t in enumerate(["first", "SLOW one", "third"])), encoding="utf-8")
    with BudgetedExtractor(budget=Budget(timeout=SECONDS), factory=stand_in) as ex:
        info = process_shard(str(shard), ex, OutputDir(str(tmp_path / "out")))
    assert not info["failed"] and info["documents"] == 2
    assert info["errors"] == [f"{shard}:2: not extracted: it ran past its time budget ({SECONDS} s; see --timeout)"]


def _record(doc) -> dict:
    return {"schema": SCHEMA, "document": {"id": doc.id, "source": doc.source, "sha256": doc.sha256},
            "figures": [], "quotes": []}


def _long_and_short(shard: Path) -> None:
    shard.write_text(json.dumps({"id": "short", "text": "Officials said 3 people were hurt."}) + "\n"
                     + json.dumps({"id": "long", "text": "Officials said 12 people were hurt. " * 20}) + "\n",
                     encoding="utf-8")


@pytest.mark.parametrize("uri", [False, True])
def test_a_batch_shard_is_read_within_the_limits_it_is_given(tmp_path, uri):
    shard = tmp_path / "s.jsonl"
    _long_and_short(shard)
    name = shard.as_uri() if uri else str(shard)       # read through pyarrow, or as sayso extract reads
    info = process_shard(name, _record, OutputDir(str(tmp_path / "out")), limits=Limits(max_bytes=300))
    assert info["documents"] == 1
    size = len(shard.read_bytes().splitlines(keepends=True)[1])
    assert info["errors"] == [f"{name}: line 2: larger than the maximum document size ({size} bytes > 300; "
                              "see --max-size)"]


def test_a_remote_file_over_the_limit_is_not_read(tmp_path):
    (tmp_path / "big.txt").write_text("Officials said 12 people were hurt. " * 20, encoding="utf-8")
    from sayso.batch.shards import read_shard

    [problem] = list(read_shard((tmp_path / "big.txt").as_uri(), limits=Limits(max_bytes=300)))
    assert str(problem).endswith("larger than the maximum document size (720 bytes > 300; see --max-size)")


@pytest.mark.parametrize("option", ["--max-size", "--max-ratio", "--timeout", "--max-memory"])
def test_batch_extract_and_ingest_take_the_same_bounds(option):
    for command in ("batch", "extract", "ingest"):
        result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert option in result.output, (command, option)


def test_ingest_help_says_how_to_retry():
    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert "--retry-failed" in result.output
