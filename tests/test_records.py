"""Real output against the contract: every record validates against the schema, every offset
points at its text, and the seeds run end to end."""
from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def validator(shared):
    schema = json.loads((shared / "spec" / "document.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check(record: dict, text: str, validator) -> None:
    validator.validate(record)
    for fig in record["figures"]:
        assert text[fig["start"]:fig["end"]] == fig["text"]
        s = fig["sentence"]
        assert s["start"] <= fig["start"] and fig["end"] <= s["end"]
    for q in record["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]


def test_dev_documents_validate(shared, validator, tmp_path):
    docs = shared / "eval" / "dev" / "docs.jsonl"
    out = tmp_path / "dev.jsonl"
    done = run_cli("extract", str(docs), "-o", str(out))
    assert done.returncode == 0, done.stderr
    texts = {json.loads(l)["id"]: json.loads(l)["text"] for l in docs.read_text(encoding="utf-8").splitlines()}
    recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len(texts)
    for rec in recs:
        check(rec, texts[rec["document"]["id"]], validator)


def test_seeds_run_and_validate(shared, validator, tmp_path):
    seeds = shared / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} does not exist")
    done = run_cli("extract", str(seeds), "--published", "2020-12-01")
    assert done.returncode == 0, done.stderr
    recs = [json.loads(l) for l in done.stdout.splitlines()]
    assert len(recs) == len(list(seeds.glob("*.txt")))
    for rec in recs:
        text = (ROOT / rec["document"]["source"]).read_text(encoding="utf-8") if not rec["document"]["source"].startswith("/") \
            else open(rec["document"]["source"], encoding="utf-8").read()
        check(rec, text, validator)
        # page footers ("Tags: , , ,", "Copyright ...") never yield figures
        for fig in rec["figures"]:
            line = text[text.rfind("\n", 0, fig["start"]) + 1:text.find("\n", fig["end"])]
            assert not line.startswith(("Tags:", "Copyright", "Social media"))


def test_sample_records_validate(validator, tmp_path):
    done = run_cli("extract", str(ROOT / "samples"))
    assert done.returncode == 0, done.stderr
    for rec in (json.loads(l) for l in done.stdout.splitlines()):
        validator.validate(rec)
