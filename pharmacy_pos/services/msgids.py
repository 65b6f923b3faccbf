"""Message ids for the insurer (``msgid``), unique per store across its terminals.

The platform wants store code (12) + yyyyMMddHHmmss + a 4-digit sequence. The sequence
comes from a per-day counter in the database shared by the store's terminals, reserved
in blocks so a call does not pay for a commit; numbers a terminal leaves unused when it
closes are simply skipped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.clock import STORE_ZONE, Clock
from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.insurance.ports import make_msgid


class MsgidSource:
    """Hands out fresh message ids; safe to call from several threads.

    Args:
        uow: unit-of-work factory (the counter lives in ``doc_counters``).
        clock: the store's clock.
        store_code: the designated code (12 characters).
        block: how many numbers one commit reserves.
    """

    def __init__(self, uow: Callable[..., UnitOfWork], clock: Clock, store_code: str, *,
                 block: int = 50) -> None:
        self._uow = uow
        self._clock = clock
        self._store_code = store_code
        self._block = block
        self._lock = threading.Lock()
        self._day, self._next, self._last = "", 1, 0

    def __call__(self) -> str:
        """A fresh msgid.

        Raises:
            DomainError: the store code is not a 12-character designated code (SALE-9).
        """
        now = self._clock.now().astimezone(STORE_ZONE)
        day = f"{now:%Y%m%d}"
        with self._lock:
            if self._day != day or self._next > self._last:
                with self._uow() as uow:
                    first = uow.sales.reserve_numbers(
                        f"msgid:{self._store_code}:{day}", self._block)
                    uow.commit()
                self._day, self._next, self._last = day, first, first + self._block - 1
            number = self._next
            self._next += 1
        try:
            return make_msgid(self._store_code, now, number % 10_000)
        except ValueError:
            raise DomainError(f"定点医药机构编码“{self._store_code}”不是 12 位编码，不能与医保"
                              "平台通信：请管理员按医保协议核对药店编码",
                              rule_id="SALE-9") from None
