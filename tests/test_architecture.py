"""Imports point one way down the data flow, and no module of sayso imports itself back.

The layers, lowest first (a module may import its own layer and those below it, never one above):

    model                       the data types every stage passes on
    ingest → clean → extract → link
    pipeline, api, sayso        one document through the stages above (the library's entry points)
    budget                      the pipeline in a worker process held to a time and memory budget
    store                       the ledger
    batch                       many shards into Parquet: reuses the store's row shapes, stores nothing
    present                     the command line, the workbench, the exports (the only layer that
                                knows of typer, rich or HTTP)
    scoring                     the referee's metrics, over records; only ``sayso eval`` uses them

Every import counts: at the top of a module, inside a function (a lazy import), and under
``if TYPE_CHECKING:``. An import that must break the rule is listed in ``EXCEPTIONS`` with why.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sayso"

LAYERS = {"model": 0, "ingest": 1, "clean": 2, "extract": 3, "link": 4, "pipeline": 5, "api": 5, "": 5, "budget": 5,
          "store": 6, "batch": 7, "present": 8, "scoring": 8}

# (importer, imported): why it may break the rule. Empty: no import needs to.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def module_name(path: Path, root: Path = SRC) -> str:
    """``sayso.extract.figures`` for ``src/sayso/extract/figures.py``; a package is its folder."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, name: str, is_package: bool, known: set[str], top: str = "sayso") -> set[str]:
    """The modules of ``known`` that a module's source imports, wherever the import stands."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from sayso.store import queries` imports the module sayso.store.queries
            targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known and "." in target:
                target = target.rsplit(".", 1)[0]      # `import sayso.x.y as z`, `from sayso.x import f`
            if target in known and target != name and (target == top or target.startswith(top + ".")):
                found.add(target)
    return found


def import_graph(root: Path = SRC) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports."""
    paths = {module_name(p, root): p for p in root.rglob("*.py")}
    known = set(paths)
    return {name: imports_of(p.read_text(encoding="utf-8"), name, p.name == "__init__.py", known, root.name)
            for name, p in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer(module: str) -> str:
    """The layer of a module: the part of its name after ``sayso.`` ("" for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a module from a layer above its own, as "importer -> imported"."""
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets
                  if LAYERS[layer(b)] > LAYERS[layer(a)])


def without_exceptions(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {a: {b for b in targets if (a, b) not in EXCEPTIONS} for a, targets in graph.items()}


# --- sayso itself ----------------------------------------------------------------------------

def test_every_module_is_in_a_layer():
    assert sorted({layer(m) for m in import_graph()} - set(LAYERS)) == []


def test_no_module_imports_itself_back():
    assert cycles(without_exceptions(import_graph())) == []


def test_imports_point_down_the_data_flow():
    assert upward(without_exceptions(import_graph())) == []


def test_every_exception_is_still_an_import_and_has_a_reason():
    graph = import_graph()
    for (a, b), why in EXCEPTIONS.items():
        assert b in graph.get(a, set()), f"{a} no longer imports {b}: drop the exception"
        assert why.strip()


# --- the checks themselves, on packages written here -------------------------------------------

def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "sayso"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_lazy_import_back_is_a_cycle(tmp_path):
    root = _package(tmp_path, {
        "ingest/__init__.py": "",
        "ingest/readers.py": "def read():\n    from sayso.ingest.warc import read_warc\n",
        "ingest/warc.py": "from sayso.ingest.readers import read\n",
        "ingest/pdf.py": "from sayso.ingest import warc\n",
    })
    assert cycles(import_graph(root)) == [["sayso.ingest.readers", "sayso.ingest.warc"]]


def test_imports_one_way_make_no_cycle(tmp_path):
    root = _package(tmp_path, {
        "ingest/__init__.py": "",
        "ingest/documents.py": "import json\n",
        "ingest/readers.py": "from sayso.ingest.documents import ReadError\nfrom . import warc\n",
        "ingest/warc.py": "from .documents import ReadError\n",
    })
    graph = import_graph(root)
    assert graph["sayso.ingest.readers"] == {"sayso.ingest.documents", "sayso.ingest.warc"}
    assert graph["sayso.ingest.warc"] == {"sayso.ingest.documents"}
    assert cycles(graph) == []


@pytest.mark.parametrize("importer, source, expected", [
    ("extract/speakers.py", "def f():\n    from sayso.link.aliases import default_aliases\n",
     ["sayso.extract.speakers -> sayso.link.aliases"]),
    ("batch/records.py", "from sayso.present.export import parquet_schemas\n",
     ["sayso.batch.records -> sayso.present.export"]),
    ("store/ledger.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import sayso.present.cli\n",
     ["sayso.store.ledger -> sayso.present.cli"]),
    ("link/sources.py", "from sayso.extract import speakers\nfrom sayso.model import Figure\n", []),
    ("present/cli.py", "from sayso.batch.output import OutputDir\nfrom sayso import api\n", []),
])
def test_an_import_from_a_later_layer_is_upward(tmp_path, importer, source, expected):
    root = _package(tmp_path, {
        "model.py": "", "api.py": "", "extract/__init__.py": "", "extract/speakers.py": "",
        "link/__init__.py": "", "link/aliases.py": "", "link/sources.py": "", "batch/__init__.py": "",
        "batch/output.py": "", "batch/records.py": "", "store/__init__.py": "", "store/ledger.py": "",
        "present/__init__.py": "", "present/export.py": "", "present/cli.py": "",
        importer: source,
    })
    assert upward(import_graph(root)) == expected


def test_the_command_line_starts_without_loading_spacy():
    """The ledger's commands and the workbench need no parser: spaCy loads where a document is
    extracted (the budget's worker, ``sayso.extract``), not when ``sayso`` or its CLI is imported."""
    import subprocess
    import sys

    probe = ("import sys, sayso, sayso.present.cli; loaded = 'spacy' in sys.modules; "
             "sayso.extract('Five people were killed.'); print(loaded, 'spacy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
