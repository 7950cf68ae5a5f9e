"""Extraction within a budget: each document gets so many seconds and so much memory.

A :class:`BudgetedExtractor` runs ``sayso.pipeline`` in one long-lived worker process
(``python -m sayso.budget``), which loads the spaCy pipeline once and extracts every document it
is sent, 32 at a time in one spaCy batch as in process. As it works it says which document it is
on (``pipeline.extract_documents``' stages), so the parent knows whose time is running: a
document that takes more than ``timeout`` seconds (its own stages, and a batch's parse alone
when it stands alone) is killed with the worker and reported as :class:`OverBudget`; the worker
is started again for the documents after it. The worker's address space is limited
(``RLIMIT_AS``, where the system has it) to what the loaded pipeline takes plus ``max_memory``
bytes: a document that needs more fails with a MemoryError, and the worker is renewed. A worker
that dies (killed by the system, a crash in native code) costs only the document it was on.

When a batch's shared parse runs past the budget no one document can be blamed: its documents
go through again one at a time, each with its own budget. With no budget (``timeout`` and
``max_memory`` 0) the extractor works in this process, as ``pipeline.extract_each`` does.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection
from socket import socketpair
from typing import TYPE_CHECKING

from sayso.model import InputDocument, Options

if TYPE_CHECKING:
    from sayso.pipeline import Extractor

MB = 1_000_000


@dataclass(frozen=True)
class Budget:
    """What one document may take: ``timeout`` seconds of work and ``max_memory`` bytes beyond
    the loaded pipeline (0: no bound). ``renew`` starts a fresh worker after so many documents,
    so that what spaCy keeps from every document it saw (its string store) cannot grow without end."""

    timeout: float = 120.0
    max_memory: int = 4_000 * MB
    renew: int = 20_000

    @property
    def bounded(self) -> bool:
        return bool(self.timeout or self.max_memory)


NO_BUDGET = Budget(timeout=0, max_memory=0)


class OverBudget(Exception):
    """A document that did not finish within its budget (or killed its worker): not extracted."""


def failure(exc: Exception) -> str:
    """What went wrong with a document, for its error line."""
    if isinstance(exc, OverBudget):
        return f"not extracted: it {exc}"
    return f"extraction failed: {type(exc).__name__}: {exc}"


class BudgetedExtractor:
    """Documents to records, each within ``budget``; ``extract_each`` as ``pipeline.extract_each``.

    The worker starts on the first documents (or ``start()``); ``close()`` ends it (also done when
    the extractor is collected, and at exit)."""

    def __init__(self, options: Options | None = None, budget: Budget = Budget(), factory: str | None = None):
        self.options = options or Options()
        self.budget = budget
        self.factory = factory or FACTORY
        self._local: Extractor | None = None
        self._worker: _Worker | None = None
        self.restarts = 0            # workers started again after a kill, a death or a MemoryError

    def start(self) -> None:
        """Load the pipeline now (in the worker, or here without a budget); ValueError if it will not load."""
        if not self.budget.bounded:
            if self._local is None:
                self._local = _factory(self.factory)(self.options)
        elif self._worker is None:
            try:
                self._worker = _Worker(self.options, self.budget, self.factory)
            except OSError as exc:        # no process to be had (too many, no memory)
                raise ValueError(f"cannot start the extraction worker: {exc.strerror or exc}") from None

    def __call__(self, doc: InputDocument) -> dict:
        result = self.extract_each([doc])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def extract_each(self, docs: list[InputDocument]) -> list[dict | Exception]:
        """For each document, its record or the exception it failed with (:class:`OverBudget`
        past its budget)."""
        if not docs:
            return []
        self.start()
        if self._local is not None:
            from sayso.pipeline import extract_each

            return extract_each(docs, self._local)
        results: list[dict | Exception | None] = [None] * len(docs)
        alone = False           # after a batch's parse ran out of time: one document at a time
        while (todo := [i for i, r in enumerate(results) if r is None]):
            for group in ([[i] for i in todo] if alone else [todo]):
                if any(results[i] is not None for i in group):
                    continue
                if self._worker is not None and self._worker.used >= self.budget.renew:
                    self.close()
                self.start()
                blamed = self._worker.run([docs[i] for i in group], group, results)
                for i in group if blamed is None else ():    # the worker ended the batch without it
                    if results[i] is None:
                        results[i] = RuntimeError("the extraction worker gave no record for it")
                if blamed is not None:     # a fresh worker for what is left
                    self.close()
                    self.restarts += 1
                if blamed is _SHARED:
                    alone = True
                    break
                if blamed is not None and not alone:
                    break      # the rest of the batch goes again, without the one to blame
        return results       # type: ignore[return-value]

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def __enter__(self) -> "BudgetedExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


FACTORY = "sayso.pipeline:Extractor"    # what the worker builds its extractor with, from the Options


def _factory(name: str):
    """The callable ``module:attribute`` names."""
    import importlib

    module, _, attr = name.partition(":")
    return getattr(importlib.import_module(module), attr)


_SHARED = object()    # a batch's parse ran out of time: no one document to blame


class _Worker:
    """The parent's end of one worker process."""

    def __init__(self, options: Options, budget: Budget, factory: str):
        self.budget = budget
        self.used = 0
        mine, theirs = socketpair()
        env = dict(os.environ)
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sayso.budget", str(theirs.fileno())], pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)
        theirs.close()
        self.conn = Connection(mine.detach())
        self._finalizer = weakref.finalize(self, _kill, self.process, self.conn)
        self.conn.send((factory, options, budget.max_memory))
        reply = self._receive(None)
        if reply is None or reply[0] != "ready":
            self.stop()
            raise ValueError(reply[1] if reply else "the extraction worker could not start")

    def _receive(self, timeout: float | None):
        """The worker's next message; None when it died; ``_TIMEOUT`` when none came in time."""
        try:
            while True:    # wait in steps, so that a worker that died is noticed
                step = 1.0 if timeout is None else max(0.0, min(1.0, timeout))
                if self.conn.poll(step):
                    return self.conn.recv()
                if self.process.poll() is not None and not self.conn.poll(0):
                    return None
                if timeout is not None:
                    timeout -= step
                    if timeout <= 0:
                        return _TIMEOUT
        except (EOFError, OSError):
            return None

    def run(self, docs: list[InputDocument], indices: list[int], results: list) -> object:
        """Extract ``docs`` (``results[indices[j]]`` gets each record or exception); returns the
        index blamed when the budget ran out or the worker died, ``_SHARED`` when it ran out in a
        batch's parse, else None."""
        limit = self.budget.timeout or None
        spent: dict[int, float] = {}
        current, since = None, time.monotonic()
        try:
            self.conn.send(docs)
        except (OSError, ValueError) as exc:    # a worker that died before it, a document too large to send
            if len(docs) > 1:
                return _SHARED
            results[indices[0]] = OverBudget(f"the extraction worker could not take it: {exc}")
            return indices[0]
        while True:
            now = time.monotonic()
            left = None
            if limit is not None:
                left = limit - (now - since) - (spent.get(current, 0.0) if current is not None else 0.0)
            message = self._receive(left)
            now = time.monotonic()
            if message is None or message is _TIMEOUT:
                return self._blame(message, current, docs, indices, results)
            if current is not None:
                spent[current] = spent.get(current, 0.0) + now - since
            kind = message[0]
            if kind == "stage":
                current = None if message[2] < 0 else message[2]
                since = now
                if current is None and len(docs) == 1:
                    current = 0      # a document alone is to blame for its own parse
            elif kind == "done":
                j, result = message[1], message[2]
                results[indices[j]] = result
                self.used += 1
                if isinstance(result, MemoryError):
                    results[indices[j]] = OverBudget(f"ran out of its memory budget ({_mb(self.budget.max_memory)}; "
                                                     "see --max-memory)")
                    return indices[j]    # a fresh worker for the rest
                current = None
            elif kind == "end":
                return None

    def _blame(self, message, current, docs, indices, results) -> object:
        if current is None and len(docs) > 1:
            return _SHARED
        j = current or 0
        if message is _TIMEOUT:
            reason = f"ran past its time budget ({self.budget.timeout:g} s; see --timeout)"
        else:
            code = self.process.wait()
            how = f"signal {_signal_name(-code)}" if code < 0 else f"exit status {code}"
            reason = f"the extraction worker died on it ({how}; too little memory?)"
        results[indices[j]] = OverBudget(reason)
        return indices[j]

    def stop(self) -> None:
        self._finalizer()


