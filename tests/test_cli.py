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


def _reports(n: int) -> list[str]:
    """Short reports of our own, each with a figure, some with a quote or a pronoun to resolve."""
    kinds = ["Guards beat {n} prisoners in Kelvan jail on Monday, the monitoring group Open Cells said.",
             "\u201cWe buried {n} people this week,\u201d said Mara Voss, a nurse. She said the clinic had closed.",
             "The district court sentenced {n} teachers to prison in March, according to their union.",
             "Nothing was counted on the first day. Later, officials said {n} homes had burned."]
    return [kinds[i % len(kinds)].format(n=i + 3) for i in range(n)]


def test_batched_extraction_gives_the_records_of_one_document_at_a_time(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sayso.api import _extractor
    from sayso.link.corpus import link_records
    from sayso.pipeline import Options, input_from_text
    from sayso.present import cli

    texts = _reports(11)
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t, "published": "2023-05-02"}) + "\n"
                           for i, t in enumerate(texts)), encoding="utf-8")
    ex = _extractor(Options.model, ())
    docs = [input_from_text(t, "2023-05-02", id=f"d{i}", source=str(src)) for i, t in enumerate(texts)]
    monkeypatch.setattr(cli, "BATCH", 4)          # chunks of 4, 4 and 3
    for flags in ([], ["--no-group"]):
        one_by_one = [ex(d) for d in docs]
        if not flags:
            link_records(one_by_one, texts)
        out = tmp_path / "out.jsonl"
        done = CliRunner().invoke(cli.app, ["extract", str(src), "-o", str(out), *flags])
        assert done.exit_code == 0, done.output
        got = records(out.read_text(encoding="utf-8"))
        assert [r["document"]["id"] for r in got] == [f"d{i}" for i in range(11)]
        for mine, theirs in zip(got, one_by_one):
            mine["document"]["source"] = theirs["document"]["source"] = None   # the reader names its line
            assert mine == theirs


def test_a_document_that_fails_in_a_batch_is_one_error_line_and_the_others_go_on(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sayso import pipeline
    from sayso.present import cli

    real = pipeline.detect_language

    def detect(text):
        if "Orvand" in text:
            raise RuntimeError("cannot cope")
        return real(text)

    monkeypatch.setattr(pipeline, "detect_language", detect)
    monkeypatch.setattr(cli, "BATCH", 3)
    texts = _reports(7)
    texts[4] = "Soldiers shot 14 villagers near Orvand on Sunday, the elders said."
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts))
                   + "{broken\n", encoding="utf-8")
    # no budget: extraction in this process, where the stand-in reaches (test_budget has the worker's)
    done = CliRunner().invoke(cli.app, ["extract", str(src), "--no-group", "--timeout", "0", "--max-memory", "0"])
    assert done.exit_code == 1
    assert [r["document"]["id"] for r in records(done.stdout)] == ["d0", "d1", "d2", "d3", "d5", "d6"]
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors[0] == f"error: {src}:5: extraction failed: RuntimeError: cannot cope"
    assert len(errors) == 2 and f"{src}: line 8" in errors[1]
    assert "6 documents, " in done.stderr and "2 errors" in done.stderr


def test_figure_filters_declare_the_filter_options_and_pass_them_as_one_dict():
    import typer
    from typer.testing import CliRunner

    from sayso.present.ledger_cli import figure_filters

    seen = {}

    @figure_filters("place", "min_value")
    def command(db: str = typer.Option("ledger.db"), filters: dict = None, loud: bool = typer.Option(False)):
        seen.update(db=db, filters=filters, loud=loud)

    app = typer.Typer()
    app.command()(command)
    done = CliRunner().invoke(app, ["--place", "Harbour Town", "--min", "5", "--loud"])
    assert done.exit_code == 0, done.output
    assert seen == {"db": "ledger.db", "filters": {"place": "Harbour Town", "min_value": 5.0}, "loud": True}
    shown = CliRunner().invoke(app, ["--help"]).output
    assert "--place" in shown and "--min" in shown and "--category" not in shown
    assert shown.index("--db") < shown.index("--place") < shown.index("--loud")   # where `filters` stands
