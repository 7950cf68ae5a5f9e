"""A batch's output directory: Parquet parts per shard, written so that a killed run leaves no half.

Layout (``OUT`` a local path or any URI pyarrow writes to)::

    OUT/documents/part-<shard id>.parquet   one part per finished shard, in each of the three tables
    OUT/figures/part-<shard id>.parquet
    OUT/quotes/part-<shard id>.parquet
    OUT/_shards/<shard id>.json             the shard's done marker: its name, counts, errors, timings
    OUT/summary.json                        the last run's summary

A shard's parts are written to hidden temporary files (``.part-...tmp``, which Parquet readers
pass over), renamed into place when complete, and then its marker is written the same way: the
marker is the commit. A shard without a marker is not finished; a rerun writes it again, and its
parts (named by the shard) replace any left over, so no document is ever there twice.
"""
from __future__ import annotations

import json
import uuid

from sayso.batch.records import TABLES, document_rows, schemas, stored_document
from sayso.batch.shards import filesystem

MARKERS = "_shards"
SUMMARY = "summary.json"
ROWS_PER_GROUP = 200      # documents buffered before a row group is written: memory stays flat


class OutputDir:
    """The output directory of a batch run (created on first write)."""

    def __init__(self, out: str):
        self.out = out
        self.fs, self.base = filesystem(out)

    def _path(self, *parts: str) -> str:
        return "/".join([self.base.rstrip("/"), *parts])

    def part(self, table: str, sid: str) -> str:
        return self._path(table, f"part-{sid}.parquet")

    def finished(self) -> dict[str, dict]:
        """shard id -> done marker, for every finished shard."""
        import pyarrow.fs as pafs

        selector = pafs.FileSelector(self._path(MARKERS), allow_not_found=True)
        done = {}
        for info in self.fs.get_file_info(selector):
            name = info.base_name
            if info.type == pafs.FileType.File and name.endswith(".json") and not name.startswith("."):
                done[name[:-5]] = json.loads(self._read(info.path))
        return done

    def clear_temporary(self) -> None:
        """Remove temporary files a killed run left (call before a run, never during one)."""
        import pyarrow.fs as pafs

        for folder in (*TABLES, MARKERS):
            selector = pafs.FileSelector(self._path(folder), allow_not_found=True)
            for info in self.fs.get_file_info(selector):
                if info.base_name.startswith(".") and info.base_name.endswith(".tmp"):
                    self.fs.delete_file(info.path)

    def writer(self, shard: str, sid: str) -> "ShardWriter":
        return ShardWriter(self, shard, sid)

    def mark_done(self, sid: str, info: dict) -> None:
        self._write_atomic(self._path(MARKERS, f"{sid}.json"), json.dumps(info, ensure_ascii=False).encode("utf-8"))

    @property
    def summary_path(self) -> str:
        return "/".join([self.out.rstrip("/"), SUMMARY])

    def write_summary(self, summary: dict) -> None:
        self._write_atomic(self._path(SUMMARY), json.dumps(summary, indent=2, ensure_ascii=False).encode("utf-8"))

    def documents(self):
        """(document, raw bytes, record) for every document of every finished shard, shard by
        shard in the order of their names, one row group in memory at a time."""
        import pyarrow.parquet as pq

        markers = self.finished()
        for sid in sorted(markers, key=lambda s: markers[s]["shard"]):
            with self.fs.open_input_file(self.part("documents", sid)) as fh:
                for batch in pq.ParquetFile(fh).iter_batches(batch_size=64):
                    for row in batch.to_pylist():
                        yield stored_document(row)

    def temporary(self, final: str) -> str:
        folder, _, name = final.rpartition("/")
        return f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"

    def _write_atomic(self, path: str, data: bytes) -> None:
        self.fs.create_dir(path.rpartition("/")[0], recursive=True)
        tmp = self.temporary(path)
        with self.fs.open_output_stream(tmp) as out:
            out.write(data)
        self.fs.move(tmp, path)

    def _read(self, path: str) -> bytes:
        with self.fs.open_input_stream(path) as fh:
            return fh.read()


class ShardWriter:
    """Streams one shard's rows into temporary Parquet files; ``commit`` puts them in place."""

    def __init__(self, out: OutputDir, shard: str, sid: str):
        import pyarrow.parquet as pq

        self.out, self.shard, self.sid = out, shard, sid
        self.schemas = schemas()
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.documents = 0
        self.tmp = {}
        self.writers = {}
        for table in TABLES:
            out.fs.create_dir(out._path(table), recursive=True)
            self.tmp[table] = out.temporary(out.part(table, sid))
            self.writers[table] = pq.ParquetWriter(self.tmp[table], self.schemas[table], filesystem=out.fs)

    def add(self, doc, raw: bytes, record: dict) -> None:
        for table, rows in document_rows(self.shard, self.documents, doc, raw, record).items():
            self.rows[table].extend(rows)
        self.documents += 1
        if self.documents % ROWS_PER_GROUP == 0:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        for table, rows in self.rows.items():
            if rows:
                self.writers[table].write_table(pa.Table.from_pylist(rows, schema=self.schemas[table]))
                rows.clear()

    def commit(self, info: dict) -> None:
        """Close the parts, rename them into place, then write the shard's done marker."""
        self._flush()
        for writer in self.writers.values():
            writer.close()
        for table in TABLES:
            self.out.fs.move(self.tmp[table], self.out.part(table, self.sid))
        self.out.mark_done(self.sid, info)

    def abort(self) -> None:
        """Drop the temporary parts (what is left of them): the shard stays unfinished."""
        for table in TABLES:
            try:
                self.writers[table].close()
                self.out.fs.delete_file(self.tmp[table])
            except OSError:    # closed and moved already, or never written: nothing to drop
                pass
