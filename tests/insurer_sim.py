"""Run the loopback insurer simulator as a real process, for tests over HTTP.

``start_simulator(tmp_path)`` starts ``python -m pharmacy_pos.insurance.simulator`` on a
free port with the repository's profile and catalogue and waits for its
``listening on`` line; ``running_simulator`` is the same as a context manager (for a
fixture: ``with running_simulator(tmp_path) as sim: yield sim``).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pharmacy_pos.insurance import protocol
from pharmacy_pos.paths import resource

START_TIMEOUT = 15.0
_REPO = Path(__file__).resolve().parent.parent


class SimProcess:
    """A running simulator process and its book file.

    Attributes:
        db: the SQLite book (kept across :meth:`restart`).
        profile: the interface profile it checks requests against.
        port: the bound port (kept across :meth:`restart`).
    """

    def __init__(self, db: Path, profile_path: Path, extra_args: Sequence[str]) -> None:
        self.db = db
        self.profile_path = profile_path
        self.profile = protocol.load_profile(profile_path)
        self.extra_args = tuple(extra_args)
        self.port = 0
        self._proc: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (the service path is ``profile.path``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The process id while running."""
        return self._proc.pid if self._proc else None

    def start(self) -> SimProcess:
        """Start the process (on the same port as before after a stop or kill)."""
        command = [sys.executable, "-m", "pharmacy_pos.insurance.simulator",
                   "--port", str(self.port), "--db", str(self.db),
                   "--profile", str(self.profile_path),
                   "--catalogue", str(resource("demo", "catalogue.csv")), *self.extra_args]
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO), env.get("PYTHONPATH")]))
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, encoding="utf-8", env=env)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(proc.stdout.readline() if proc.stdout else ""),
                         daemon=True).start()
        try:
            line = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            proc.kill()
            raise RuntimeError("模拟器 15 秒内没有就绪") from None
        if not line.startswith("listening on "):
            proc.kill()
            error = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"模拟器未能启动: {line!r} {error}")
        self.port = int(line.strip().rsplit(":", 1)[1])
        self._proc = proc
        return self

    def kill(self) -> None:
        """SIGKILL, as a crash would: no clean shutdown."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(10)
            self._close_pipes()
            self._proc = None

    def stop(self) -> None:
        """Stop cleanly (SIGTERM, as Ctrl+C)."""
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(10)
            self._close_pipes()
            self._proc = None

    def restart(self) -> SimProcess:
        """Start again on the same book file and port (after :meth:`kill` or :meth:`stop`)."""
        self.stop()
        return self.start()

    def _close_pipes(self) -> None:
        assert self._proc is not None
        for pipe in (self._proc.stdout, self._proc.stderr):
            if pipe is not None:
                pipe.close()

    # -- talking to it ------------------------------------------------------------------

    def connect(self, timeout: float = 10.0) -> http.client.HTTPConnection:
        """A new keep-alive connection."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def post(self, body: bytes, *, path: str | None = None,
             connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
        """POST ``body`` (to the service path by default); (status, body)."""
        conn = connection or self.connect()
        try:
            conn.request("POST", path or self.profile.path, body,
                         {"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            if connection is None:
                conn.close()

    def control(self, **changes: Any) -> dict[str, Any]:
        """POST /sim/control; returns its JSON answer.

        Raises:
            RuntimeError: the simulator refused the control request.
        """
        status, body = self.post(json.dumps(changes).encode(), path="/sim/control")
        answer = json.loads(body)
        if status != 200:
            raise RuntimeError(f"/sim/control {status}: {answer}")
        return answer

    def state(self, **query: str) -> dict[str, Any]:
        """GET /sim/state (``bchno=`` lists that number's records, ``psn_no=`` a person)."""
        conn = self.connect()
        try:
            target = "/sim/state"
            if query:
                target += "?" + "&".join(f"{k}={v}" for k, v in query.items())
            conn.request("GET", target)
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()


def start_simulator(tmp_path: Path, *, profile: str = "national",
                    extra_args: Sequence[str] = ()) -> SimProcess:
    """Start a simulator on a free port with its book in ``tmp_path``."""
    return SimProcess(tmp_path / "insurer-sim.sqlite3", resource("insurer", f"{profile}.toml"),
                      extra_args).start()


@contextlib.contextmanager
def running_simulator(tmp_path: Path, *, profile: str = "national",
                      extra_args: Sequence[str] = ()) -> Iterator[SimProcess]:
    """:func:`start_simulator`, stopped (or killed) at the end of the block."""
    sim = start_simulator(tmp_path, profile=profile, extra_args=extra_args)
    try:
        yield sim
    finally:
        sim.stop()
