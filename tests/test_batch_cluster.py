"""`sayso batch --address`: a wrong address fails at once with one line saying what is wrong, and a
real two-node Ray cluster (two `ray start` raylets on this machine) gives the records of a local
run, with both nodes working, and a rerun skips what it finished."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import sayso
from conftest import SAYSO
from sayso.batch.runner import BatchError, check_address
from test_batch import _jsonl, _table, _text

RAY = Path(sys.executable).parent / "ray"


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _closed_port() -> int:
    """A port where nothing listens (it was free a moment ago)."""
    return _free_ports(1)[0]


class LocalCluster:
    """A Ray cluster of ``nodes`` raylets of one CPU each on this machine, on ports and a temp dir
    of its own, so that it meets no other Ray here; ``stop`` ends exactly its own processes.

    Each ``ray start`` runs in a new session, and the daemons it leaves behind (GCS, raylet,
    agents, workers) stay in it: stopping kills those sessions, never Ray processes by name
    (``ray stop`` would end every Ray on the machine). Token authentication is on, with a token of
    its own, as ``ray start --head`` sets it up by default; ``env`` is what a driver joining it needs.
    """

    def __init__(self, nodes: int = 2):
        self.nodes = nodes
        self.temp = tempfile.mkdtemp(prefix="sayso-rc-", dir="/tmp")   # Ray's socket paths must be short
        src = str(Path(sayso.__file__).resolve().parent.parent)         # the sayso these tests import
        self.env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32),
                    "RAY_USAGE_STATS_ENABLED": "0",
                    "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
        self.sessions: list[int] = []
        self.port = 0

    def start(self) -> None:
        ports = iter(_free_ports(1 + 6 * self.nodes))
        self.port = next(ports)
        for node in range(self.nodes):
            where = ["--head", f"--port={self.port}", "--include-dashboard=false", f"--dashboard-port={next(ports)}"]
            if node:
                where = [f"--address=127.0.0.1:{self.port}"]
            self._ray_start(*where, "--num-cpus=1", f"--temp-dir={self.temp}", "--disable-usage-stats",
                            f"--node-manager-port={next(ports)}", f"--object-manager-port={next(ports)}",
                            f"--dashboard-agent-listen-port={next(ports)}", f"--runtime-env-agent-port={next(ports)}",
                            f"--metrics-export-port={next(ports)}",
                            f"--min-worker-port={20000 + 1000 * node}", f"--max-worker-port={20999 + 1000 * node}")

    def _ray_start(self, *args: str) -> None:
        proc = subprocess.Popen([str(RAY), "start", *args], env=self.env, start_new_session=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.sessions.append(proc.pid)           # its session: the daemons it starts stay in it
        try:
            output, _ = proc.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"`ray start {' '.join(args)}` did not finish within 90 s") from None
        if proc.returncode:
            raise RuntimeError(f"`ray start {' '.join(args)}` failed:\n{output[-3000:]}")

    def processes(self) -> list[int]:
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    if os.getsid(int(entry)) in self.sessions:
                        found.append(int(entry))
                except OSError:
                    pass
        return found

    def stop(self) -> None:
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            for pid in self.processes():
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            deadline = time.monotonic() + grace
            while self.processes() and time.monotonic() < deadline:
                time.sleep(0.2)
        shutil.rmtree(self.temp, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    if not RAY.exists():
        pytest.skip(f"no `ray` command at {RAY}: pip install 'sayso[batch]'")
    started = LocalCluster(nodes=2)
    try:
        started.start()
        yield started
    finally:
        started.stop()
        assert not started.processes(), "Ray processes of the test cluster outlived it"


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cluster")
    corpus = root / "corpus"
    corpus.mkdir()
    for k in range(7):        # shards of some seconds' work: a worker that is ready first cannot take them all
        _jsonl(corpus / f"s{k}.jsonl", 40 * k, 40)
    (corpus / "field.txt").write_text(_text(300) + "\n", encoding="utf-8")   # a source that is a path
    return root


def _batch(cwd: Path, *args: str, env: dict | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    """`sayso batch corpus --out OUT ...` run in ``cwd`` with relative paths; (process, summary)."""
    out = args[0]
    done = subprocess.run([str(SAYSO), "batch", "corpus", "--out", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    summary = (cwd / out / "summary.json")
    return done, (json.loads(summary.read_text()) if summary.exists() else {})


def test_two_nodes_give_the_records_of_a_local_run_and_both_work(cluster, shards):
    local, local_summary = _batch(shards, "local", "--workers", "2")
    assert local.returncode == 0, local.stderr
    done, summary = _batch(shards, "clustered", "--address", f"127.0.0.1:{cluster.port}", env=cluster.env)
    assert done.returncode == 0, done.stderr
    assert summary["shards"] == {"total": 8, "skipped": 0, "done": 8, "failed": 0} and summary["errors"] == []
    assert summary["documents"] == local_summary["documents"] == 281
    assert summary["workers"] == 2                                   # one per CPU of the cluster
    workers = summary["per_worker"].values()
    assert len({w["node"] for w in workers}) == 2 and all(w["shards"] >= 1 for w in workers)
    assert sum(w["shards"] for w in workers) == 8

    def records(out: str) -> list[dict]:
        return sorted((json.loads(row["record"]) for row in _table(shards / out, "documents")),
                      key=lambda r: r["document"]["id"])

    assert records("clustered") == records("local")
    assert any(r["document"]["source"] == "corpus/field.txt" for r in records("clustered"))   # the driver's cwd
    assert sum(len(r["figures"]) for r in records("clustered")) == summary["figures"] > 281

    def rows(out: str, table: str) -> list[str]:
        return sorted(json.dumps(row, sort_keys=True, default=str) for row in _table(shards / out, table))

    for table in ("figures", "quotes"):
        assert rows("clustered", table) == rows("local", table)

    parts = {p: p.stat().st_mtime_ns for p in (shards / "clustered" / "documents").glob("*.parquet")}
    again, resumed = _batch(shards, "clustered", "--address", f"127.0.0.1:{cluster.port}", env=cluster.env)
    assert again.returncode == 0, again.stderr
    assert resumed["shards"] == {"total": 8, "skipped": 8, "done": 0, "failed": 0}
    assert resumed["documents"] == 281 and resumed["this_run"]["documents"] == 0
    assert {p: p.stat().st_mtime_ns for p in (shards / "clustered" / "documents").glob("*.parquet")} == parts


@pytest.mark.parametrize("address, problem", [
    ("127.0.0.1:{closed}", "nothing answers there (connection refused)"),
    ("ray://127.0.0.1:{closed}", "nothing answers there (connection refused)"),
    ("no-such-host.invalid:6379", "no such host 'no-such-host.invalid'"),
    ("nohost:xx", "the port 'xx' is not a port number"),
    ("127.0.0.1:70000", "the port '70000' is not a port number"),
    ("headnode", "not an address; give host:port"),
])
def test_a_wrong_address_is_one_line_saying_what_is_wrong(address, problem):
    address = address.format(closed=_closed_port())
    with pytest.raises(BatchError) as raised:
        check_address(address)
    assert str(raised.value).startswith(f"cannot join Ray at {address}: {problem}")
    assert "\n" not in str(raised.value)


@pytest.fixture
def no_ray_here(tmp_path, monkeypatch):
    """What ``auto`` looks at, as on a machine without Ray: no $RAY_ADDRESS, no GCS process, and a
    Ray temp dir (where `ray start` leaves its address) of this test's own."""
    services = pytest.importorskip("ray._private.services")
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setenv("RAY_TMPDIR", str(tmp_path))
    monkeypatch.setattr(services, "find_gcs_addresses", lambda: [])   # another local Ray may be running
    return tmp_path / "ray"


