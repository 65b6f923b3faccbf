"""A private pcscd with the vsmartcard-vpcd driver, for the device tests and benchmarks.

Isolation from a system pcscd (checked on Debian 12, pcsc-lite 1.9.9):

- **vpcd port**: ``pcscd --config FILE`` reads our own reader.conf, whose
  ``DEVICENAME /dev/null:<port>`` makes the vpcd readers listen on a free port pair
  (<port> and <port>+1) instead of 35963/35964.
- **socket**: pcscd 1.9.9 ignores ``PCSCLITE_CSOCK_NAME`` (only the client library
  reads it) and always uses ``/run/pcscd/pcscd.comm``. So, when allowed (root and
  ``unshare``), pcscd runs in its own mount namespace where a temporary folder is
  bind-mounted on ``/run/pcscd``: its socket appears in that folder, which the client
  library reaches through ``PCSCLITE_CSOCK_NAME``. A system pcscd is never touched.
  Otherwise the daemon falls back to the default socket, which works only when no other
  pcscd is running.

libpcsclite reads ``PCSCLITE_CSOCK_NAME`` once per process, at the first PC/SC call, so
:meth:`PrivatePcscd.start` sets it before any, and then checks that the readers pyscard
lists are ours (their name carries our port).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from smartcard import scard

SOCKET_ENV = "PCSCLITE_CSOCK_NAME"
SYSTEM_RUN_DIR = Path("/run/pcscd")


class PcscdUnavailable(RuntimeError):
    """Why no pcscd could be started (the skip reason)."""


class _NamespaceRefused(PcscdUnavailable):
    """The private mount namespace could not be made; the default socket is tried."""


def _find_pcscd() -> str:
    found = shutil.which("pcscd") or next(
        (p for p in ("/usr/sbin/pcscd", "/usr/local/sbin/pcscd") if os.access(p, os.X_OK)), None)
    if found is None:
        raise PcscdUnavailable("pcscd not installed (Debian: apt-get install pcscd)")
    return found


def _find_vpcd_driver() -> str:
    found = sorted(glob.glob("/usr/lib/pcsc/drivers/serial/libifdvpcd.so*")
                   + glob.glob("/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so*"))
    if not found:
        raise PcscdUnavailable(
            "vsmartcard-vpcd driver not installed (Debian: apt-get install vsmartcard-vpcd)")
    return found[0]


def _free_port_pair() -> int:
    """A port p with p and p+1 both free (vpcd opens one port per slot)."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("0.0.0.0", 0))  # noqa: S104 - vpcd itself listens on all addresses
            port = first.getsockname()[1]
            if port >= 65535:
                continue
            with socket.socket() as second:
                try:
                    second.bind(("0.0.0.0", port + 1))  # noqa: S104
                except OSError:
                    continue
            return port
    raise PcscdUnavailable("no free pair of TCP ports for the vpcd readers")


def _pid_alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_bytes().strip(b"\x00\n "))
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


