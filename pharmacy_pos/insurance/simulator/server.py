"""The simulated platform over HTTP on 127.0.0.1, with faults to inject for tests and training.

One lean HTTP/1.1 handler (keep-alive, Nagle off, no request log) hands each POST to the
profile's service path to :meth:`InsurerBook.handle`. ``/sim/control`` (POST),
``/sim/state`` and ``/sim/health`` (GET) are the simulator's own endpoints
(docs/insurer-simulator.md). Faults apply to service calls only, in this order: delay,
HTTP 503 (nothing booked), dropped connection (nothing booked), a non-JSON answer
(nothing booked), then the call is booked and committed, then possibly the connection is
dropped instead of answering.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, fields
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.insurance import protocol
from pharmacy_pos.insurance.ports import AgreementStatus
from pharmacy_pos.insurance.simulator.book import InsurerBook, load_catalogue, load_policy

HOST = "127.0.0.1"
BUSY_BODY = protocol.encode({"infcode": -1, "err_msg": "系统繁忙"})
MALFORMED_BODY = b"<html><body>502 Bad Gateway</body></html>"


@dataclass(slots=True)
class Faults:
    """What goes wrong, and how often (all zero: a well-behaved platform).

    Attributes:
        slow_ms: delay before every answer.
        error_rate: share of calls answered HTTP 503 without booking (0..1).
        drop_rate: share of calls whose connection is closed unanswered, unbooked (0..1).
        fail_next: the next N calls get HTTP 503, nothing booked.
        drop_next: the next N calls get no answer (connection closed), nothing booked.
        drop_after_book_next: the next N calls are booked and committed, then the
            connection is closed without an answer (the lost-answer case).
        malformed_next: the next N calls get HTTP 200 with a body that is not JSON,
            nothing booked.
    """

    slow_ms: int = 0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    fail_next: int = 0
    drop_next: int = 0
    drop_after_book_next: int = 0
    malformed_next: int = 0

    def update(self, changes: dict[str, Any]) -> None:
        """Set the fields named in ``changes``.

        Raises:
            ValueError: an unknown name, or a value of the wrong type or range.
        """
        for f in fields(self):
            if f.name not in changes:
                continue
            value = changes[f.name]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{f.name} 须为数字")
            if f.name.endswith("_rate"):
                if not 0 <= value <= 1:
                    raise ValueError(f"{f.name} 须在 0 到 1 之间")
                setattr(self, f.name, float(value))
            else:
                if value < 0 or int(value) != value:
                    raise ValueError(f"{f.name} 须为非负整数")
                setattr(self, f.name, int(value))

    def as_dict(self) -> dict[str, Any]:
        """The fields by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


