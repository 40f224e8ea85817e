"""Writes to issued permits (residence cards): the holder's steps after a grant, each recorded
in the case's audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.translation import gettext as _

from applications.audit import AuditAction, audit_record
from core import clock, outbox
from core.errors import ApplicationError
from permits.models import Permit

if TYPE_CHECKING:
    from accounts.models import User


def _record_step(
    *,
    permit: Permit,
    actor: User | None,
    note: str,
    action: AuditAction,
    day_field: str,
    step: Callable[[Permit], None],
    update_fields: list[str],
) -> Permit:
    """Record one of the holder's steps on the permit under its row lock: ``step`` checks and
    sets the locked permit, which is saved (``update_fields``); the step's day (``day_field``)
    and ``note`` go into the case's audit trail."""
    with transaction.atomic():
        locked = Permit.objects.select_for_update().select_related("application").get(pk=permit.pk)
        step(locked)
        locked.save(update_fields=update_fields)
        day: date = getattr(locked, day_field)
        audit_record(
            locked.application,
            actor=actor,
            action=action,
            note=note,
            data={"permit": locked.pk, day_field: day.isoformat()},
        )
    return locked


def permit_record_entry(
    *, permit: Permit, entered_on: date, actor: User | None, note: str = ""
) -> Permit:
    """Record the day a holder who applied abroad entered the Czech Republic: biometric data
    must be given within 30 days of it [003], and the reminder sweep works from that date.
    ``note`` (where the day comes from) is written into the audit row."""
    if entered_on > clock.today():
        raise ApplicationError(_("The day of entry cannot be in the future."))
    # A year back from 29 February is 28 February (date.replace would fail on it).
    if entered_on < permit.valid_from - relativedelta(years=1):
        raise ApplicationError(_("The day of entry is too long before the permit's validity."))
    return _record_step(
        permit=permit,
        actor=actor,
        note=note,
        action=AuditAction.ENTRY_RECORDED,
        day_field="entered_on",
        step=lambda locked: locked.record_entry(entered_on),
        update_fields=["entered_on", "biometrics_due"],
    )


def permit_record_biometrics(
    *, permit: Permit, on: date, actor: User | None, note: str = ""
) -> Permit:
    """Biometric data were taken: the card is to be collected within 60 days [002][003], and
    the holder is told so (a ``permit_ready`` notice naming the card and the deadline).
    ``note`` is written into the audit row."""
    if on > clock.today():
        raise ApplicationError(_("Biometric data cannot be taken in the future."))
    with transaction.atomic():
        locked = _record_step(
            permit=permit,
            actor=actor,
            note=note,
            action=AuditAction.BIOMETRICS_RECORDED,
            day_field="biometrics_on",
            step=lambda locked: locked.set_biometrics(on),
            update_fields=["biometrics_on", "pickup_due"],
        )
        outbox.enqueue(
            topic="notifications.application_event",
            payload={"application_id": locked.application_id, "event": "permit_ready"},
        )
    return locked


def permit_record_pickup(*, permit: Permit, on: date, actor: User | None, note: str = "") -> Permit:
    """The holder collected the card: the pickup reminders stop (they look for cards not yet
    collected). ``note`` is written into the audit row."""
    if on > clock.today():
        raise ApplicationError(_("The card cannot be collected in the future."))

    def collect(locked: Permit) -> None:
        if locked.biometrics_on is None:
            raise ApplicationError(
                _("Record the day biometric data were taken first: the card is made after it.")
            )
        if on < locked.biometrics_on:
            raise ApplicationError(
                _("The card cannot be collected before biometric data were taken.")
            )
        locked.picked_up_on = on

    return _record_step(
        permit=permit,
        actor=actor,
        note=note,
        action=AuditAction.CARD_PICKED_UP,
        day_field="picked_up_on",
        step=collect,
        update_fields=["picked_up_on"],
    )