def test_auto_without_a_cluster_says_none_was_found(no_ray_here):
    with pytest.raises(BatchError, match=r"^cannot join Ray at auto: no Ray cluster found on this machine "
                                         r"\(start one with `ray start --head`, or give its address\)"):
        check_address("auto")


def test_auto_after_a_cluster_died_says_nothing_answers(no_ray_here):
    no_ray_here.mkdir()
    (no_ray_here / "ray_current_cluster").write_text(f"127.0.0.1:{_closed_port()}")   # left by `ray start`
    with pytest.raises(BatchError, match=r"^cannot join Ray at auto \(\S+:\d+\): nothing answers there \(connection refused\)$"):
        check_address("auto")


def test_an_address_that_answers_is_let_through():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        check_address(f"127.0.0.1:{server.getsockname()[1]}")      # no exception: Ray is asked next


def test_the_command_fails_at_once_on_a_closed_port(shards, tmp_path):
    address = f"127.0.0.1:{_closed_port()}"
    done = subprocess.run([str(SAYSO), "batch", str(shards / "corpus"), "--out", str(tmp_path / "out"),
                           "--address", address], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert f"cannot join Ray at {address}: nothing answers there (connection refused)" in done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip()]) == 1, done.stderr
    assert not (tmp_path / "out" / "documents").exists()