class SimulatorServer:
    """The simulator's HTTP server; in a background thread (:meth:`start`) or in the
    foreground (:meth:`serve_forever`).

    Args:
        book: the insurer's book (closed by :meth:`stop`).
        port: the port on 127.0.0.1; 0 picks a free one.
        faults: faults to start with.
        seed: seed of the random faults (for reproducible runs).
    """

    def __init__(self, book: InsurerBook, *, port: int = 0, faults: Faults | None = None,
                 seed: int | None = None) -> None:
        self.book = book
        self.faults = faults or Faults()
        self._faults_lock = threading.Lock()
        self._random = random.Random(seed)  # noqa: S311 - faults, not secrets
        self._httpd = _HTTPServer((HOST, port), self)
        self._thread: threading.Thread | None = None
        self._calls = 0
        self._call_seconds = 0.0

    @classmethod
    def open(cls, db: Path, profile: Path, *, catalogue: Path | None = None,
             policy: Path | None = None, port: int = 0,
             faults: Faults | None = None) -> SimulatorServer:
        """A server over the book in ``db``, checked against the profile file ``profile``.

        Raises:
            ProfileError: the profile is unreadable. ValidationFailed: the policy is.
            OSError: the port is taken.
        """
        insurer_policy = load_policy(policy) if policy else InsurerPolicy()
        book = InsurerBook(db, protocol.load_profile(profile),
                           catalogue=load_catalogue(catalogue) if catalogue else None,
                           policy=insurer_policy)
        try:
            return cls(book, port=port, faults=faults)
        except BaseException:
            book.close()
            raise

    @property
    def port(self) -> int:
        """The bound port."""
        return self._httpd.server_address[1]

    def start(self) -> int:
        """Serve in a background thread; returns the bound port."""
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1},
                                        name="insurer-sim", daemon=True)
        self._thread.start()
        return self.port

    def serve_forever(self) -> None:
        """Serve in this thread until :meth:`shutdown` (or Ctrl+C)."""
        self._httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop a :meth:`serve_forever` running in another thread."""
        self._httpd.shutdown()

    def stop(self) -> None:
        """Stop serving, drop open connections and close the book."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(5)
            self._thread = None
        self._httpd.close_all()
        self.book.close()

    # -- faults ---------------------------------------------------------------------------

    def control(self, changes: dict[str, Any]) -> dict[str, Any]:
        """Apply a ``/sim/control`` request; returns the faults now in force.

        Raises:
            ValueError: an unknown key or a bad value (nothing is changed then).
        """
        known = {f.name for f in fields(Faults)} | {"agreement", "person", "catalogue"}
        if unknown := sorted(set(changes) - known):
            raise ValueError(f"未知的控制项：{', '.join(unknown)}")
        agreement = AgreementStatus(changes["agreement"]) if "agreement" in changes else None
        with self._faults_lock:
            trial = Faults(**self.faults.as_dict())
            trial.update(changes)
        answer: dict[str, Any] = {}
        if "person" in changes:
            if not isinstance(changes["person"], dict):
                raise ValueError("person 须为对象")
            answer["person"] = self.book.put_person(changes["person"])
        if "catalogue" in changes:
            if not isinstance(changes["catalogue"], list):
                raise ValueError("catalogue 须为数组")
            answer["catalogue"] = self.book.set_catalogue(changes["catalogue"])
        if agreement is not None:
            self.book.set_agreement(agreement)
        with self._faults_lock:
            self.faults.update(changes)
            answer["faults"] = self.faults.as_dict()
        answer["agreement"] = self.book.agreement.value
        return answer

    def count_call(self, seconds: float) -> None:
        """Count one service call and the server time it took (request line to answer)."""
        with self._faults_lock:
            self._calls += 1
            self._call_seconds += seconds

    def stats(self) -> dict[str, Any]:
        """The faults in force and the service calls served since start with their time."""
        with self._faults_lock:
            return {"faults": self.faults.as_dict(), "calls": self._calls,
                    "call_seconds": round(self._call_seconds, 6)}

    def _before(self) -> str:
        """What to do with the next service call before booking: "", "fail", "drop",
        "malformed"."""
        with self._faults_lock:
            f = self.faults
            delay = f.slow_ms
            if f.fail_next:
                f.fail_next -= 1
                verdict = "fail"
            elif f.drop_next:
                f.drop_next -= 1
                verdict = "drop"
            elif f.malformed_next:
                f.malformed_next -= 1
                verdict = "malformed"
            elif f.error_rate and self._random.random() < f.error_rate:
                verdict = "fail"
            elif f.drop_rate and self._random.random() < f.drop_rate:
                verdict = "drop"
            else:
                verdict = ""
        if delay:
            time.sleep(delay / 1000)
        return verdict

    def _drop_after_book(self) -> bool:
        with self._faults_lock:
            if self.faults.drop_after_book_next:
                self.faults.drop_after_book_next -= 1
                return True
            return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], simulator: SimulatorServer) -> None:
        self.simulator = simulator
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host name up (getfqdn): not needed on loopback.
        TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_all(self) -> None:
        """Close the listening socket and every open connection."""
        self.server_close()
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """A lean HTTP/1.1 handler: keep-alive, Nagle off, only the headers it needs read.

    ``http.server`` parses every header through ``email``, which costs more than a
    simple upload itself; this reads the request line, ``Content-Length``,
    ``Connection`` and ``Expect`` and ignores the rest.
    """

    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # The client sends one request and waits: Nagle would hold small answers back.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """No per-request log: it would cost more than the request."""

    def handle_one_request(self) -> None:
        """Read one request and answer it (or close the connection)."""
        self.close_connection = True
        try:
            line = self.rfile.readline(65537)
        except (ConnectionError, TimeoutError):
            return
        if not line:
            return
        started = time.perf_counter()
        parts = line.split()
        if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
            self._send(400, b'{"ok":false,"error":"bad request line"}')
            return
        method, target = parts[0], parts[1].decode("latin-1")
        keep_alive = parts[2] == b"HTTP/1.1"
        length = 0
        while True:
            header = self.rfile.readline(65537)
            if header in (b"\r\n", b"\n", b""):
                break
            name, _, value = header.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    self._send(400, b'{"ok":false,"error":"bad Content-Length"}')
                    return
            elif name == b"connection":
                token = value.strip().lower()
                keep_alive = token == b"keep-alive" or (keep_alive and token != b"close")
            elif name == b"expect" and value.strip().lower() == b"100-continue":
                self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = self.rfile.read(length) if length > 0 else b""
        if len(body) < length:
            return
        self.close_connection = not keep_alive
        self.path = target
        if method == b"POST":
            self._post(target.split("?", 1)[0], body, started)
        elif method == b"GET":
            self._get(target)
        else:
            self._send(405, b'{"ok":false,"error":"method not allowed"}')

    def _post(self, path: str, body: bytes, started: float) -> None:
        simulator = self.server.simulator
        if path == simulator.book.profile.path:
            self._service(simulator, body)
            simulator.count_call(time.perf_counter() - started)
        elif path == "/sim/control":
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("控制请求须为 JSON 对象")
                result = simulator.control(changes)
            except ValueError as exc:
                self._send(400, protocol.encode({"ok": False, "error": str(exc)}))
                return
            self._send(200, protocol.encode({"ok": True, **result}))
        else:
            self._send(404, protocol.encode({"ok": False, "error": f"没有 {path}"}))

    def _get(self, target: str) -> None:
        url = urlsplit(target)
        if url.path == "/sim/health":
            self._send(200, b'{"ok":true}')
        elif url.path == "/sim/state":
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            simulator = self.server.simulator
            state = simulator.book.state(bchno=query.get("bchno"), psn_no=query.get("psn_no"))
            state.update(simulator.stats())
            self._send(200, protocol.encode(state))
        else:
            self._send(404, protocol.encode({"ok": False, "error": f"没有 {url.path}"}))

    def _service(self, simulator: SimulatorServer, body: bytes) -> None:
        verdict = simulator._before()
        if verdict == "fail":
            self._send(503, BUSY_BODY)
        elif verdict == "drop":
            self.close_connection = True
        elif verdict == "malformed":
            self._send(200, MALFORMED_BODY, content_type="text/html; charset=utf-8")
        else:
            try:
                answer = simulator.book.handle(body)
            except Exception as exc:  # a bug of the simulator: say so, keep serving
                traceback.print_exc()
                self._send(500, protocol.encode({"infcode": -1,
                                                 "err_msg": f"模拟器内部错误：{exc}"}))
                return
            if simulator._drop_after_book():
                self.close_connection = True
            else:
                self._send(200, answer)

    def _send(self, status: int, body: bytes,
              content_type: str = "application/json; charset=utf-8") -> None:
        # Headers and body in one write: one segment per answer on the loopback.
        connection = "close" if self.close_connection else "keep-alive"
        head = (f"HTTP/1.1 {status} {_REASONS.get(status, '')}\r\n"
                f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                f"Connection: {connection}\r\n\r\n")
        try:
            self.wfile.write(head.encode("latin-1") + body)
        except OSError:
            self.close_connection = True


_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
            500: "Internal Server Error", 503: "Service Unavailable"}


def run_simulator(*, port: int, db: Path, profile: Path, catalogue: Path | None = None,
                  policy: Path | None = None, slow_ms: int = 0, error_rate: float = 0.0,
                  drop_rate: float = 0.0, announce: Callable[[str], None] = print) -> None:
    """Serve in the foreground until Ctrl+C; ``announce`` gets ``listening on HOST:PORT``.

    Raises:
        ProfileError, ValidationFailed: a bad profile or policy. OSError: port taken.
    """
    faults = Faults()
    faults.update({"slow_ms": slow_ms, "error_rate": error_rate, "drop_rate": drop_rate})
    server = SimulatorServer.open(db, profile, catalogue=catalogue, policy=policy, port=port,
                                  faults=faults)
    try:
        announce(f"listening on {HOST}:{server.port}")
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
