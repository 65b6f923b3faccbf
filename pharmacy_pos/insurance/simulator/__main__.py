"""``python -m pharmacy_pos.insurance.simulator --port N --db FILE --profile TOML``.

Prints exactly one line, ``listening on 127.0.0.1:PORT``, once it accepts connections,
then serves until Ctrl+C or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from pharmacy_pos.insurance.simulator.server import run_simulator


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m pharmacy_pos.insurance.simulator",
                                     description="本机医保平台模拟器（HTTP，仅 127.0.0.1）")
    parser.add_argument("--port", type=int, required=True, help="端口（0 = 任选空闲端口）")
    parser.add_argument("--db", type=Path, required=True, help="模拟器账本 SQLite 文件")
    parser.add_argument("--profile", type=Path, required=True, help="接口配置 TOML 文件")
    parser.add_argument("--catalogue", type=Path, help="医保目录 CSV（医保编码、医保类别）")
    parser.add_argument("--policy", type=Path, help="政策文件 TOML（取其 insurer 部分）")
    parser.add_argument("--slow-ms", type=int, default=0, help="每次应答前延迟（毫秒）")
    parser.add_argument("--error-rate", type=float, default=0.0, help="随机返回 503 的比例")
    parser.add_argument("--drop-rate", type=float, default=0.0, help="随机断开连接的比例")
    args = parser.parse_args(argv)
    # SIGTERM ends it as Ctrl+C does: the book is closed cleanly.
    signal.signal(signal.SIGTERM, _interrupt)

    def announce(line: str) -> None:
        print(line, flush=True)

    try:
        run_simulator(port=args.port, db=args.db, profile=args.profile,
                      catalogue=args.catalogue, policy=args.policy, slow_ms=args.slow_ms,
                      error_rate=args.error_rate, drop_rate=args.drop_rate, announce=announce)
    except (OSError, ValueError) as exc:
        print(f"错误: {exc}", file=sys.stderr, flush=True)
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
