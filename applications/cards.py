"""Writes to issued permits (residence cards): the holder's steps after a grant, each recorded
in the case's audit trail."""

from __future__ import annotations

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
    with transaction.atomic():
        locked = Permit.objects.select_for_update().select_related("application").get(pk=permit.pk)
        locked.record_entry(entered_on)
        locked.save(update_fields=["entered_on", "biometrics_due"])
        audit_record(
            locked.application,
            actor=actor,
            action=AuditAction.ENTRY_RECORDED,
            note=note,
            data={"permit": locked.pk, "entered_on": entered_on.isoformat()},
        )
    return locked


def permit_record_biometrics(
    *, permit: Permit, on: date, actor: User | None, note: str = ""
) -> Permit:
    """Biometric data were taken: the card is to be collected within 60 days [002][003], and
    the holder is told so (a ``permit_ready`` notice naming the card and the deadline).
    ``note`` is written into the audit row."""
    if on > clock.today():
        raise ApplicationError(_("Biometric data cannot be taken in the future."))
    with transaction.atomic():
        locked = Permit.objects.select_for_update().select_related("application").get(pk=permit.pk)
        locked.set_biometrics(on)
        locked.save(update_fields=["biometrics_on", "pickup_due"])
        audit_record(
            locked.application,
            actor=actor,
            action=AuditAction.BIOMETRICS_RECORDED,
            note=note,
            data={"permit": locked.pk, "biometrics_on": on.isoformat()},
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
    with transaction.atomic():
        locked = Permit.objects.select_for_update().select_related("application").get(pk=permit.pk)
        if locked.biometrics_on is None:
            raise ApplicationError(
                _("Record the day biometric data were taken first: the card is made after it.")
            )
        if on < locked.biometrics_on:
            raise ApplicationError(
                _("The card cannot be collected before biometric data were taken.")
            )
        locked.picked_up_on = on
        locked.save(update_fields=["picked_up_on"])
        audit_record(
            locked.application,
            actor=actor,
            action=AuditAction.CARD_PICKED_UP,
            note=note,
            data={"permit": locked.pk, "picked_up_on": on.isoformat()},
        )
    return locked
