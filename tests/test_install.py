"""The README's two commands install what the locks say and nothing else, and CI runs them verbatim.

The install itself runs in `.ci/run` (a fresh venv with the pip that `python3 -m venv` brings, then
`pip check`); these tests keep the commands, the locks and CI from drifting apart, which is how a
registry that publishes a new version broke the install before.
"""
from __future__ import annotations

import re
import tomllib

import pytest

from conftest import ROOT

LOCKS = ["requirements-bootstrap.lock", "requirements.lock", "requirements-dev.lock"]


def readme_commands() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", section, re.S)
    assert len(blocks) == 2, "the README's 'Two commands' section holds exactly two sh blocks"
    return {"main": blocks[0].strip(), "test": blocks[1].strip()}


def lock_entries(name: str) -> dict[str, list[str]]:
    """{requirement line: its hashes} of a pip lock file (continuation lines joined)."""
    text = (ROOT / name).read_text(encoding="utf-8").replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req, *rest = line.split()
            entries[req] = [h.split("=", 1)[1] for h in rest if h.startswith("--hash=")]
    return entries


@pytest.mark.parametrize("which", ["main", "test"])
def test_ci_runs_each_readme_command_verbatim(which):
    assert readme_commands()[which] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("which", ["main", "test"])
def test_each_command_pins_the_installer_then_installs_a_lock_by_hash_without_resolving(which):
    steps = [s.strip() for s in readme_commands()[which].split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    assert steps[1] == ".venv/bin/pip install -q --require-hashes -r requirements-bootstrap.lock"
    lock = "requirements.lock" if which == "main" else "requirements-dev.lock"
    assert steps[2] == f".venv/bin/pip install -q --require-hashes --no-deps -r {lock}"


@pytest.mark.parametrize("name", LOCKS)
def test_every_locked_requirement_is_pinned_exactly_and_hashed(name):
    entries = lock_entries(name)
    assert entries
    for req, hashes in entries.items():
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[a-z0-9,_\-]+\])?==[^=<>~!;]+", req), req
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), req


def test_the_bootstrap_lock_pins_pip_alone():
    [req] = lock_entries("requirements-bootstrap.lock")
    assert req.startswith("pip==")


def test_the_dev_lock_holds_every_runtime_pin():
    # --no-deps installs only what a lock lists, so the dev lock must hold the runtime one whole
    runtime, dev = lock_entries("requirements.lock"), lock_entries("requirements-dev.lock")
    assert set(runtime) <= set(dev)


def test_every_declared_dependency_is_in_the_locks():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(reqs):
        return {re.split(r"[\[<>=!~ ;]", r, 1)[0].lower().replace("_", "-") for r in reqs}

    def locked(name):
        return {r.split("==")[0].split("[")[0].lower() for r in lock_entries(name)}

    assert names(project["dependencies"]) <= locked("requirements.lock")
    assert names(project["optional-dependencies"]["dev"]) <= locked("requirements-dev.lock")


def test_licence_is_an_spdx_string_as_setuptools_wants():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    assert pyproject["build-system"]["requires"] == ["setuptools>=77"]


def test_docs_and_scripts_name_shared_relative_to_the_checkout():
    files = [ROOT / "README.md", ROOT / ".ci" / "run", *ROOT.glob("bench/*"), *ROOT.glob("tests/*.py")]
    offenders = [f.name for f in files if f.is_file() and re.search(r"/[a-z]+/shared\b", f.read_text("utf-8"))]
    assert offenders == []
