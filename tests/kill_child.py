"""A till process to be killed mid-sale (issue 9: SIGKILL during commits).

    python -m tests.kill_child URL STORE_CODE TERMINAL USER_ID USERNAME STORE_ID LOG_FILE
        PHARMACIST_ID PHARMACIST_NAME

Starting Python and importing the application costs most of a second on the test
machine, a hundred times over; so this process imports everything once and then, for
each line ``fork`` on its standard input, forks a till. The till opens its own database
connection (nothing is shared across the fork), prints ``selling`` and completes sales
in a loop as fast as it can: several lines each, every other one with a prescription
drug (its prescription submitted, approved by the pharmacist, then paid: RX-1, RX-2),
cash. After each sale returns it appends
the sale's number to LOG_FILE (flushed), so the test knows which sales the till was told
were committed. The parent answers each ``fork`` with the till's process id and reaps it
when it dies; the test kills the till with SIGKILL at a random moment.
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import Engine

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import SystemClock
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.paths import resource
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.sales import SaleService
from tests.till_world import AMOXICILLIN, COLD_GRANULES, MASKS, insurer, paper_prescription

# Each sale: two packs of granules and one of masks (three ledger entries at least);
# every other sale also a box of amoxicillin against a paper prescription.
BASKET = (COLD_GRANULES, COLD_GRANULES, MASKS)
RX_ITEM = ("P001", 24, 4)  # item code, units (one box), days of supply


def sell(engine: Engine, cashier: Actor, pharmacist: Actor, store_code: str, log_file: str,
         *, count: int | None = None) -> None:
    """Complete ``count`` sales (None: until killed), logging each one returned."""
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    # A service of its own in each till: msgid blocks and the insurer's book live in it.
    clock = SystemClock()
    sales = SaleService(UnitOfWorkFactory(engine), clock,
                        lambda: (policy, policy.version), insurer(), store_code=store_code)
    with open(log_file, "a", encoding="utf-8") as log:
        if count is None:
            say("selling")
        done = tried = 0
        while count is None or done < count:
            tried += 1
            cart = sales.new_cart(cashier)
            for barcode in BASKET:
                sales.scan(cashier, cart, barcode)
            try:
                if tried % 2 == 0:
                    sales.scan(cashier, cart, AMOXICILLIN)
                    sales.submit_prescription(cashier, cart, paper_prescription(
                        [RX_ITEM], issue_date=clock.today()))
                    assert cart.review is not None
                    sales.decide(pharmacist, cart.review.prescription_id, approve=True)
                    sales.refresh_review(cashier, cart)
                sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
            except (DomainError, EnvironmentFault) as exc:  # e.g. locked: sell the next
                print(f"refused {exc}", file=sys.stderr, flush=True)
                continue
            log.write(sold.doc_no + "\n")
            log.flush()
            done += 1


def say(line: str) -> None:
    """One line to the test, in one write: the till and this process share the pipe, and
    a write this small is never interleaved with another (PIPE_BUF)."""
    os.write(1, f"{line}\n".encode("ascii"))


def main(argv: list[str]) -> int:
    """Fork one till per ``fork`` line on stdin; print its pid."""
    (url, store_code, terminal, user_id, username, store_id, log_file, pharmacist_id,
     pharmacist_name) = argv
    cashier = Actor(int(user_id), username, username, frozenset({Role.CASHIER}),
                    int(store_id), terminal)
    # The pharmacist reviews at the dispensary's terminal (RX-2: not the cashier).
    pharmacist = Actor(int(pharmacist_id), pharmacist_name, pharmacist_name,
                       frozenset({Role.PHARMACIST}), int(store_id), "T02")
    engine = make_engine(url)
    # One sale here first, so that each till starts warm (mappers configured, lazy
    # imports done, statements compiled in the engine's cache) and is killed while
    # selling, not while starting; then no connection is left to cross the fork.
    sell(engine, cashier, pharmacist, store_code, log_file, count=2)
    engine.dispose()
    say("ready")
    for command in sys.stdin:
        if command.strip() != "fork":
            break
        pid = os.fork()
        if pid == 0:
            try:
                sell(engine, cashier, pharmacist, store_code, log_file)
            finally:
                os._exit(1)
        say(str(pid))
        # The test kills the till; reap it here so no zombie is left.
        os.waitpid(pid, 0)
        say("reaped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
