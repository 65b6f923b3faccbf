"""A small HTTP/1.1 client connection: POST JSON, keep-alive, optional pipelining.

``http.client`` parses every response's headers with the e-mail parser, which costs more
than the loopback simulator takes to answer an upload; this connection reads only the
status line, ``Content-Length`` / ``Transfer-Encoding`` and ``Connection``. It can also
write several requests before reading their answers (pipelining, RFC 9112 §9.3): the
server answers them in order on the one connection, so the order the records reach the
insurer's book is the order they were sent.
"""

from __future__ import annotations

import re
import socket
import ssl

# What a well-formed answer's numbers look like. int() alone would also take " +1_0",
# "²" (ValueError) or thousands of digits (ValueError: the int conversion limit).
_STATUS = re.compile(rb"[1-5][0-9][0-9]")
_LENGTH = re.compile(rb"[0-9]{1,15}")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,15}")


class Http11:
    """One keep-alive connection to ``host:port`` (TLS when ``tls`` is given).

    Raises (from every call): ``OSError`` (refused, reset, timeout) or ``ConnectionError``
    (the server closed the connection, or answered something that is not HTTP/1.x).
    """

    def __init__(self, host: str, port: int, *, timeout: float,
                 tls: ssl.SSLContext | None = None) -> None:
        self._host, self._port, self._timeout, self._tls = host, port, timeout, tls
        self._sock: socket.socket | None = None
        self._buf = bytearray()
        self._closing = False

    @property
    def open(self) -> bool:
        """Whether the connection is up (and the server did not announce its close)."""
        return self._sock is not None and not self._closing

    def connect(self) -> None:
        """Open the connection (TCP_NODELAY: small requests must not wait)."""
        sock = socket.create_connection((self._host, self._port), timeout=self._timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self._host)
        self._sock, self._buf, self._closing = sock, bytearray(), False

    def close(self) -> None:
        """Close the connection."""
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None
                self._buf = bytearray()

    def send(self, path: str, body: bytes) -> None:
        """Write one POST request."""
        if self._sock is None:
            self.connect()
        assert self._sock is not None
        head = (f"POST {path} HTTP/1.1\r\nHost: {self._host}:{self._port}\r\n"
                "Content-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode("ascii")
        self._sock.sendall(head + body)

    def receive(self) -> tuple[int, bytes]:
        """Read the next response: its status and its body.

        Raises:
            ConnectionError: the answer is not HTTP/1.x (status line, a length, the
                chunking), or the server closed the connection.
        """
        head = self._until(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not _STATUS.fullmatch(
                parts[1]):
            raise ConnectionError(f"not an HTTP answer: {lines[0][:60]!r}")
        status = int(parts[1])
        headers: dict[bytes, bytes] = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = self._chunked()
        elif b"content-length" in headers:
            body = self._exactly(_number(_LENGTH, headers[b"content-length"], 10,
                                         "Content-Length"))
        else:
            body = self._to_close()
        if headers.get(b"connection", b"").lower() == b"close" or parts[0] == b"HTTP/1.0":
            self._closing = True
        return status, body

    # -- reading ----------------------------------------------------------------------

    def _fill(self) -> None:
        assert self._sock is not None
        chunk = self._sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed by the server")
        self._buf += chunk

    def _until(self, marker: bytes) -> bytes:
        if self._sock is None:
            raise ConnectionError("not connected")
        while (end := self._buf.find(marker)) < 0:
            if len(self._buf) > 1 << 20:
                raise ConnectionError("answer header too long")
            self._fill()
        head = bytes(self._buf[:end])
        del self._buf[:end + len(marker)]
        return head

    def _exactly(self, size: int) -> bytes:
        while len(self._buf) < size:
            self._fill()
        body = bytes(self._buf[:size])
        del self._buf[:size]
        return body

    def _chunked(self) -> bytes:
        body = bytearray()
        while True:
            size = _number(_CHUNK_SIZE, self._until(b"\r\n").split(b";")[0].strip(), 16,
                           "chunk size")
            if size == 0:
                self._until(b"\r\n")  # the (empty) trailer
                return bytes(body)
            body += self._exactly(size)
            self._exactly(2)

    def _to_close(self) -> bytes:
        assert self._sock is not None
        while chunk := self._sock.recv(65536):
            self._buf += chunk
        body = bytes(self._buf)
        self._buf = bytearray()
        self._closing = True
        return body


def _number(shape: re.Pattern[bytes], text: bytes, base: int, what: str) -> int:
    if shape.fullmatch(text) is None:
        raise ConnectionError(f"not an HTTP answer: bad {what} {text[:20]!r}")
    return int(text, base)