class PrivatePcscd:
    """One pcscd of the test session; ``reader`` is the vpcd reader the cards go into."""

    def __init__(self) -> None:
        self.binary = _find_pcscd()
        self.driver = _find_vpcd_driver()
        self.dir = Path(tempfile.mkdtemp(prefix="pos-pcscd-"))
        self.run_dir = self.dir / "run"
        self.run_dir.mkdir()
        self.port = _free_port_pair()
        self.friendly_name = f"Virtual PCD test{self.port}"
        self.config = self.dir / "reader.conf"
        self.config.write_text(
            f'FRIENDLYNAME "{self.friendly_name}"\n'
            f"DEVICENAME   /dev/null:{self.port}\n"
            f"LIBPATH      {self.driver}\n"
            f"CHANNELID    {self.port}\n",
            encoding="ascii",
        )
        self.log_path = self.dir / "pcscd.log"
        self.isolated = os.geteuid() == 0 and shutil.which("unshare") is not None
        self.process: subprocess.Popen[bytes] | None = None
        self._env_decided = False
        self._ever_connected = False
        #: Why the private socket could not be used (empty when it was).
        self.isolation_problem = "" if self.isolated else "not root or no unshare"
        atexit.register(self.close)

    # -- names -------------------------------------------------------------------------------

    @property
    def reader(self) -> str:
        """The first vpcd reader (cards connect to ``port``)."""
        return f"{self.friendly_name} 00 00"

    @property
    def second_reader(self) -> str:
        """The second vpcd reader (cards connect to ``port + 1``)."""
        return f"{self.friendly_name} 00 01"

    @property
    def socket_path(self) -> Path:
        """Where clients reach this daemon."""
        return self.run_dir / "pcscd.comm" if self.isolated else SYSTEM_RUN_DIR / "pcscd.comm"

    # -- life cycle --------------------------------------------------------------------------

    def start(self, timeout_s: float = 5.0) -> None:
        """Start pcscd and wait until pyscard lists its readers.

        Falls back from the private socket to the default one when the mount namespace
        cannot be made (no CAP_SYS_ADMIN in a container, say).

        Raises:
            PcscdUnavailable: it cannot be started here (the reason says why).
        """
        if self.running:
            return
        try:
            self._start(timeout_s)
        except _NamespaceRefused as refused:
            self.isolated = False
            self.isolation_problem = str(refused)
            self._env_decided = False
            self._start(timeout_s)

    def _start(self, timeout_s: float) -> None:
        self._decide_socket()
        for stale in ("pcscd.comm", "pcscd.pid"):  # left behind by a killed daemon
            with contextlib.suppress(FileNotFoundError):
                (self.run_dir / stale).unlink()
        # --auto-exit: should this process die without stopping it, pcscd leaves by
        # itself 60 s after the last PC/SC context is gone instead of lingering.
        args = [self.binary, "--foreground", "--auto-exit", "--config", str(self.config)]
        if self.isolated:
            # pcscd is exec'd by the shell, so the Popen pid is pcscd's own pid.
            script = 'mkdir -p /run/pcscd && mount --bind "$0" /run/pcscd && exec "$@"'
            args = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script,
                    str(self.run_dir), *args]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=log,
                                            stdin=subprocess.DEVNULL)
        self._wait_ready(timeout_s)

    def _decide_socket(self) -> None:
        # Decided once: libpcsclite keeps the first socket name it sees for the process.
        if self._env_decided:
            return
        self._env_decided = True
        if self.isolated:
            os.environ[SOCKET_ENV] = str(self.run_dir / "pcscd.comm")
            return
        os.environ.pop(SOCKET_ENV, None)
        other = _pid_alive(SYSTEM_RUN_DIR / "pcscd.pid")
        if other is not None:
            raise PcscdUnavailable(
                f"a pcscd not started by the tests is running (pid {other}) and a private "
                "socket needs root and unshare; stop that pcscd to run these tests")

    def _wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        wanted = {self.reader, self.second_reader}
        seen: list[str] = []
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                if self.isolated and not self._ever_connected:
                    # No PC/SC call was made yet, so the socket name can still change.
                    raise _NamespaceRefused(f"exit {code}: {self.log_tail(200)}")
                raise PcscdUnavailable(f"pcscd exited at start ({code}): {self.log_tail()}")
            if self.socket_path.exists():
                self._ever_connected = True
                hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
                if hresult == scard.SCARD_S_SUCCESS:
                    hresult, seen = scard.SCardListReaders(context, [])
                    scard.SCardReleaseContext(context)
                    if hresult == scard.SCARD_S_SUCCESS and wanted <= set(seen):
                        return
            time.sleep(0.02)
        self.stop()
        raise PcscdUnavailable(
            f"pcscd did not show readers {sorted(wanted)} within {timeout_s} s "
            f"(pyscard lists {seen}; socket {self.socket_path}; if these are another "
            f"daemon's readers, PC/SC was used in this process before the test pcscd "
            f"started): {self.log_tail()}")

    @property
    def running(self) -> bool:
        """True while our pcscd process is alive."""
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """Kill pcscd abruptly (SIGKILL): the reader vanishes as when the service crashes."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)
            self.process = None

    def stop(self) -> None:
        """Stop pcscd politely (SIGTERM), then by force."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(3)
        self.process = None

    def close(self) -> None:
        """Stop pcscd and remove the temporary folder (also at interpreter exit)."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, chars: int = 600) -> str:
        """The end of pcscd's log, for error messages."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:].strip()
        except OSError:
            return ""
