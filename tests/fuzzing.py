"""What every fuzz test shares: one run's hypothesis settings and the refusal contract.

Each fuzz test runs twice: a CI-sized run (derandomized, so CI never flakes) and a long
run marked ``slow`` (10,000 cases; 1,000 for the imports that write to a database).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

T = TypeVar("T")

# Runs smaller than this are CI-sized: the same examples every time.
LONG_RUN_MIN = 1_000


def fuzz(max_examples: int) -> settings:
    """One run's settings: no deadline (a loaded machine is not a bug), no example
    database, and CI-sized runs derandomized. Database fixtures are shared by the
    examples on purpose: the tests compare the state around each one."""
    return settings(max_examples=max_examples, deadline=None, database=None,
                    derandomize=max_examples < LONG_RUN_MIN,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


def chinese(message: str) -> bool:
    """Whether a message says something in Chinese."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def attempt(call: Callable[[], T], refusals: type[BaseException] | tuple[type[BaseException], ...],
            ) -> tuple[T | None, Any]:
    """``(value, None)``, or ``(None, the refusal)`` when ``call`` raised one of
    ``refusals``; anything else propagates and fails the test."""
    try:
        return call(), None
    except refusals as refusal:
        return None, refusal
