"""The days of the card tests: a grant on a Monday, and the clock set to any later day."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

import pytest
import time_machine

from core import clock

# The day the grant is made in these tests: a Monday.
GRANTED_ON = date(2026, 3, 2)


@contextmanager
def on(day: date, hour: int = 9) -> Iterator[None]:
    """The clock stands at ``hour`` o'clock in Prague on ``day``."""
    with time_machine.travel(datetime.combine(day, time(hour), tzinfo=clock.PRAGUE), tick=False):
        yield


@pytest.fixture
def granted_day() -> Iterator[None]:
    with time_machine.travel(datetime.combine(GRANTED_ON, time(10), tzinfo=clock.PRAGUE)):
        yield
