"""``sayso batch`` on Ray Data: shards in, Parquet parts and a summary out.

The work unit is an input shard. The driver lists the shards, leaves out those finished by an
earlier run (their done markers), and maps the rest over a pool of Ray actors
(``map_batches(ShardWorker, batch_size=1, compute=ActorPoolStrategy(...))``): each actor starts
an extraction worker (``sayso.budget``: each document within its time and memory budget) that
loads the spaCy pipeline once, and runs ``sayso.pipeline.Extractor`` there on every document of
each shard it is handed, as ``sayso extract --no-group`` does (the sentences to parse
of 32 documents at a time in one spaCy batch, ``pipeline.extract_each``: the same records). Ray is imported only
here and only when a batch runs (the optional extra ``sayso[batch]``).
"""
from __future__ import annotations

import json
import logging
import os
import resource
import socket
import time
from typing import Callable, Iterable

from sayso.batch.output import OutputDir
from sayso.batch.shards import is_uri, list_shards, one_line, read_shard, shard_id
from sayso.budget import Budget, BudgetedExtractor, failure
from sayso.ingest.readers import Limits, ReadError
from sayso.pipeline import Options, extract_each

INSTALL_HINT = "sayso batch needs Ray Data: pip install 'sayso[batch]' (or pip install 'ray[data]')"


class BatchError(RuntimeError):
    """The batch cannot run (Ray missing, a cluster that cannot be reached); the message is one line."""


def process_shard(shard: str, extractor: Callable, out: OutputDir, published: str | None = None,
                  batch: int = 32, limits: Limits | None = None) -> dict:
    """Read, extract and write one shard; returns what happened to it (also its done marker).

    ``extractor`` turns a document into its record; an ``Extractor``'s documents go through spaCy
    ``batch`` at a time (``pipeline.extract_each``: the same records, less time), and so do a
    ``BudgetedExtractor``'s, each within its budget. Per-document problems (a broken JSON line, a
    document over ``limits`` or over its budget, a record the extractor fails on) are listed in
    ``errors``, in reading order, and the shard still finishes. A shard that yields no document at all but errors,
    or whose reading breaks off, is ``failed``: nothing is written and a rerun tries it again.
    """
    sid = shard_id(shard)
    started, clock, cpu = time.time(), time.perf_counter(), time.process_time()
    counts = {"documents": 0, "figures": 0, "quotes": 0, "words": 0}
    errors: list[str] = []
    writer = None
    try:
        writer = out.writer(shard, sid)
        pending: list = []
        for item in read_shard(shard, published, limits):
            pending.append(item)
            if len(pending) >= batch:
                _extract_chunk(pending, extractor, writer, counts, errors)
                pending = []
        _extract_chunk(pending, extractor, writer, counts, errors)
        failed = not counts["documents"] and bool(errors)
    except Exception as exc:           # the shard broke off (a network error mid-read, a full disk)
        errors.append(f"{shard}: {type(exc).__name__}: {one_line(exc)}")
        failed = True
    info = {"shard": shard, "id": sid, **counts, "errors": errors, "failed": failed, "started": started,
            "seconds": round(time.perf_counter() - clock, 3), "cpu_seconds": round(time.process_time() - cpu, 3),
            "worker": _worker()}
    try:
        if not failed:
            writer.commit(info)
    except Exception as exc:           # parts renamed without a marker are replaced by the rerun
        errors.append(f"{shard}: cannot write its output: {type(exc).__name__}: {one_line(exc)}")
        info["failed"] = failed = True
    if failed:
        info.update(documents=0, figures=0, quotes=0, words=0)
        if writer is not None:
            writer.abort()
    return info


