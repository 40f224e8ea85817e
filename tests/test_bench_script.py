"""The pure parts of `make bench` (scripts/bench.py): reading wrk's report and writing the
table between the markers of docs/performance.md."""

from __future__ import annotations

import socket

import pytest

from scripts import bench
from scripts.bench import Page, Row, Run, parse_wrk

WRK_REPORT = """Running 10s test @ http://127.0.0.1:8301/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     6.62ms    1.03ms  20.11ms   83.21%
    Req/Sec     1.21k    54.32     1.33k    71.50%
  Latency Distribution
     50%    6.43ms
     75%    7.01ms
     90%    7.80ms
     99%    1.20s
  24104 requests in 10.01s, 151.23MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:   2408.12
Transfer/sec:     15.11MB
"""


def test_wrk_report_is_read_with_its_units():
    run = parse_wrk(WRK_REPORT)

    assert run.requests_per_second == pytest.approx(2408.12)
    assert run.p50_ms == pytest.approx(6.43)
    assert run.p99_ms == pytest.approx(1200.0)
    # Non-2xx answers and socket errors both count as failed requests.
    assert run.errors == 5


def test_microseconds_and_a_clean_run():
    report = WRK_REPORT.replace("6.43ms", "812.00us").replace(
        "  Socket errors: connect 0, read 0, write 0, timeout 2\n  Non-2xx or 3xx responses: 3\n",
        "",
    )

    run = parse_wrk(report)

    assert run.p50_ms == pytest.approx(0.812)
    assert run.errors == 0


def test_a_report_without_figures_is_an_error():
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:8301 Connection refused\n")


def test_a_row_meets_its_goal_only_with_its_share_a_low_p99_and_no_failures():
    page = Page("home", "/", None, 0.40)
    bare = Run(4000, 1.0, 3.0, 0)

    assert Row(page, bare, Run(2000, 5.0, 20.0, 0), "1 1 1").met
    assert not Row(page, bare, Run(1500, 5.0, 20.0, 0), "1 1 1").met  # 37.5 %
    assert not Row(page, bare, Run(2000, 5.0, 151.0, 0), "1 1 1").met
    assert not Row(page, bare, Run(2000, 5.0, 20.0, 1), "1 1 1").met


def test_the_report_goes_between_the_markers_and_leaves_the_rest(tmp_path, monkeypatch):
    doc = tmp_path / "performance.md"
    doc.write_text(
        f"# Performance\n\nWritten by hand.\n\n{bench.START}\nold\n{bench.END}\n\nAfter.\n"
    )
    monkeypatch.setattr(bench, "DOC", doc)

    bench.write_report("new table")

    assert doc.read_text() == (
        f"# Performance\n\nWritten by hand.\n\n{bench.START}\nnew table\n{bench.END}\n\nAfter.\n"
    )


def test_a_port_something_listens_on_is_refused():
    # Another server on the bench's port would answer the start-up probe and be measured.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        with pytest.raises(SystemExit, match=f"127.0.0.1:{port} is already in use"):
            bench.check_port_free(port)


def test_a_failed_row_shows_its_failures_and_is_not_met():
    page = Page("search", "/caseworker/search/?q=Rey", "caseworker1@example.com", 0.10)
    row = Row(page, Run(4000, 1.0, 3.0, 0), Run(900, 10.0, 40.0, 7), "0.50 0.40 0.30")

    line = bench.table([row]).splitlines()[-1]

    assert line.startswith("| search | `/caseworker/search/?q=Rey` | 900 (7 failed) | 4,000 |")
    assert line.endswith("| no |")