_TIMEOUT = object()


def _kill(process: subprocess.Popen, conn: Connection) -> None:
    conn.close()
    if process.poll() is None:
        process.kill()
    process.wait()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _mb(n: int) -> str:
    return f"{n / MB:g} MB"


# --- the worker process ----------------------------------------------------------------------


def _limit_memory(extra: int) -> None:
    """Bound this process's address space to what it takes now plus ``extra`` bytes (Linux)."""
    try:
        import resource
        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        want = size + extra
        resource.setrlimit(resource.RLIMIT_AS, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard))
    except (ImportError, OSError, StopIteration, ValueError):
        pass          # no /proc, no RLIMIT_AS: the time budget still holds


def _sendable(result):
    """A record, or an exception that survives pickling (its type's name kept in the message)."""
    if not isinstance(result, BaseException):
        return result
    import pickle

    try:
        pickle.loads(pickle.dumps(result))
        return result
    except Exception:
        return RuntimeError(f"{type(result).__name__}: {result}")


def serve(conn: Connection) -> None:
    """The worker's loop: load the pipeline, then extract each list of documents it is sent."""
    from sayso.pipeline import Extractor, extract_documents

    factory, options, max_memory = conn.recv()
    try:
        ex = _factory(factory)(options)
    except Exception as exc:
        conn.send(("failed", str(exc)))
        return
    if max_memory:
        _limit_memory(max_memory)
    conn.send(("ready",))
    while True:
        try:
            docs = conn.recv()
        except (EOFError, OSError):
            return
        if not isinstance(ex, Extractor):     # any other callable: one document at a time
            for j, doc in enumerate(docs):
                conn.send(("stage", "prepare", j))
                try:
                    result = ex(doc)
                except Exception as exc:
                    result = exc
                conn.send(("done", j, _sendable(result)))
            conn.send(("end",))
            continue
        done: set[int] = set()
        try:
            for j, record in enumerate(extract_documents(docs, ex, len(docs),
                                                         lambda name, k: conn.send(("stage", name, k)))):
                conn.send(("done", j, record))
                done.add(j)
        except Exception:     # one document broke the batch: each alone, so only it is lost
            for j, doc in enumerate(docs):
                if j in done:
                    continue
                try:
                    # its parse is its own: every stage names it
                    result = next(extract_documents([doc], ex, 1, lambda name, k, j=j: conn.send(("stage", name, j))))
                except Exception as exc:
                    result = exc
                conn.send(("done", j, _sendable(result)))
        conn.send(("end",))


def _orphaned_exit(parent: int) -> None:
    """End this worker when its parent is gone (killed outright), even in the middle of a document."""
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def main() -> None:
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl-C is the parent's to handle
    threading.Thread(target=_orphaned_exit, args=(os.getppid(),), daemon=True).start()
    serve(Connection(int(sys.argv[1])))


if __name__ == "__main__":
    main()
