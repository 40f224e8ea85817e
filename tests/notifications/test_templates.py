"""Every kind of notification renders in every language of the portal (SPEC §7), translated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from accounts.constants import Language
from notifications.constants import Kind
from notifications.delivery import render_message
from permits.phrases import office_text
from tests.notifications.factories import subject_of

REFERENCE = "OAM-4217/DP-2026"


def context() -> dict:
    permit_type = SimpleNamespace(name="Employee Card")
    application = SimpleNamespace(
        reference_number=REFERENCE,
        permit_type=permit_type,
        filed_on=date(2026, 3, 2),
        decision_due=date(2026, 5, 4),
        closed_on=date(2026, 6, 1),
        outcome="granted",
        get_status_display="Filed",
    )
    return {
        "application": application,
        "has_account": True,
        "returned": False,
        "interruption": reason_only(deadline=date(2026, 4, 1), reason="Missing lease."),
        "documents": [SimpleNamespace(name="Proof of accommodation")],
        "decision": SimpleNamespace(outcome="granted", get_outcome_display="Granted"),
        "latest_delivery": date(2026, 5, 14),
        "latest_appeal_due": date(2026, 5, 29),
        "appeal_days": 15,
        "pickup_days": 60,
        "appeal": SimpleNamespace(lodged_on=date(2026, 5, 20), get_result_display="Dismissed"),
        "permit": SimpleNamespace(
            number="RP260004217",
            valid_from=date(2026, 6, 1),
            valid_to=date(2027, 5, 31),
            biometrics_on=date(2026, 6, 10),
            pickup_due=date(2026, 8, 10),
        ),
        "due_on": date(2026, 4, 1),
        "days_before": 3,
        "cases": [
            SimpleNamespace(
                reference_number=REFERENCE, permit_type=permit_type, decision_due=date(2026, 5, 4)
            )
        ],
        "total": 12,
        "not_listed": 11,
        "day": date(2026, 5, 10),
        # What the assigned caseworker is told of (``case_activity``, ``documents_arrived``).
        "actor_name": "Jana Dvořáková",
        "entry": SimpleNamespace(
            get_action_display="Proceedings resumed",
            created_at=datetime(2026, 4, 2, 9, 15, tzinfo=UTC),
        ),
        "is_note": False,
        "still_assigned": True,
        "arrived_at": datetime(2026, 4, 2, 9, 15, tzinfo=UTC),
    }


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_renders_translated_in_every_language(kind):
    english = render_message(kind=kind, language="en", context=context())

    for language in Language.values:
        message = render_message(kind=kind, language=language, context=context())
        for part in ("subject", "text", "html", "in_app"):
            assert message[part].strip(), (kind, language, part)
            assert "{%" not in message[part] and "%(" not in message[part], (kind, language)
        assert "\n" not in message["subject"]
        assert message["html"].lstrip().startswith("<!DOCTYPE html>")
        assert f'lang="{language}"' in message["html"]
        if language != "en":
            assert message["subject"] != english["subject"], (kind, language)
            assert message["in_app"] != english["in_app"], (kind, language)


@pytest.mark.parametrize("kind", list(Kind))
def test_a_subject_names_the_kind_of_message_and_nothing_about_the_case(kind):
    """The subject is stored in clear and travels in the mail's headers: no reference number,
    no date, no name, no card number, whatever the case."""
    other = context()
    other["application"].reference_number = "OAM-9999/DP-2031"
    other["permit"].number = "RP319999999"
    other["due_on"] = other["interruption"].deadline = date(2031, 12, 24)
    other["total"] = 3

    for language in Language.values:
        subject = render_message(kind=kind, language=language, context=context())["subject"]
        elsewhere = render_message(kind=kind, language=language, context=other)["subject"]
        assert subject == elsewhere == subject_of(kind, language), (kind, language)
        for detail in (REFERENCE, "4217", "RP260004217", "2026", "Employee Card", "12"):
            assert detail not in subject, (kind, language, detail)


def test_a_case_returned_for_new_proceedings_is_filed_under_its_own_subject():
    returned = {**context(), "returned": True}

    for language in Language.values:
        subject = render_message(kind=Kind.FILED, language=language, context=returned)["subject"]
        assert subject == subject_of(Kind.FILED, language, returned=True)
        assert subject != subject_of(Kind.FILED, language)


def reason_only(*, deadline: date, reason: str) -> SimpleNamespace:
    """An interruption whose reason was written before the catalogue of phrases: all free
    text, read from ``reason`` when the message is rendered."""
    interruption = SimpleNamespace(deadline=deadline, reason=reason)
    interruption.office_text = lambda language: office_text(
        record=interruption.reason, versions=[], free_text="", language=language
    )
    return interruption


def test_dates_follow_the_language():
    cs = render_message(kind=Kind.INTERRUPTED, language="cs", context=context())
    en = render_message(kind=Kind.INTERRUPTED, language="en", context=context())

    assert "1.\u00a0dubna\u00a02026" in cs["text"]
    assert "1\u00a0April\u00a02026" in en["text"]


def test_a_value_someone_typed_is_escaped_in_html():
    ctx = context()
    ctx["interruption"].reason = "<script>alert(1)</script>"

    message = render_message(kind=Kind.INTERRUPTED, language="en", context=ctx)

    assert "<script>" not in message["html"]
    assert "&lt;script&gt;" in message["html"]
    # The text part is plain text: not HTML-escaped.
    assert "<script>alert(1)</script>" in message["text"]
