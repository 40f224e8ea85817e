"""TEST_CLOCK (tests/conftest.py): the instant the whole suite runs at when it is set."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests import conftest


@pytest.mark.parametrize(
    ("value", "instant"),
    [
        ("2027-03-28T00:30:00Z", datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),
        ("2027-03-28T02:30:00+02:00", datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),
        ("", None),
        ("  ", None),
    ],
)
def test_the_clock_is_an_instant_with_its_offset(monkeypatch, value, instant):
    monkeypatch.setenv("TEST_CLOCK", value)
    assert conftest._read_test_clock() == instant


@pytest.mark.parametrize("value", ["2027-03-28T00:30:00", "2027-03-28", "next Sunday"])
def test_a_time_without_an_offset_or_no_time_at_all_stops_the_run(monkeypatch, value):
    # A naive time would be a different instant on every machine.
    monkeypatch.setenv("TEST_CLOCK", value)
    with pytest.raises(pytest.UsageError, match="TEST_CLOCK"):
        conftest._read_test_clock()


def test_a_test_starts_at_the_clock_or_else_on_the_machines_clock():
    travelling = time_machine.escape_hatch.is_travelling()
    machine = datetime.fromtimestamp(
        time_machine.escape_hatch.time.time() if travelling else time.time(), tz=UTC
    )
    start = conftest.TEST_CLOCK or machine
    # The clock ticks on from the instant, so allow for this test's own setup.
    assert start <= timezone.now() < start + timedelta(minutes=1)
    assert travelling == (conftest.TEST_CLOCK is not None)
