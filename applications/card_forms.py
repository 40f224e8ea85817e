"""The forms of the residence card's steps on the caseworker's case page (SPEC §2, D6), and
which step comes next. They validate input only; ``applications.cards`` decides."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from permits.models import Permit


@dataclass(frozen=True)
class CardStep:
    """One of the holder's steps as the case page offers it."""

    key: str
    title: Promise
    day_label: Promise
    help: Promise
    button: Promise
    done: Promise


CARD_STEPS: dict[str, CardStep] = {
    step.key: step
    for step in (
        CardStep(
            key="entry",
            title=_("Record the day of entry"),
            day_label=_("Day the holder entered the Czech Republic"),
            help=_(
                "Applied at an embassy: biometric data are due within 30 days of entering the "
                "Czech Republic [003]; the holder is reminded of the deadline."
            ),
            button=_("Record the day of entry"),
            done=_("The day of entry is recorded."),
        ),
        CardStep(
            key="appointment",
            title=_("Book the appointment for biometric data"),
            day_label=_("Day of the appointment"),
            help=_(
                "The office arranges the day with the holder [002][003]; the holder is reminded "
                "the day before. It can be moved by booking again."
            ),
            button=_("Book the appointment"),
            done=_("The appointment for biometric data is booked."),
        ),
        CardStep(
            key="biometrics",
            title=_("Record that biometric data were taken"),
            day_label=_("Day biometric data were taken"),
            help=_(
                "The card is then to be collected within 60 days of this day [002][003]; the "
                "holder is reminded before the deadline."
            ),
            button=_("Record biometric data taken"),
            done=_("Biometric data are recorded as taken."),
        ),
        CardStep(
            key="card_ready",
            title=_("Record that the card is ready"),
            day_label=_("Day the card was ready for collection"),
            help=_(
                "The holder is told that the card is ready and by when to collect it: 60 days "
                "after biometric data were taken [002][003]."
            ),
            button=_("Record the card ready"),
            done=_("The card is recorded as ready; the holder is told."),
        ),
        CardStep(
            key="pickup",
            title=_("Record that the card was handed over"),
            day_label=_("Day the holder collected the card"),
            help=_("The reminders to collect the card stop."),
            button=_("Record the card handed over"),
            done=_("The card is recorded as collected."),
        ),
    )
}


def next_card_steps(permit: Permit, application: Application) -> list[str]:
    """The steps the card is waiting for, in order: the day of entry (applied abroad, not yet
    recorded), the appointment (booked again to move it) and the taking of biometric data
    until they are taken, then the card ready, then handed over."""
    if permit.picked_up_on is not None:
        return []
    if permit.biometrics_on is None:
        steps = ["appointment", "biometrics"]
        if application.is_abroad and permit.entered_on is None:
            steps.insert(0, "entry")
        return steps
    if permit.card_ready_on is None:
        return ["card_ready"]
    return ["pickup"]


class CardStepForm(forms.Form):
    """The day of one step and, optionally, a note for the case's record."""

    day = forms.DateField(
        # ISO in the value: a date input (type="date") shows nothing else, whatever the language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the day.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Written into the case's record, e.g. how the holder was told."),
    )

    def __init__(self, *args, step: CardStep, **kwargs) -> None:
        kwargs.setdefault("prefix", f"card-{step.key}")
        super().__init__(*args, **kwargs)
        self.fields["day"].label = str(step.day_label)
