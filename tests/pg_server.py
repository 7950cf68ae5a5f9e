"""A throwaway PostgreSQL server for the ledger's tests.

``SAYSO_TEST_POSTGRES`` (a ``postgresql://`` URL to a server the tests may create databases on)
wins; otherwise, where PostgreSQL's ``initdb`` and ``pg_ctl`` are installed (the Debian package
puts them in /usr/lib/postgresql/N/bin), a server is started in a temporary folder listening on a
Unix socket only, and removed afterwards. Without either, the PostgreSQL tests are skipped.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from urllib.parse import quote

import pytest

PORT = 5432          # only names the socket file inside our own folder
_names = itertools.count(1)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return candidates[-1] if candidates else None


@contextmanager
def postgres_server():
    """Yield a ``postgresql://`` URL to a server's ``postgres`` database, or skip."""
    pytest.importorskip("psycopg", reason="psycopg is not installed")
    if os.environ.get("SAYSO_TEST_POSTGRES"):
        yield os.environ["SAYSO_TEST_POSTGRES"]
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    prefix: list[str] = []
    if os.geteuid() == 0:           # initdb refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server")
        prefix = ["runuser", "-u", "postgres", "--"]
    root = tempfile.mkdtemp(prefix="sayso-pg-")
    if prefix:
        os.chown(root, user.pw_uid, user.pw_gid)
    data = os.path.join(root, "data")
    try:
        subprocess.run([*prefix, initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--no-sync"], check=True, capture_output=True)
        subprocess.run([*prefix, pg_ctl, "-D", data, "-l", os.path.join(root, "log"), "-w", "start", "-o",
                        f"-k {root} -c listen_addresses='' -p {PORT} -c fsync=off"], check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start PostgreSQL: {exc.stderr.decode(errors='replace').strip()[:200]}")
    try:
        yield f"postgresql://postgres@/postgres?host={quote(root)}&port={PORT}"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"sayso_test_{os.getpid()}_{next(_names)}"
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)
