"""Writes to issued permits (residence cards): the holder's steps after a grant, each recorded
in the case's audit trail.

The steps, in order (SPEC §2, D6): for a holder who applied abroad, the day of entry (biometric
data are due within 30 days of it [003]); the appointment to give biometric data, booked with
the office [002][003]; the day the data were taken (the card is to be collected within 60 days
of it [002][003]); the day the card is ready for collection (the holder is told); the day it was
collected. Each is recorded under the permit's row lock by the case's caseworker or a
supervisor (``guards.may_act_on_case``), or by the system (``actor=None``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications import guards
from applications.audit import AuditAction, audit_record
from core import clock, outbox
from core.errors import ApplicationError
from permits.models import Permit

if TYPE_CHECKING:
    from accounts.models import User


def _day(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _lock_permit(permit: Permit, actor: User | None) -> Permit:
    """The permit's row, locked for this transaction, once the actor may act on its case and
    the card still takes steps: a permit set aside on appeal is gone (``_set_aside_permit``),
    and a collected card's steps are over."""
    locked = (
        Permit.objects.select_for_update()
        .select_related("application")
        .filter(pk=permit.pk)
        .first()
    )
    if locked is None:
        raise ApplicationError(
            _("This residence permit no longer exists: the grant was set aside on appeal.")
        )
    if actor is not None:
        guards.check_may_act_on_case(locked.application, actor)
    if locked.picked_up_on is not None:
        raise ApplicationError(
            _("The card was collected on %(day)s: nothing more is recorded on it.")
            % {"day": _day(locked.picked_up_on)}
        )
    return locked


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
        locked = _lock_permit(permit, actor)
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


def permit_schedule_biometrics(
    *, permit: Permit, on: date, actor: User | None, note: str = ""
) -> Permit:
    """Book the holder's appointment to give biometric data: the office arranges the day
    [002][003]. A holder who applied abroad must give them within 30 days of entry [003], so
    the appointment cannot be after that deadline. The appointment may be booked again
    (moved): each booking is its own audit row. The sweep reminds the holder the day before;
    the reminders of the 30-day deadline stop. ``note`` is written into the audit row."""
    today = clock.today()
    if on < today:
        raise ApplicationError(_("An appointment cannot be booked for a day that has passed."))

    def book(locked: Permit) -> None:
        if locked.biometrics_on is not None:
            raise ApplicationError(
                _("Biometric data were already taken on %(day)s.")
                % {"day": _day(locked.biometrics_on)}
            )
        if locked.biometrics_due is not None and on > locked.biometrics_due:
            raise ApplicationError(
                _(
                    "The appointment must be on or before %(due)s: biometric data are due within "
                    "30 days of entering the Czech Republic."
                )
                % {"due": _day(locked.biometrics_due)}
            )
        locked.biometrics_appointment_on = on

    return _record_step(
        permit=permit,
        actor=actor,
        note=note,
        action=AuditAction.BIOMETRICS_SCHEDULED,
        day_field="biometrics_appointment_on",
        step=book,
        update_fields=["biometrics_appointment_on"],
    )


def permit_record_biometrics(
    *, permit: Permit, on: date, actor: User | None, note: str = ""
) -> Permit:
    """Biometric data were taken: the card is to be collected within 60 days of that day
    [002][003] (``pickup_due``); the pickup reminders run to that deadline. The holder is told
    when the card is ready (``permit_record_card_ready``). ``note`` is written into the audit
    row."""
    if on > clock.today():
        raise ApplicationError(_("Biometric data cannot be taken in the future."))

    def take(locked: Permit) -> None:
        if locked.card_ready_on is not None and on > locked.card_ready_on:
            raise ApplicationError(
                _("The card was ready on %(day)s: biometric data were taken before it.")
                % {"day": _day(locked.card_ready_on)}
            )
        locked.set_biometrics(on)

    return _record_step(
        permit=permit,
        actor=actor,
        note=note,
        action=AuditAction.BIOMETRICS_RECORDED,
        day_field="biometrics_on",
        step=take,
        update_fields=["biometrics_on", "pickup_due"],
    )


def permit_record_card_ready(
    *, permit: Permit, on: date, actor: User | None, note: str = ""
) -> Permit:
    """The card is made and ready for collection: the holder is told (a ``permit_ready``
    notice naming the card and the pickup deadline, which stays 60 days from the day biometric
    data were taken [002][003]). The card is made from those data, so they must have been
    taken. ``note`` is written into the audit row."""
    if on > clock.today():
        raise ApplicationError(_("The card cannot be ready in the future."))

    def ready(locked: Permit) -> None:
        if locked.biometrics_on is None:
            raise ApplicationError(
                _("Record the day biometric data were taken first: the card is made from them.")
            )
        if on < locked.biometrics_on:
            raise ApplicationError(
                _("The card cannot be ready before biometric data were taken (%(day)s).")
                % {"day": _day(locked.biometrics_on)}
            )
        if locked.card_ready_on is not None:
            raise ApplicationError(
                _("The card is already recorded as ready on %(day)s.")
                % {"day": _day(locked.card_ready_on)}
            )
        locked.card_ready_on = on

    with transaction.atomic():
        locked = _record_step(
            permit=permit,
            actor=actor,
            note=note,
            action=AuditAction.CARD_READY,
            day_field="card_ready_on",
            step=ready,
            update_fields=["card_ready_on"],
        )
        outbox.enqueue(
            topic="notifications.application_event",
            payload={"application_id": locked.application_id, "event": "permit_ready"},
        )
    return locked


def permit_record_pickup(*, permit: Permit, on: date, actor: User | None, note: str = "") -> Permit:
    """The holder collected the card: the pickup reminders stop (they look for cards not yet
    collected), and the card's steps are over. ``note`` is written into the audit row."""
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
        if locked.card_ready_on is not None and on < locked.card_ready_on:
            raise ApplicationError(
                _("The card cannot be collected before it was ready (%(day)s).")
                % {"day": _day(locked.card_ready_on)}
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
