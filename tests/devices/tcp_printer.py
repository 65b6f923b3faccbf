"""A receipt printer on 127.0.0.1 for tests: a real TCP listener that keeps the bytes.

Each accepted connection is one job; :meth:`TcpPrinter.jobs` returns their bytes once the
client closed. The listener can answer real-time status queries (DLE EOT n) with
configured bytes, cut a job short with a reset after some bytes, read slowly, answer
late, or never accept (a printer whose network stack is stuck).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from types import TracebackType

DLE_EOT = b"\x10\x04"

# Status answers per DLE EOT n (ESC/POS: fixed bits 0x12; see escpos_printer.py).
STATUS_OK = {1: 0x12, 2: 0x12, 4: 0x12}
STATUS_PAPER_LOW = {1: 0x12, 2: 0x12, 4: 0x1E}
STATUS_PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}
STATUS_COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}

POLL_S = 0.02


def refused_port() -> int:
    """A local port nobody listens on (bound, then released): connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_queries(*ns: int) -> bytes:
    """The bytes of DLE EOT queries ``ns``, in order."""
    return b"".join(DLE_EOT + bytes([n]) for n in ns)


class TcpPrinter:
    """A listening "printer" on an ephemeral port of 127.0.0.1.

    Args:
        status: answer byte per DLE EOT n; ``None`` never answers (a silent printer).
        close_after: reset the connection (RST) once this many bytes have arrived.
        read_delay_s: pause before each read of at most ``chunk`` bytes (a slow printer).
        answer_delay_s: pause before each status answer.
        accept: ``False`` never accepts; with a backlog of 0 further connects then hang.
        port: listen on this port (a printer switched on again at its old address);
            0 picks a free one.
    """

    def __init__(
        self,
        *,
        status: dict[int, int] | None = None,
        close_after: int | None = None,
        read_delay_s: float = 0.0,
        answer_delay_s: float = 0.0,
        chunk: int = 4096,
        accept: bool = True,
        port: int = 0,
    ) -> None:
        self.status = status
        self.close_after = close_after
        self.read_delay_s = read_delay_s
        self.answer_delay_s = answer_delay_s
        self.chunk = chunk
        self.accept = accept
        self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen(0 if not accept else 8)
        self._server.settimeout(POLL_S)
        self.host, self.port = self._server.getsockname()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._jobs: list[bytes] = []
        self._threads: list[threading.Thread] = []
        self._fillers: list[socket.socket] = []
        if accept:
            self._start(self._accept_loop)

    @property
    def setting(self) -> str:
        """The ``printer`` setting that reaches this listener."""
        return f"tcp:{self.host}:{self.port}"

    def _start(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._start(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        data = bytearray()
        scanned = 0
        conn.settimeout(POLL_S)
        try:
            while not self._stop.is_set():
                if self.read_delay_s and self._stop.wait(self.read_delay_s):
                    break
                try:
                    piece = conn.recv(self.chunk)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not piece:
                    break
                data += piece
                if self.close_after is not None and len(data) >= self.close_after:
                    # An abortive close: the client sees a reset, as when a printer is
                    # switched off or its cable pulled.
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                    struct.pack("ii", 1, 0))
                    break
                scanned = self._answer(conn, data, scanned)
        finally:
            conn.close()
            with self._done:
                self._jobs.append(bytes(data))
                self._done.notify_all()

    def _answer(self, conn: socket.socket, data: bytearray, scanned: int) -> int:
        """Answer every complete DLE EOT n after ``scanned``; the new scan position."""
        while True:
            at = data.find(DLE_EOT, scanned)
            if at < 0:
                # a DLE at the very end may begin a query split across two reads
                return max(scanned, len(data) - 1)
            if at + 2 >= len(data):
                return at
            n = data[at + 2]
            scanned = at + 3
            if self.status is not None and n in self.status:
                if self.answer_delay_s and self._stop.wait(self.answer_delay_s):
                    return scanned
                try:
                    conn.sendall(bytes([self.status[n]]))
                except OSError:
                    return scanned

    def fill_backlog(self) -> None:
        """With ``accept=False``: occupy the backlog so that the next connect hangs."""
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            self._fillers.append(filler)
            filler.connect_ex((self.host, self.port))

    def jobs(self, count: int = 1, timeout_s: float = 3.0) -> list[bytes]:
        """The bytes of the first ``count`` finished connections (waits for them)."""
        deadline = time.monotonic() + timeout_s
        with self._done:
            while len(self._jobs) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self._jobs)} of {count} jobs in {timeout_s} s")
                self._done.wait(remaining)
            return list(self._jobs)

    def close(self) -> None:
        """Stop serving and close every socket."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self._server.close()
        for filler in self._fillers:
            filler.close()

    def __enter__(self) -> TcpPrinter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
