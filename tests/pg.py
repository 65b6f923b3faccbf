"""A throwaway PostgreSQL server for the test session (Debian's package).

Started once per session in a temporary folder on a free port; each test gets a fresh
database. PostgreSQL refuses to run as root, so as root the server runs as ``postgres``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """Why no server could be started (printed as the skip reason)."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise PostgresUnavailable(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin); "
            "install Debian's 'postgresql' package (scripts/setup.sh test does)"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One running server; ``url(db)`` gives a SQLAlchemy URL."""

    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.dir = Path(tempfile.mkdtemp(prefix="pos-pg-"))
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root but 'runuser' is missing")
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise PostgresUnavailable(
                f"{args[0]} failed ({done.returncode}): {done.stderr.strip()[-500:]}"
            )

    def start(self, *, fsync: bool = False) -> None:
        """initdb and start on 127.0.0.1:<port>, sockets in the temp folder (tests run
        without fsync; benchmarks ask for it, as a store's server has it)."""
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "pos", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self._run("pg_ctl", "-D", str(self.data), "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                  f"-c fsync={'on' if fsync else 'off'} -c max_connections=60",
                  "-l", str(self.dir / "log"), "-w", "start")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        with contextlib.suppress(PostgresUnavailable):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of one database on this server."""
        return f"postgresql+psycopg://pos@127.0.0.1:{self.port}/{database}"

    def create_template(self, name: str, prepare: Callable[[str], None]) -> None:
        """Create database ``name`` and let ``prepare(url)`` fill it (e.g. migrate)."""
        import psycopg

        with psycopg.connect(self._admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        prepare(self.url(name))
        self.template = name

    def _admin_dsn(self) -> str:
        return f"postgresql://pos@127.0.0.1:{self.port}/postgres"

    @contextlib.contextmanager
    def fresh_database(self) -> Iterator[str]:
        """A database for one test (a copy of the template if any), dropped afterwards."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        admin = self._admin_dsn()
        template = getattr(self, "template", None)
        with psycopg.connect(admin, autocommit=True) as conn:
            if template:
                conn.execute(
                    f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'
                )
            else:
                conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
