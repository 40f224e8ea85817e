"""Self-check calculators on the public pages (no login): 90/180 [003] and permanent residence.

Worked examples were counted by hand on a calendar (see each test).
"""

import re
from datetime import date
from fractions import Fraction

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from permits.models import PermitType

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
SCHENGEN = reverse("permits:schengen")
PR = reverse("permits:pr_calculator")


def rows(prefix: str, values: list[dict], total: int | None = None) -> dict:
    """Formset POST data: ``values`` fill the first rows, the rest stay empty."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(total or max(len(values), 1)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(values):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def post_en(client: Client, url: str, data: dict):
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("url", "related_code"),
    [(SCHENGEN, "long_term_visa"), (PR, "permanent_residence")],
)
def test_calculators_answer_anonymous_visitors_in_every_language(language, url, related_code):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" ' in html
    # The link to the related permit carries its name in the reader's language.
    related = PermitType.objects.get(code=related_code)
    assert escape(getattr(related, f"name_{language}")) in html
    assert 'type="date"' in html


def test_calculators_refuse_other_methods(anonymous):
    assert anonymous.put(SCHENGEN).status_code == 405
    assert anonymous.delete(PR).status_code == 405


@pytest.mark.parametrize(
    ("url", "field_ids"),
    [
        (
            SCHENGEN,
            ["stays-0-entry", "stays-0-exit", "check_date", "planned_entry", "planned_exit"],
        ),
        (PR, ["periods-0-kind", "periods-0-start", "periods-0-end"]),
    ],
)
def test_every_field_has_a_label(anonymous, url, field_ids):
    html = anonymous.get(url).content.decode()
    for field_id in field_ids:
        assert re.search(rf'<label\s+for="id_{field_id}"', html), field_id
        assert f'id="id_{field_id}"' in html


# --- Schengen 90/180 ------------------------------------------------------------------------------


def test_schengen_check_date_defaults_to_today(anonymous):
    with time_machine.travel(date(2025, 3, 1), tick=False):
        html = anonymous.get(SCHENGEN).content.decode()
    assert 'name="check_date" value="2025-03-01"' in html


def test_schengen_worked_example(anonymous):
    # A stay of 45 days, 1 January - 14 February 2025 (31 + 14 days).
    # On 1 March 2025 the window 3 September 2024 - 1 March 2025 holds those 45 days: 45 left.
    # Present from 1 March on, the 45 left run out on 14 April (1 March + 44 days): the latest day.
    # A trip 1 April - 31 May: on day D the window still holds all of January-February while
    # D <= 29 June, so D is over the limit once 45 + (D - 1 April + 1) > 90, i.e. on 16 May;
    # the trip may last until 15 May.
    data = {
        **rows("stays", [{"entry": "2025-01-01", "exit": "2025-02-14"}], total=3),
        "check_date": "2025-03-01",
        "planned_entry": "2025-04-01",
        "planned_exit": "2025-05-31",
    }

    response = post_en(anonymous, SCHENGEN, data)

    assert response.status_code == 200
    result = response.context["result"]
    assert (result.days_used, result.days_remaining) == (45, 45)
    assert result.window_start == date(2024, 9, 3)
    assert result.latest_stay == date(2025, 4, 14)
    assert result.stays_violation is None
    assert not result.trip.allowed
    assert result.trip.first_violation == date(2025, 5, 16)
    assert result.trip.latest_exit == date(2025, 5, 15)
    html = response.content.decode()
    assert "<strong>45 days are left</strong>" in html
    assert "you may stay until <strong>14\u00a0April\u00a02025</strong>" in html
    assert "the first day over the limit is <strong>16\u00a0May\u00a02025</strong>" in html
    assert (
        "Entering on 1\u00a0April\u00a02025, you may stay until "
        "<strong>15\u00a0May\u00a02025</strong>" in html
    )
    # The input stays in the form.
    assert 'value="2025-01-01"' in html
    assert 'value="2025-05-31"' in html


def test_schengen_trip_that_fits(anonymous):
    # 10 days in January, then 1-20 March (20 days): 30 days in any window, within the rule.
    data = {
        **rows("stays", [{"entry": "2025-01-01", "exit": "2025-01-10"}]),
        "check_date": "2025-02-01",
        "planned_entry": "2025-03-01",
        "planned_exit": "2025-03-20",
    }
    response = post_en(anonymous, SCHENGEN, data)
    result = response.context["result"]
    assert result.trip.allowed
    assert result.days_remaining == 80
    assert "keeps to the 90/180 rule" in response.content.decode()


def test_schengen_stays_that_already_break_the_rule_are_flagged(anonymous):
    # 1 January - 31 March 2025 is 31 + 28 + 31 = 90 days; one more day (1 April) is the 91st.
    data = {
        **rows("stays", [{"entry": "2025-01-01", "exit": "2025-04-01"}]),
        "check_date": "2025-04-01",
    }
    response = post_en(anonymous, SCHENGEN, data)
    result = response.context["result"]
    assert result.stays_violation == date(2025, 4, 1)
    assert result.days_remaining == 0
    assert result.latest_stay is None
    assert "already break the rule on 1\u00a0April\u00a02025" in response.content.decode()


def test_schengen_exit_before_entry_is_shown_at_the_field_and_in_the_summary(anonymous):
    data = {
        **rows(
            "stays",
            [
                {"entry": "2025-01-01", "exit": "2025-01-10"},
                {"entry": "2025-03-10", "exit": "2025-03-01"},
            ],
            total=4,
        ),
        "check_date": "2025-04-01",
    }

    response = post_en(anonymous, SCHENGEN, data)

    assert response.status_code == 200
    assert response.context["result"] is None
    html = response.content.decode()
    summary_start = html.index('id="error-summary"')
    summary = html[summary_start : html.index("</div>", summary_start)]
    assert 'href="#id_stays-1-exit"' in summary
    assert "Stay 2: Day of exit: The day of exit cannot be before the day of entry." in summary
    # Next to the field: the field and its input are marked invalid and the message follows it.
    field_start = html.index('id="div_id_stays-1-exit"')
    field = html[field_start : html.index("</fieldset>", field_start)]
    assert field.startswith('id="div_id_stays-1-exit" class="form-field form-field--invalid"')
    assert re.search(r'<input[^>]*id="id_stays-1-exit"[^>]*>', field)
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="id_stays-1-exit"[^>]*>', field)[0]
    assert "The day of exit cannot be before the day of entry." in field
    # Everything entered is still there.
    for value in ("2025-01-01", "2025-01-10", "2025-03-10", "2025-03-01", "2025-04-01"):
        assert f'value="{value}"' in html


def test_schengen_bad_dates_and_half_filled_rows_keep_the_input(anonymous):
    data = {
        **rows(
            "stays",
            [{"entry": "2025-02-30", "exit": "2025-03-02"}, {"entry": "2025-05-01", "exit": ""}],
        ),
        "check_date": "",
        "planned_entry": "2025-06-01",
    }

    response = post_en(anonymous, SCHENGEN, data)

    html = response.content.decode()
    summary = html[html.index('id="error-summary"') :]
    assert 'href="#id_stays-0-entry"' in summary
    assert 'href="#id_stays-1-exit"' in summary
    assert 'href="#id_check_date"' in summary
    assert 'href="#id_planned_exit"' in summary
    assert "Enter the day of exit." in html
    assert "Enter the date to check." in html
    assert 'value="2025-02-30"' in html
    assert 'value="2025-06-01"' in html


def test_schengen_dates_out_of_range_are_refused(anonymous):
    data = {
        **rows("stays", [{"entry": "1900-01-01", "exit": "1900-01-02"}]),
        "check_date": "9999-12-31",
    }
    response = post_en(anonymous, SCHENGEN, data)
    assert response.context["result"] is None
    assert "Enter a date between 1950 and 2100." in response.content.decode()


def test_schengen_add_row_keeps_the_input_without_errors(anonymous):
    data = {**rows("stays", [{"entry": "2025-01-01", "exit": ""}], total=2), "add_row": "1"}

    response = post_en(anonymous, SCHENGEN, data)

    html = response.content.decode()
    assert response.context["formset"].total_form_count() == 3
    assert 'id="id_stays-2-entry"' in html
    assert 'value="2025-01-01"' in html
    assert "error-summary" not in html
    assert "form-field--invalid" not in html
    assert 'aria-invalid="true"' not in html


def test_schengen_only_empty_rows_answer_for_no_stays(anonymous):
    response = post_en(
        anonymous, SCHENGEN, {**rows("stays", [], total=4), "check_date": "2025-06-01"}
    )
    assert response.context["result"].days_remaining == 90


# --- Permanent residence --------------------------------------------------------------------------


def test_permanent_residence_worked_example_four_years_study_three_years_residence(anonymous):
    # Study 1 Sep 2018 - 31 Aug 2022 = 365 + 366 + 365 + 365 = 1,461 days, counting half: 730.5.
    # Long-term residence from 1 Sep 2022: 1,826 - 730.5 = 1,095.5 days still needed, so the
    # 1,096th day of residence: 1 Sep 2022 + 1,095 days = 31 Aug 2025 (2024 is a leap year).
    data = rows(
        "periods",
        [
            {"kind": "study", "start": "2018-09-01", "end": "2022-08-31"},
            {"kind": "long_term_residence", "start": "2022-09-01", "end": "2025-08-31"},
        ],
        total=4,
    )

    response = post_en(anonymous, PR, data)

    result = response.context["result"]
    assert result.met_on == date(2025, 8, 31)
    assert result.counted_total == Fraction(3653, 2)  # 730.5 + 1,096
    assert result.breaks == []
    assert result.days_missing == 0
    html = response.content.decode()
    assert "<strong>1,826.5</strong>" in html
    assert "on <strong>31\u00a0August\u00a02025</strong>" in html
    assert "No gaps: your residence is continuous." in html


def test_permanent_residence_short_term_gap_breaks_continuity_and_days_are_missing(anonymous):
    # Long-term visa 2020 (366 days), then a short-term visa 1-31 Jan 2021 (counts nothing and
    # breaks continuity [003]), then long-term residence 1 Feb 2021 - 31 Jan 2024 (365 + 365 +
    # 365 = 1,095 days; 2024's leap day is after it). The run after the gap has 1,095 days:
    # 1,826 - 1,095 = 731 missing; going on without a break from 1 Feb 2024, the 731st day is
    # 31 Jan 2026 (1 Feb 2024 - 31 Jan 2025 = 366 days with 29 Feb 2024, then 365).
    data = rows(
        "periods",
        [
            {"kind": "long_term_visa", "start": "2020-01-01", "end": "2020-12-31"},
            {"kind": "short_term", "start": "2021-01-01", "end": "2021-01-31"},
            {"kind": "long_term_residence", "start": "2021-02-01", "end": "2024-01-31"},
        ],
    )

    response = post_en(anonymous, PR, data)

    result = response.context["result"]
    assert result.met_on is None
    assert result.breaks == [(date(2021, 1, 1), date(2021, 1, 31))]
    assert result.counted_total == 366 + 1095
    assert result.counted_in_current_run == 1095
    assert result.days_missing == 731
    assert result.projected_on == date(2026, 1, 31)
    html = response.content.decode()
    assert "<strong>731 days</strong> are still missing." in html
    assert "from 1\u00a0January\u00a02021 to 31\u00a0January\u00a02021" in html


def test_permanent_residence_five_years_before_a_break_do_not_count(anonymous):
    # Long-term residence 2010-2015 (six years), a break 2016-2022, back since 1 January 2023 to
    # 31 December 2026: only the current stretch counts [003], 365 + 366 + 365 + 365 = 1,461
    # days of the 1,826 of its five calendar years (to 31 December 2027): 365 are missing.
    data = rows(
        "periods",
        [
            {"kind": "long_term_residence", "start": "2010-01-01", "end": "2015-12-31"},
            {"kind": "long_term_residence", "start": "2023-01-01", "end": "2026-12-31"},
        ],
    )

    response = post_en(anonymous, PR, data)

    result = response.context["result"]
    assert result.met_on is None
    assert result.breaks == [(date(2016, 1, 1), date(2022, 12, 31))]
    assert result.counted_in_current_run == 1461
    assert result.days_missing == 365
    assert result.projected_on == date(2027, 12, 31)
    html = response.content.decode()
    assert 'id="met-on"' not in html
    assert "<strong>365 days</strong> are still missing." in html


def test_permanent_residence_five_calendar_years_with_two_leap_days(anonymous):
    # 1 January 2020 - 31 December 2024 are five calendar years of 1,827 days (29 February 2020
    # and 2024): met on 31 December 2024, not a day early.
    data = rows(
        "periods",
        [{"kind": "long_term_residence", "start": "2020-01-01", "end": "2025-06-30"}],
    )

    response = post_en(anonymous, PR, data)

    result = response.context["result"]
    assert result.met_on == date(2024, 12, 31)
    assert result.five_years_in_days == 1827
    html = response.content.decode()
    assert "on <strong>31\u00a0December\u00a02024</strong>" in html
    assert "Five years are counted as 1,827 days." in html


def test_permanent_residence_needs_at_least_one_period(anonymous):
    response = post_en(anonymous, PR, rows("periods", [], total=4))
    html = response.content.decode()
    assert response.context["result"] is None
    assert "Enter at least one period of residence." in html
    assert 'href="#periods"' in html


def test_permanent_residence_errors_keep_the_input(anonymous):
    data = rows(
        "periods",
        [
            {"kind": "study", "start": "2022-09-01", "end": "2018-09-01"},
            {"kind": "", "start": "2023-01-01", "end": "2023-12-31"},
        ],
    )

    response = post_en(anonymous, PR, data)

    html = response.content.decode()
    summary = html[html.index('id="error-summary"') :]
    assert 'href="#id_periods-0-end"' in summary
    assert 'href="#id_periods-1-kind"' in summary
    assert "The last day cannot be before the first day." in html
    assert "Choose what you stayed on." in html
    assert '<option value="study" selected>' in html
    assert 'value="2022-09-01"' in html
    assert 'value="2023-12-31"' in html
