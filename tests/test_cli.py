"""The `sayso extract` command: inputs, outputs, errors and the closing summary."""
from __future__ import annotations

import json

from conftest import ROOT, run_cli

REPORT = ("Security forces killed at least 31 protesters on Friday, the rights group Amnesty International said.\n"
          "Tags: , , ,\n")


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_text_file_to_stdout_with_summary(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    done = run_cli("extract", str(path), "--published", "2022-10-03")
    assert done.returncode == 0, done.stderr
    [rec] = records(done.stdout)
    assert rec["document"]["published"] == "2022-10-03"
    [fig] = rec["figures"]
    assert fig["text"] == "at least 31" and fig["time"]["start"] == "2022-09-30"
    assert "1 documents, 1 figures, 0 quotes, 0 errors" in done.stderr


def test_output_file_and_directory_recursion(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(json.dumps({"id": "x1", "text": REPORT, "published": None}) + "\n",
                                        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = run_cli("extract", str(tmp_path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    ids = sorted(r["document"]["id"] for r in records(out.read_text(encoding="utf-8")))
    assert len(ids) == 2 and "x1" in ids


def test_stdin():
    done = run_cli("extract", "-", stdin="Police detained 12 students, the ministry said.")
    assert done.returncode == 0, done.stderr
    assert records(done.stdout)[0]["figures"][0]["value"] == {"low": 12, "high": 12}


def test_bad_inputs_get_one_line_each_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(REPORT, encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 50)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "ok", "text": "Two people died."}\n{not json\n', encoding="utf-8")
    done = run_cli("extract", str(binary), str(good), str(empty), str(broken), str(tmp_path / "missing.txt"))
    assert done.returncode == 1
    ids = [r["document"]["source"] for r in records(done.stdout)]
    assert len(ids) == 2            # good.txt and the good JSONL line
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    for name in ("binary.txt", "empty.txt", "broken.jsonl", "missing.txt"):
        assert sum(name in line for line in errors) == 1


def test_bad_published_date_is_refused():
    done = run_cli("extract", "-", "--published", "10/01/2020", stdin="Two people died.")
    assert done.returncode == 2
    assert "--published" in done.stderr


def test_user_aliases_name_the_source(tmp_path):
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"Kelvan Prison Watch": ["KPW"]}), encoding="utf-8")
    done = run_cli("extract", "-", "--aliases", str(aliases), stdin="KPW said 40 inmates died in custody.")
    assert done.returncode == 0, done.stderr
    assert records(done.stdout)[0]["figures"][0]["sources"][0]["name"] == "Kelvan Prison Watch"


def test_missing_alias_file_is_a_clear_error(tmp_path):
    done = run_cli("extract", "-", "--aliases", str(tmp_path / "nope.json"), stdin="Two people died.")
    assert done.returncode == 2
    assert "nope.json" in done.stderr


def test_bundled_sample_runs():
    done = run_cli("extract", str(ROOT / "samples"))
    assert done.returncode == 0, done.stderr
    recs = records(done.stdout)
    assert len(recs) >= 3 and sum(len(r["figures"]) for r in recs) >= 10
