from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from applications.admin import ReasonForm, ServiceAction, ServiceActionsAdmin
from permits.models import DocumentKind, Permit, PermitRequirement, PermitType
from permits.services import permit_record_biometrics, permit_record_entry, permit_record_pickup


class PermitRequirementInline(admin.TabularInline):
    model = PermitRequirement
    extra = 0
    autocomplete_fields = ["document_kind"]


@admin.register(PermitType)
class PermitTypeAdmin(TabbedTranslationAdmin):
    list_display = [
        "code",
        "short_code",
        "name",
        "purpose",
        "decision_period_days",
        "decision_period_days_abroad",
        "max_validity_months",
        "fee_czk",
        "handled_by_office",
        "is_active",
    ]
    list_filter = ["purpose", "handled_by_office", "is_active", "can_file_at_embassy"]
    search_fields = ["code", "short_code", "name"]
    list_editable = ["decision_period_days", "decision_period_days_abroad", "is_active"]
    inlines = [PermitRequirementInline]


@admin.register(DocumentKind)
class DocumentKindAdmin(TabbedTranslationAdmin):
    list_display = ["code", "name", "sort_order"]
    search_fields = ["code", "name"]


# --- Issued permits: read-only, with the holder's steps recorded through the services ------


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def _date_field(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label, help_text=help_text, widget=forms.DateInput(attrs={"type": "date"})
    )


class EntryForm(ReasonForm):
    entered_on = _date_field(
        _("Day of entry"),
        _("The day the holder entered the Czech Republic, as their travel document shows."),
    )


class BiometricsForm(ReasonForm):
    taken_on = _date_field(_("Day biometric data were taken"), "")


class PickupForm(ReasonForm):
    picked_up_on = _date_field(_("Day the card was collected"), "")


# The permit's services check no permission of their own: these steps were edits of the permit
# before, and need the permission to change one.
RECORD_ON_PERMIT = "permits.change_permit"

PERMIT_ACTIONS: list[ServiceAction] = [
    ServiceAction(
        name="entry",
        label=_("Record the day of entry"),
        explanation=_(
            "For a holder who applied abroad: the day they entered the Czech Republic. "
            "Biometric data are then due within 30 days, and the holder is reminded."
        ),
        form_class=EntryForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_entry(
            permit=permit, entered_on=data["entered_on"], actor=user, note=data["reason"]
        ),
        done=lambda permit, data, recorded: (
            gettext(
                "The day of entry of card %(number)s is recorded (%(day)s); biometric data are due "
                "by %(due)s."
            )
            % {
                "number": permit.number,
                "day": _day(recorded.entered_on),
                "due": _day(recorded.biometrics_due),
            }
        ),
        offered=lambda permit, user: permit.biometrics_on is None,
    ),
    ServiceAction(
        name="biometrics",
        label=_("Record the day biometric data were taken"),
        explanation=_(
            "The card is then to be collected within 60 days; the holder is told where and by when."
        ),
        form_class=BiometricsForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_biometrics(
            permit=permit, on=data["taken_on"], actor=user, note=data["reason"]
        ),
        done=lambda permit, data, recorded: (
            gettext(
                "Biometric data for card %(number)s are recorded as taken on %(day)s; the card is "
                "to be collected by %(due)s."
            )
            % {
                "number": permit.number,
                "day": _day(recorded.biometrics_on),
                "due": _day(recorded.pickup_due),
            }
        ),
        offered=lambda permit, user: permit.picked_up_on is None,
    ),
    ServiceAction(
        name="pickup",
        label=_("Record that the card was collected"),
        explanation=_("The holder collected the card: the reminders to collect it stop."),
        form_class=PickupForm,
        permission=RECORD_ON_PERMIT,
        run=lambda permit, user, data: permit_record_pickup(
            permit=permit, on=data["picked_up_on"], actor=user, note=data["reason"]
        ),
        done=lambda permit, data, recorded: (
            gettext("Card %(number)s is recorded as collected on %(day)s.")
            % {"number": permit.number, "day": _day(recorded.picked_up_on)}
        ),
        offered=lambda permit, user: (
            permit.biometrics_on is not None and permit.picked_up_on is None
        ),
    ),
]


@admin.register(Permit)
class PermitAdmin(ServiceActionsAdmin):
    """Issued by a grant (``application_decide``) and read-only here: its validity is the
    decision's. The holder's later steps are recorded by the buttons, through the services."""

    service_actions = PERMIT_ACTIONS
    list_display = ["number", "holder", "permit_type", "valid_from", "valid_to", "pickup_due"]
    list_select_related = ["holder", "permit_type"]
    list_filter = ["permit_type"]
    search_fields = ["number", "application__reference_number", "holder__surname"]
    date_hierarchy = "valid_from"
    readonly_fields = ["biometrics_due", "pickup_due"]

    def service_action_summary(self, obj: Permit) -> list[tuple[Any, Any]]:
        return [
            (_("Card number"), obj.number),
            (_("Permit type"), obj.permit_type),
            (_("Valid from"), _day(obj.valid_from)),
            (_("Valid to"), _day(obj.valid_to)),
            (_("Day of entry"), _day(obj.entered_on)),
            (_("Biometric data taken"), _day(obj.biometrics_on)),
            (_("Card collected"), _day(obj.picked_up_on)),
        ]
