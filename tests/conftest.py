"""Shared fixtures: paths to ../shared (read-only inputs written by others) and a CLI runner."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAYSO = Path(sys.executable).parent / "sayso"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here: the shared seeds, spec and gold sets sit beside the repository")
    return SHARED


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed `sayso` command."""
    return subprocess.run([str(SAYSO), *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def ray_local():
    """A local Ray of two CPUs for a test module (skipped where Ray is not installed)."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    yield ray
    ray.shutdown()