def _extract_chunk(items: list, extractor: Callable, writer, counts: dict, errors: list[str]) -> None:
    """Extract and write a chunk of read items ((document, raw) pairs and ReadErrors), in order."""
    docs = [item[0] for item in items if not isinstance(item, ReadError)]
    results = iter(extractor.extract_each(docs) if isinstance(extractor, BudgetedExtractor)
                   else extract_each(docs, extractor))
    for item in items:
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        doc, raw = item
        record = next(results)
        if isinstance(record, Exception):   # one document that breaks the extractor must not stop the shard
            errors.append(f"{doc.source or doc.id}: {failure(record)}")
            continue
        writer.add(doc, raw, record)
        counts["documents"] += 1
        counts["figures"] += len(record["figures"])
        counts["quotes"] += len(record["quotes"])
        counts["words"] += len(doc.text.split())


def _node_id() -> str | None:
    """The Ray node this actor runs on (hosts alike on one machine, nodes never)."""
    import ray

    try:
        return ray.get_runtime_context().get_node_id()
    except Exception:       # not in a Ray worker
        return None


def _worker() -> dict:
    """This process: host, pid and peak resident memory so far (MiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
    return {"host": socket.gethostname(), "pid": os.getpid(), "peak_rss_mb": round(peak, 1)}


class ShardWorker:
    """A Ray actor: the extractor built once, then one shard per call.

    It works in the driver's directory (``cwd``) where this node has it, so relative input paths
    name the same files, and the documents' sources, as in ``sayso extract``.
    """

    def __init__(self, out: str, options: Options, published: str | None, cwd: str,
                 budget: Budget = Budget(), limits: Limits | None = None):
        if os.path.isdir(cwd):
            os.chdir(cwd)        # the actor has its process to itself
        self.out = OutputDir(out)
        self.published = published
        self.limits = limits
        self.node = _node_id()
        try:
            self.extractor, self.problem = BudgetedExtractor(options, budget), None
            self.extractor.start()
        except Exception as exc:      # reported with each shard, so the driver can say it once
            self.extractor, self.problem = None, f"cannot load the extractor: {exc}"

    def __call__(self, batch: dict) -> dict:
        results = []
        for shard in batch["shard"]:
            shard = str(shard)
            if self.problem:
                info = {"shard": shard, "id": shard_id(shard), "failed": True, "fatal": self.problem,
                        "errors": [f"{shard}: {self.problem}"], "worker": _worker()}
            else:
                info = process_shard(shard, self.extractor, self.out, self.published, limits=self.limits)
            info["worker"]["node"] = self.node
            results.append(json.dumps(info))
        return {"result": results}


def run_batch(inputs: Iterable[str], out: str, *, address: str | None = None, workers: int | None = None,
              published: str | None = None, options: Options | None = None,
              report: Callable[[dict], None] = lambda info: None, budget: Budget = Budget(),
              limits: Limits | None = None) -> dict:
    """Extract every document of ``inputs`` into ``out``; returns the summary (also ``out/summary.json``).

    Each document is read within ``limits`` and extracted within ``budget`` (as ``sayso
    extract`` does); one over either is an error of its shard, and the shard goes on.

    Finished shards (done markers in ``out``) are skipped. ``address`` joins a Ray cluster
    (``"auto"``, ``"host:6379"``, ``"ray://host:10001"``); without it a new local Ray runs with
    ``workers`` CPUs, and when Ray is already initialised in this process it is used as it is.
    ``report`` is called with each shard's result as it arrives.
    """
    clock = time.perf_counter()
    out = out if is_uri(out) else os.path.abspath(out)     # the workers' directory may be another
    output = OutputDir(out)
    listed = list(list_shards(inputs))
    shards = list(dict.fromkeys(s for s in listed if isinstance(s, str)))
    problems = [str(e) for e in listed if isinstance(e, ReadError)]
    for problem in problems:
        report({"shard": problem, "errors": [problem], "failed": True})
    finished = output.finished()
    todo = [s for s in shards if shard_id(s) not in finished]
    results, used = [], 0
    if todo:
        output.clear_temporary()
        results, used = _run_on_ray(todo, out, address, workers, published, options or Options(), report,
                                    {"budget": budget, "limits": limits})
    summary = _summary(shards, finished, results, problems, used, time.perf_counter() - clock)
    summary["path"] = output.summary_path
    output.write_summary(summary)
    return summary


def _run_on_ray(todo: list[str], out: str, address, workers, published, options, report,
                bounds: dict) -> tuple[list[dict], int]:
    try:
        import ray
        from ray.data import ActorPoolStrategy, DataContext
    except ImportError:
        raise BatchError(INSTALL_HINT) from None
    started_here = not ray.is_initialized()
    if started_here:   # "local": a Ray of our own, even where `ray start` left one running
        if address:
            check_address(address)
        local = {} if address else {"num_cpus": workers or os.cpu_count(), "include_dashboard": False}
        # what answers is not always a GCS that lets us in: a few tries of a second, not 20 (unless set)
        patience = {GCS_TRIES: "5"} if address and GCS_TRIES not in os.environ else {}
        os.environ.update(patience)
        try:
            ray.init(address=address or "local", logging_level=logging.ERROR, log_to_driver=False, **local)
        except Exception as exc:
            raise BatchError(_init_problem(address, exc)) from None
        finally:
            for name in patience:
                del os.environ[name]
    context = DataContext.get_current()
    saved = context.enable_progress_bars, context.print_on_execution_start
    context.enable_progress_bars = context.print_on_execution_start = False   # sayso reports progress
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    try:
        cpus = int(ray.cluster_resources().get("CPU", 1))
        size = max(1, min(workers or cpus, len(todo)))
        dataset = ray.data.from_items([{"shard": s} for s in todo], override_num_blocks=len(todo))
        mapped = dataset.map_batches(
            ShardWorker, batch_size=1, num_cpus=1,
            # one shard queued behind the running one: no idle gap between shards, and at the end
            # no worker waits on more than one shard of another's
            compute=ActorPoolStrategy(size=size, max_tasks_in_flight_per_actor=2),
            fn_constructor_kwargs={"out": out, "options": options, "published": published, "cwd": os.getcwd(),
                                   **bounds})
        results = []
        for row in mapped.iter_rows():
            info = json.loads(row["result"])
            results.append(info)
            report(info)
        return results, size
    finally:
        context.enable_progress_bars, context.print_on_execution_start = saved
        if started_here:
            ray.shutdown()


CONNECT_TIMEOUT = 3.0     # seconds: a Ray head answers at once, whatever the network
GCS_TRIES = "RAY_gcs_server_port_wait_time_s"   # how often ray.init asks the GCS, a second apart (20)


def check_address(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Raise ``BatchError`` at once for a Ray address where nothing can answer.

    ``ray.init(address=...)`` retries a GCS that is not there for minutes (and an unknown host as
    long); this parses the address (``host:port``, ``ray://host:port``, ``auto``), resolves the
    host and opens a TCP connection to it within ``timeout`` seconds first. Other schemes are
    left to Ray. It checks that something listens, not that it is Ray.
    """
    where = f"cannot join Ray at {address}"
    target = address
    if address == "auto" and os.environ.get("RAY_ADDRESS"):
        target = os.environ["RAY_ADDRESS"]
    elif address == "auto":          # the cluster `ray start` last started on this machine
        try:
            from ray._private.services import canonicalize_bootstrap_address
        except ImportError:          # Ray's own lookup moved: ray.init says what it finds
            return
        try:
            target = canonicalize_bootstrap_address("auto")
        except Exception as exc:
            raise BatchError(f"{where}: no Ray cluster found on this machine (start one with `ray start --head`, "
                             f"or give its address): {one_line(exc)}") from None
        if not target:
            return
        where += f" ({target})"
    scheme, sep, rest = target.rpartition("://")
    if sep and scheme != "ray":
        return
    host, port = _host_port(rest, 10001 if sep else None, where)
    try:
        family, kind, proto, _, sockaddr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise BatchError(f"{where}: no such host {host!r} ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        with socket.socket(family, kind, proto) as probe:
            probe.settimeout(timeout)
            probe.connect(sockaddr)
    except ConnectionRefusedError:
        raise BatchError(f"{where}: nothing answers there (connection refused)") from None
    except socket.timeout:
        raise BatchError(f"{where}: no answer within {timeout:g} s (no such machine, or a firewall in "
                         "the way)") from None
    except OSError as exc:
        raise BatchError(f"{where}: {exc.strerror or exc}") from None


def _host_port(address: str, default_port: int | None, where: str) -> tuple[str, int]:
    """``host:port`` or ``[v6]:port`` as (host, port); ``default_port`` when it has none."""
    if address.startswith("["):
        host, _, port = address[1:].partition("]")
        port = port.removeprefix(":")
    elif address.count(":") == 1:
        host, port = address.split(":")
    else:                                     # no port (or an IPv6 address without brackets)
        host, port = address, ""
    if not host or not (port or default_port):
        raise BatchError(f"{where}: not an address; give host:port (head:6379) or ray://host:port")
    if not port:
        return host, default_port
    if not (port.isdigit() and 0 < int(port) < 65536):
        raise BatchError(f"{where}: the port {port!r} is not a port number")
    return host, int(port)


def _init_problem(address: str | None, exc: Exception) -> str:
    """One line for a ``ray.init`` that failed after the address answered."""
    if not address:
        return f"cannot start Ray: {one_line(exc)}"
    problem = f"cannot join Ray at {address}: {one_line(exc)}"
    if isinstance(exc, ConnectionError) and os.environ.get("RAY_AUTH_MODE") != "token":
        problem += (" (something answers there; if it is a Ray cluster with token authentication, which "
                    "`ray start --head` sets up by default in recent Ray, run with RAY_AUTH_MODE=token and its "
                    "token in RAY_AUTH_TOKEN or ~/.ray/auth_token)")
    return problem


def _summary(shards: list[str], finished: dict, results: list[dict], problems: list[str], workers: int,
             seconds: float) -> dict:
    done = [r for r in results if not r.get("failed")]
    before = [m for m in finished.values() if m["shard"] in set(shards)]
    counted = done + before
    per_worker: dict[str, dict] = {}
    for r in results:
        w = r["worker"]
        entry = per_worker.setdefault(f"{w['host']}:{w['pid']}", {"shards": 0, "documents": 0, "seconds": 0.0,
                                                                   "peak_rss_mb": 0.0, "node": w.get("node")})
        entry["shards"] += 1
        entry["documents"] += r.get("documents", 0)
        entry["seconds"] = round(entry["seconds"] + r.get("seconds", 0.0), 3)
        entry["peak_rss_mb"] = max(entry["peak_rss_mb"], w["peak_rss_mb"])
    spans = [(r["started"], r["started"] + r["seconds"]) for r in done]
    work = (max(e for _, e in spans) - min(s for s, _ in spans)) if spans else 0.0
    total = {k: sum(r.get(k, 0) for r in counted) for k in ("documents", "figures", "quotes", "words")}
    errors = problems + [e for r in results for e in r["errors"]]
    return {
        "shards": {"total": len(shards), "skipped": sum(1 for s in shards if shard_id(s) in finished),
                   "done": len(done), "failed": sum(1 for r in results if r.get("failed"))},
        **total,
        "errors": errors,                                     # this run's
        "earlier_errors": [e for m in before for e in m["errors"]],   # of the shards finished before
        "failed_shards": [r["shard"] for r in results if r.get("failed")],
        "fatal": next((r["fatal"] for r in results if r.get("fatal")), None),
        "seconds": round(seconds, 3),
        "processing_seconds": round(work, 3),
        "this_run": {k: sum(r.get(k, 0) for r in done) for k in ("documents", "words")},
        "workers": workers,
        "per_worker": per_worker,
    }
