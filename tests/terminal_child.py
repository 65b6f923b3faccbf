"""One till in its own process, for the multi-terminal tests: rings up a barcode, waits
for the go file, pays cash, and writes what happened as JSON.

    python -m tests.terminal_child URL STORE_CODE TERMINAL USER_ID USERNAME STORE_ID
        BARCODE GO_FILE RESULT_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

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
from tests.till_world import insurer


def main(argv: list[str]) -> int:
    """Run one sale attempt; the outcome goes to the result file."""
    url, store_code, terminal, user_id, username, store_id, barcode, go, result = argv
    policy = Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))
    engine = make_engine(url)
    try:
        sales = SaleService(UnitOfWorkFactory(engine), SystemClock(),
                            lambda: (policy, policy.version), insurer(),
                            store_code=store_code)
        cashier = Actor(int(user_id), username, username, frozenset({Role.CASHIER}),
                        int(store_id), terminal)
        cart = sales.new_cart(cashier)
        sales.scan(cashier, cart, barcode)
        Path(result + ".ready").write_text("ready")
        deadline = time.monotonic() + 30
        while not Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        try:
            sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
            outcome = {"ok": True, "doc_no": sold.doc_no}
        except (DomainError, EnvironmentFault) as exc:
            outcome = {"ok": False, "message": str(exc),
                       "rule_id": getattr(exc, "rule_id", None)}
        Path(result).write_text(json.dumps(outcome, ensure_ascii=False), encoding="utf-8")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
