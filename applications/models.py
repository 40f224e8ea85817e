"""The proceedings on an application and everything that happens in them.

The ``@transition`` methods only change attributes in memory: locking, saving, the audit row and
the side effects are in ``applications.services`` (one function per business action).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country, CountryField
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from accounts.constants import Language
from applications import guards, remedies
from applications.audit import AuditAction, note_for_reader
from applications.constants import (
    DECIDED_STATUSES,
    AppealResult,
    ChangeKind,
    Channel,
    Delivery,
    ExtensionResult,
    InterruptionEnd,
    Outcome,
    PowerEventKind,
    PowerScope,
    PowerSource,
    Relation,
    Remedy,
    Status,
)
from applications.query import (
    ApplicantQuerySet,
    ApplicationQuerySet,
    AuditEntryQuerySet,
    PowerOfAttorneyQuerySet,
)
from core import clock
from core.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from documents.models import file_reference as file_sub_reference
from encryption.crypto import blind_index
from encryption.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    RowKeyField,
)
from permits import deadlines, phrases

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser, PermissionsMixin

    from accounts.models import User
    from permits.models import PhraseVersion
    from permits.phrases import OfficeText

# Personal data and free text about a person are stored encrypted (``encryption.fields``), each
# value bound to its row by the row's ``row_key``; names stay in clear for the surname search,
# and states and dates for the queues.


class NameKeyField(models.CharField):
    """The person's ``name_key_of``, computed whenever the row is written (``bulk_create``
    included, which calls ``pre_save`` as ``save`` does)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 310)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = name_key_of(
            getattr(model_instance, "surname", ""), getattr(model_instance, "given_names", "")
        )
        setattr(model_instance, self.attname, value)
        return value


class Applicant(models.Model):
    """The foreign national the proceedings are about.

    Support-centre staff can create one without an account [000]; a parent's account also holds
    their minor children, whom they represent [002].
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applicants",
        verbose_name=_("account"),
    )
    relation = models.CharField(
        _("relation to the account"), max_length=10, choices=Relation.choices, default=Relation.SELF
    )
    given_names = models.CharField(_("given names"), max_length=150)
    surname = models.CharField(_("surname"), max_length=150)
    date_of_birth = EncryptedDateField(_("date of birth"))
    nationality = CountryField(_("nationality"))
    travel_document_number = EncryptedCharField(_("travel document number"), max_length=40)
    travel_document_index = BlindIndexField(
        _("travel document search index"),
        sources=["nationality", "travel_document_number"],
        help_text=_("Finds the person by nationality and document number without decrypting."),
    )
    # The date of birth is encrypted: staff search it through this index (an exact day).
    date_of_birth_index = BlindIndexField(
        _("date of birth search index"),
        sources=["date_of_birth"],
        help_text=_("Finds the person by date of birth without decrypting."),
    )
    # The name as people match it: upper case, without diacritics, single spaces
    # ("Nguyễn Văn  An" → "NGUYEN VAN AN|..."); computed on save (``name_key_of``). The name itself
    # is stored in clear, so this column reveals nothing new.
    name_key = NameKeyField(_("name for matching"))
    address = EncryptedTextField(_("address in the Czech Republic"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.CS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    row_key = RowKeyField()

    objects = ApplicantQuerySet.as_manager()

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["surname", "given_names"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(relation=Relation.SELF),
                name="applicant_one_self_per_account",
            ),
        ]
        indexes = [
            models.Index(fields=["surname", "given_names"], name="applicant_name_idx"),
            # The caseworkers' search by travel document: an exact match on the blind index.
            models.Index(fields=["travel_document_index"], name="applicant_travel_doc_bidx"),
            models.Index(fields=["date_of_birth_index"], name="applicant_born_bidx"),
            # Support staff see who may already be recorded: the same name, then the same birth.
            models.Index(fields=["name_key"], name="applicant_name_key_idx"),
            # The surname prefix search (UPPER(surname) LIKE 'KOV%') needs a pattern-ops index
            # on PostgreSQL; it is created by migration 0003 on PostgreSQL only, as SQLite has
            # no operator classes (see docs/queues.md).
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The blind indexes and the name key are computed on save; a partial save of their
        # sources must write them too.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = set(update_fields)
            if {"nationality", "travel_document_number"} & fields:
                fields.add("travel_document_index")
            if "date_of_birth" in fields:
                fields.add("date_of_birth_index")
            if {"surname", "given_names"} & fields:
                fields.add("name_key")
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"

    def age_on(self, day: date) -> int:
        return age_on(self.date_of_birth, day)

    def is_minor_on(self, day: date) -> bool:
        return self.age_on(day) < 18


# Letters that Unicode does not decompose into a base letter and a mark.
_NAME_FOLDS = str.maketrans({"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss"})


def name_key_of(surname: str, given_names: str) -> str:
    """A person's name as it is matched: diacritics and case ignored, spaces and hyphens
    collapsed, surname first ("Nováková-Smith", "Jana  Marie" → "NOVAKOVA SMITH|JANA MARIE")."""

    def fold(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", (text or "").translate(_NAME_FOLDS))
        letters = "".join(c for c in decomposed if not unicodedata.combining(c))
        return " ".join(re.split(r"[\s\-]+", letters.upper())).strip()

    return f"{fold(surname)}|{fold(given_names)}"


def age_on(born: date, day: date) -> int:
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


# Who the person is and where they live: what every filing needs to know of them
# (``selectors.applicant_missing_details``), and all a parent keeps on a child's record.
PERSON_DETAILS = (
    "given_names",
    "surname",
    "date_of_birth",
    "nationality",
    "travel_document_number",
    "address",
)
# The person's data that filing freezes onto the application (SPEC §2).
PARTY_FIELDS = (*PERSON_DETAILS, "email", "phone", "preferred_language")


@dataclass(frozen=True)
class Party:
    """The person as one case knows them: the data filed with the application, or the live
    record while the application is a draft (``Application.party``).

    It has ``Applicant``'s attribute names, so pages, letters, PDFs and exports read either
    alike. Filing freezes it (SPEC §2): a later change of the person's record does not reach a
    filed case; the person reports it to the office (``ChangeReport``) [003].
    """

    given_names: str
    surname: str
    date_of_birth: date | None
    nationality: Country
    travel_document_number: str
    address: str
    email: str
    phone: str
    preferred_language: str

    @classmethod
    def of(cls, applicant: Applicant) -> Party:
        """The person's record as it is now."""
        return cls(**{name: getattr(applicant, name) for name in PARTY_FIELDS})

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> Party:
        """Read back what ``stored`` wrote (``Application.filed_party``)."""
        born = data.get("date_of_birth")
        return cls(
            given_names=data.get("given_names") or "",
            surname=data.get("surname") or "",
            date_of_birth=date.fromisoformat(born) if born else None,
            nationality=Country(code=data.get("nationality") or ""),
            travel_document_number=data.get("travel_document_number") or "",
            address=data.get("address") or "",
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            preferred_language=data.get("preferred_language") or Language.CS,
        )

    def stored(self) -> dict[str, Any]:
        """As JSON, for an encrypted JSON field."""
        return {
            "given_names": self.given_names,
            "surname": self.surname,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "nationality": self.nationality.code or "",
            "travel_document_number": self.travel_document_number,
            "address": self.address,
            "email": self.email,
            "phone": self.phone,
            "preferred_language": self.preferred_language,
        }

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"

    def get_preferred_language_display(self) -> str:
        return str(dict(Language.choices).get(self.preferred_language, self.preferred_language))

    def age_on(self, day: date) -> int:
        if self.date_of_birth is None:
            raise ValueError("The date of birth is not known.")
        return age_on(self.date_of_birth, day)

    def is_minor_on(self, day: date) -> bool:
        return self.age_on(day) < 18


_COUNTRY_THEN_NUMBER = re.compile(r"([A-Za-z]{2})[\s:/-]+(\S.*)")


def travel_document_indexes(text: str) -> list[str]:
    """The blind indexes a search for a travel document number may match.

    A number alone may be any country's: its index under every nationality (one indexed
    ``IN`` query). "UA FE123456" names the country too, though it may also be a number that
    begins with two letters and a space, so both readings are searched.
    """
    text = text.strip()
    if not text:
        return []
    indexes = {blind_index(country.code, text) for country in countries}
    qualified = _COUNTRY_THEN_NUMBER.fullmatch(text)
    if qualified and qualified[1].upper() in countries:
        indexes.add(blind_index(qualified[1], qualified[2]))
    return sorted(indexes)


class ReferenceCounter(models.Model):
    """The per-year sequence behind reference numbers (OAM-4217/DP-2026)."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last_value = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


# django-fsm types a transition's conditions for any model and its permission for any user. It
# calls them only with the Application whose transition they guard, and the services pass the
# project's User as the actor: the guards are typed for these.
def _condition(guard: Callable[[Application], bool]) -> Callable[[models.Model], bool]:
    return cast("Callable[[models.Model], bool]", guard)


def _permission(
    guard: Callable[[Application, User], bool],
) -> Callable[[models.Model, AbstractUser | AnonymousUser | PermissionsMixin], bool]:
    return cast(
        "Callable[[models.Model, AbstractUser | AnonymousUser | PermissionsMixin], bool]", guard
    )


class Application(FSMModelMixin, models.Model):
    """An application for a permit and the administrative proceedings on it (SPEC §2)."""

    reference_number = models.CharField(
        _("reference number"), max_length=40, unique=True, null=True, blank=True
    )
    reference_year = models.PositiveSmallIntegerField(_("reference year"), null=True, blank=True)
    reference_sequence = models.PositiveIntegerField(_("reference sequence"), null=True, blank=True)
    applicant = models.ForeignKey(
        Applicant,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant"),
    )
    permit_type = models.ForeignKey(
        "permits.PermitType",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("permit type"),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    delivery = models.CharField(
        _("delivery of the decision"),
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.PORTAL,
        help_text=_(
            "In the portal the decision is delivered when first opened or on the 10th day; by "
            "post or in person, on the day of receipt recorded with its proof. A person without "
            "a portal account is always delivered to by post or in person."
        ),
    )
    status = FSMField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, protected=True
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("assigned caseworker"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    answers = EncryptedJSONField(
        _("answers"),
        default=dict,
        blank=True,
        help_text=_("The applicant's answers to the type's questions."),
    )
    # Filing freezes the person's data onto the case (SPEC §2): the office decides on what was
    # filed; a later change is a reported change in the file (ChangeReport), never a rewrite.
    filed_party = EncryptedJSONField(
        _("personal data as filed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The applicant's personal data as they stood at filing. The case shows these; a "
            "later change appears as a reported change in the file."
        ),
    )
    declarations_confirmed_at = models.DateTimeField(
        _("declarations confirmed"), null=True, blank=True
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    clock_started_on = models.DateField(
        _("decision period runs from"),
        null=True,
        blank=True,
        help_text=_("The filing day, or the day an appeal returned the case for new proceedings."),
    )
    period_days = models.PositiveSmallIntegerField(
        _("statutory period (days)"),
        null=True,
        blank=True,
        help_text=_("Taken from the catalogue when the application is filed."),
    )
    decision_due = models.DateField(
        _("decision due"),
        null=True,
        blank=True,
        help_text=_("Empty while the proceedings are interrupted: the clock is stopped."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    # Something came in that the office has not looked at yet: documents the applicant supplied
    # or uploaded after filing, or a change they reported. Set when it arrives, cleared when the
    # caseworker has checked it all (the "documents arrived" queue reads its partial index).
    arrived_at = models.DateTimeField(_("new documents or changes since"), null=True, blank=True)
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        help_text=_("Raised by every change of state, to detect concurrent edits."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    row_key = RowKeyField()

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        permissions = [
            ("process_application", _("Can process applications (caseworker)")),
            ("assign_application", _("Can assign applications (supervisor)")),
            ("file_on_behalf", _("Can file applications on behalf of applicants (support centre)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DECIDED_STATUSES, outcome__in=Outcome.values)
                | (~Q(status__in=DECIDED_STATUSES) & Q(outcome="")),
                name="application_outcome_iff_decided",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | Q(
                    reference_number__isnull=False,
                    filed_on__isnull=False,
                    period_days__isnull=False,
                ),
                name="application_filed_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(filed_party__isnull=False),
                name="application_filed_has_party",
            ),
            models.UniqueConstraint(
                fields=["reference_year", "reference_sequence"],
                name="application_reference_seq_unique",
            ),
        ]
        indexes = [
            # The caseworker queues: state + statutory deadline, optionally per assignee.
            models.Index(fields=["status", "decision_due"], name="application_queue_idx"),
            models.Index(
                fields=["assigned_to", "status", "decision_due"], name="application_assignee_idx"
            ),
            models.Index(fields=["permit_type", "status"], name="application_type_idx"),
            models.Index(fields=["applicant", "-created_at"], name="application_applicant_idx"),
            # The "new and unassigned" queue: a small index that is already in queue order.
            models.Index(
                fields=["decision_due", "id"],
                condition=Q(status=Status.FILED, assigned_to__isnull=True),
                name="application_unassigned_idx",
            ),
            # "My cases": one caseworker's open cases in deadline order, whatever their state.
            models.Index(
                fields=["assigned_to", "decision_due", "id"],
                condition=Q(status__in=[Status.FILED, Status.INTERRUPTED, Status.APPEALED]),
                name="application_my_cases_idx",
            ),
            # "My cases" narrowed to one state (an interrupted case has no due date, so in the
            # index above it would come after all the filed ones).
            models.Index(
                fields=["assigned_to", "status", "decision_due", "id"],
                condition=Q(status__in=[Status.FILED, Status.INTERRUPTED, Status.APPEALED]),
                name="application_my_state_idx",
            ),
            # "Due within 7 days" and "overdue": filed cases in deadline order, tie-breaker
            # included, so a page is read from the index without sorting a whole day's cases.
            models.Index(
                fields=["decision_due", "id"],
                condition=Q(status=Status.FILED),
                name="application_filed_due_idx",
            ),
            # "Recently decided" (newest first).
            models.Index(
                fields=["decided_on", "id"],
                condition=Q(decided_on__isnull=False),
                name="application_decided_idx",
            ),
            # "Appeals to record" (oldest decision first).
            models.Index(
                fields=["decided_on", "id"],
                condition=Q(status=Status.APPEALED),
                name="application_appeals_idx",
            ),
            # "Documents arrived": what came in first is checked first.
            models.Index(
                fields=["arrived_at", "id"],
                condition=Q(arrived_at__isnull=False),
                name="application_arrived_idx",
            ),
            # The nightly retention job: closed and withdrawn cases by the day they ended.
            models.Index(
                fields=["closed_on", "id"],
                condition=Q(status=Status.CLOSED),
                name="application_closed_idx",
            ),
            models.Index(
                fields=["withdrawn_on", "id"],
                condition=Q(status=Status.WITHDRAWN),
                name="application_withdrawn_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.reference_number or _("Draft %(pk)s") % {"pk": self.pk}

    def validate_constraints(self, exclude: Any = None) -> None:
        # The filed data is encrypted and cannot be compared in a query: "a filed case has its
        # filed data" is checked by the database alone, on the stored value.
        super().validate_constraints(exclude={*(exclude or ()), "filed_party"})

    # --- Facts the guards and pages use ----------------------------------------------------

    @property
    def party(self) -> Party:
        """The person as this case knows them: from filing on, the data as filed (SPEC §2); in
        a draft, the person's record as it is now. Every page, letter, PDF and export of a case
        reads the person from here, never from ``applicant`` directly."""
        if self.status == Status.DRAFT:
            return Party.of(self.applicant)
        return Party.from_stored(self.filed_party or {})

    def accepts_change_reports(self, *, on: date) -> bool:
        """Whether the person reports changes of their data on this case [003]: while the
        proceedings run or await the remedies (filed, interrupted, decided, appealed), and
        afterwards while the case's permit is valid. ``change_reportable`` is the same rule as a
        query."""
        if self.status in CHANGE_REPORTABLE_STATUSES:
            return True
        if self.status != Status.CLOSED:
            return False
        try:
            permit = self.permit
        except ObjectDoesNotExist:
            return False
        return permit.valid_to is None or permit.valid_to >= on

    @property
    def is_abroad(self) -> bool:
        return self.channel == Channel.EMBASSY

    @property
    def card_number(self) -> str:
        """The residence card's number: one card per application, so the reference's year and
        sequence make it unique."""
        if self.reference_year is None or self.reference_sequence is None:
            raise ValueError("An application has a card number only once it is filed.")
        return f"RP{self.reference_year % 100:02d}{self.reference_sequence:07d}"

    @property
    def open_interruption(self) -> Interruption | None:
        # Works from a prefetch of ``interruptions`` when a selector supplied one.
        return next((i for i in self.interruptions.all() if i.ended_on is None), None)

    @property
    def delivers_in_portal(self) -> bool:
        """Whether the portal's delivery rules (first opening, the 10-day rule) apply (D3): only
        to a person with an account who did not ask for paper. ``portal_delivery`` is the same
        rule as a query."""
        return self.delivery == Delivery.PORTAL and self.applicant.account_id is not None

    @property
    def current_decision(self) -> Decision | None:
        decisions = sorted(self.decisions.all(), key=lambda d: d.decided_at, reverse=True)
        return decisions[0] if decisions else None

    # --- The state machine (SPEC §2) -------------------------------------------------------

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.FILED,
        conditions=[_condition(guards.filing_ready)],
        permission=_permission(guards.may_file),
        custom={"label": _("File")},
    )
    def file(self, *, filed_at: datetime, reference: tuple[int, int, str]) -> None:
        year, sequence, number = reference
        self.reference_year, self.reference_sequence, self.reference_number = year, sequence, number
        self.filed_at = filed_at
        self.filed_on = clock.local_date(filed_at)
        self.clock_started_on = self.filed_on
        self.period_days = self.permit_type.decision_period_for(abroad=self.is_abroad)
        self.decision_due = deadlines.decision_due(self.clock_started_on, self.period_days, [])

    @transition(
        field=status,
        source=Status.FILED,
        target=Status.INTERRUPTED,
        permission=_permission(guards.may_act_on_case),
        custom={"label": _("Interrupt proceedings")},
    )
    def interrupt(self) -> None:
        # The clock stops: no due date while the interruption is open (D2).
        self.decision_due = None

    @transition(
        field=status,
        source=Status.INTERRUPTED,
        target=Status.FILED,
        permission=_permission(guards.may_act_on_case),
        custom={"label": _("Resume proceedings")},
    )
    def resume(self, *, interruptions: list[tuple[date, date | None]]) -> None:
        self.decision_due = self.compute_decision_due(interruptions)

    @transition(
        field=status,
        source=Status.FILED,
        target=Status.DECIDED,
        conditions=[_condition(guards.outcome_supported)],
        permission=_permission(guards.may_decide),
        custom={"label": _("Decide")},
    )
    def decide(self, *, outcome: Outcome, decided_on: date) -> None:
        self.outcome = outcome
        self.decided_on = decided_on
        self.decision_due = None

    @transition(
        field=status,
        source=Status.INTERRUPTED,
        target=Status.DECIDED,
        conditions=[_condition(guards.interruption_deadline_passed)],
        permission=_permission(guards.may_stop),
        custom={"label": _("Stop proceedings")},
    )
    def stop(self, *, decided_on: date) -> None:
        self.outcome = Outcome.STOPPED
        self.decided_on = decided_on
        self.decision_due = None

    @transition(
        field=status,
        source=Status.DECIDED,
        target=Status.APPEALED,
        conditions=[_condition(guards.within_appeal_period)],
        permission=_permission(guards.may_act_as_applicant),
        custom={"label": _("Appeal")},
    )
    def appeal(self) -> None:
        pass

    @transition(
        field=status,
        source=Status.DECIDED,
        target=Status.CLOSED,
        conditions=[_condition(guards.appeal_period_over)],
        permission=_permission(guards.may_run_system_step),
        custom={"label": _("Finalize (decision in legal effect)")},
    )
    def finalize(self, *, closed_on: date) -> None:
        self.closed_on = closed_on

    @transition(
        field=status,
        source=Status.APPEALED,
        target=RETURN_VALUE(Status.CLOSED, Status.FILED),
        permission=_permission(guards.may_act_on_case),
        custom={"label": _("Record the appeal's result")},
    )
    def resolve_appeal(self, *, result: AppealResult, on: date) -> str:
        if result == AppealResult.RETURNED:
            # New proceedings: the decision period runs again from the day the case came back.
            self.outcome = ""
            self.decided_on = None
            self.clock_started_on = on
            self.decision_due = deadlines.decision_due(on, self.period_days or 60, [])
            return Status.FILED
        self.closed_on = on
        return Status.CLOSED

    @transition(
        field=status,
        source=[Status.FILED, Status.INTERRUPTED],
        target=Status.WITHDRAWN,
        permission=_permission(guards.may_act_as_applicant),
        custom={"label": _("Withdraw")},
    )
    def withdraw(self, *, on: date) -> None:
        self.withdrawn_on = on
        self.decision_due = None

    def compute_decision_due(self, interruptions: list[tuple[date, date | None]]) -> date | None:
        """D2 over the interruptions of the current proceedings."""
        if self.clock_started_on is None or self.period_days is None:
            return None
        current = [(start, end) for start, end in interruptions if start >= self.clock_started_on]
        return deadlines.decision_due(self.clock_started_on, self.period_days, current)


# The states in which a change of the person's data is reported on the case (the proceedings
# and the remedies); a closed case takes reports while its permit is valid.
CHANGE_REPORTABLE_STATUSES = (Status.FILED, Status.INTERRUPTED, Status.DECIDED, Status.APPEALED)


def change_reportable(*, today: date, prefix: str = "") -> Q:
    """``Application.accepts_change_reports`` as a filter; ``prefix`` is the path to the
    application."""
    valid_permit = Q(**{f"{prefix}status": Status.CLOSED, f"{prefix}permit__isnull": False}) & (
        Q(**{f"{prefix}permit__valid_to__isnull": True})
        | Q(**{f"{prefix}permit__valid_to__gte": today})
    )
    return Q(**{f"{prefix}status__in": CHANGE_REPORTABLE_STATUSES}) | valid_permit


def portal_delivery(prefix: str = "") -> Q:
    """``Application.delivers_in_portal`` as a filter; ``prefix`` is the path to the application
    (``"application__"`` from a decision)."""
    return Q(**{f"{prefix}delivery": Delivery.PORTAL, f"{prefix}applicant__account__isnull": False})


def _used_versions(instance: models.Model) -> list[PhraseVersion]:
    """The catalogue versions an interruption or decision cites, in order; from a prefetch of
    ``phrase_uses__phrase_version`` when a selector made one."""
    cache = getattr(instance, "_prefetched_objects_cache", {})
    uses = (
        cache["phrase_uses"]
        if "phrase_uses" in cache
        else instance.phrase_uses.select_related("phrase_version")  # type: ignore[attr-defined]
    )
    return [use.phrase_version for use in sorted(uses, key=lambda use: use.position)]


class Interruption(models.Model):
    """An interruption of the proceedings (přerušení řízení) pending documents [002]."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="interruptions",
        verbose_name=_("application"),
    )
    # The complete Czech text of record: the catalogue phrases' Czech, then the free text.
    reason = EncryptedTextField(_("reason"))
    # What it was composed of (``permits.phrases``): the catalogue's versions, in order, which
    # the applicant reads in their language, and the office's own words in Czech, with the
    # caseworker's translation of them if given.
    phrases = models.ManyToManyField(
        "permits.PhraseVersion",
        through="InterruptionPhrase",
        related_name="+",
        blank=True,
        verbose_name=_("phrases from the catalogue"),
    )
    reason_free_text = EncryptedTextField(_("reason in the office's own words"), blank=True)
    reason_translation = EncryptedTextField(_("caseworker's translation of them"), blank=True)
    reason_translation_language = models.CharField(
        _("language of the translation"), max_length=5, choices=Language.choices, blank=True
    )
    requested_kinds = models.ManyToManyField(
        "permits.DocumentKind", related_name="+", blank=True, verbose_name=_("requested documents")
    )
    started_on = models.DateField(_("interrupted on"))
    deadline = models.DateField(_("documents due by"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("how it ended"), max_length=10, choices=InterruptionEnd.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("interrupted by"),
    )
    # Who signs the resolution (usnesení, Administrative Procedure Code § 64 and § 69(1), outside
    # the seeds): the official's name and function as they stood when it was issued.
    signed_name = models.CharField(_("signed by (name)"), max_length=300, blank=True)
    signed_function = models.CharField(_("signed by (function)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    row_key = RowKeyField()

    class Meta:
        verbose_name = _("interruption")
        verbose_name_plural = _("interruptions")
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(ended_on__isnull=True),
                name="interruption_one_open_per_application",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("started_on")), name="interruption_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="")
                | Q(ended_on__gte=F("started_on"), end_reason__in=InterruptionEnd.values),
                name="interruption_end_consistent",
            ),
        ]
        indexes = [
            # Sweeps for open interruptions by document deadline.
            models.Index(
                fields=["deadline"],
                condition=Q(ended_on__isnull=True),
                name="interruption_open_deadline_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.started_on:%Y-%m-%d}"

    def office_text(self, language: str | None) -> OfficeText:
        """The reason as a reader of ``language`` reads it (``permits.phrases``)."""
        return phrases.office_text(
            record=self.reason,
            versions=_used_versions(self),
            free_text=self.reason_free_text,
            translation=self.reason_translation,
            translation_language=self.reason_translation_language,
            language=language,
        )

    @property
    def open_extension(self) -> DeadlineExtension | None:
        """The request for more time still awaiting an answer, if any (one at most)."""
        # Works from a prefetch of ``extensions`` when a selector supplied one.
        return next((e for e in self.extensions.all() if not e.result), None)


class Decision(models.Model):
    """A decision in the proceedings and its delivery (SPEC §2, D3, D4)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("application"),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # The complete Czech text of record, as for ``Interruption.reason``; the parts below.
    reasoning = EncryptedTextField(_("reasoning"), blank=True)
    phrases = models.ManyToManyField(
        "permits.PhraseVersion",
        through="DecisionPhrase",
        related_name="+",
        blank=True,
        verbose_name=_("phrases from the catalogue"),
    )
    reasoning_free_text = EncryptedTextField(_("reasoning in the office's own words"), blank=True)
    reasoning_translation = EncryptedTextField(_("caseworker's translation of them"), blank=True)
    reasoning_translation_language = models.CharField(
        _("language of the translation"), max_length=5, choices=Language.choices, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    valid_from = models.DateField(_("permit valid from"), null=True, blank=True)
    valid_to = models.DateField(_("permit valid to"), null=True, blank=True)
    language = models.CharField(
        _("applicant's language"), max_length=5, choices=Language.choices, default=Language.CS
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # The signature block (Administrative Procedure Code § 69(1), outside the seeds): the name,
    # surname and function of the official, as they stood when the decision was issued.
    signed_name = models.CharField(_("signed by (name)"), max_length=300, blank=True)
    signed_function = models.CharField(_("signed by (function)"), max_length=150, blank=True)
    # The remedy the decision allows, fixed when it is issued (SPEC §2 ``appeal``).
    remedy = models.CharField(
        _("remedy"), max_length=12, choices=Remedy.choices, default=Remedy.APPEAL
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    decided_on = models.DateField(_("decided on"))
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("decision document (PDF)"),
    )
    made_available_on = models.DateField(_("made available on"), null=True, blank=True)
    opened_on = models.DateField(_("first opened on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    appeal_due = models.DateField(_("appeal due"), null=True, blank=True)
    delivery_proof = models.OneToOneField(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proof of delivery"),
        help_text=_(
            "A decision delivered by post or in person: the scanned delivery receipt "
            "(doručenka) or the signed record of handing it over, filed in the case."
        ),
    )
    row_key = RowKeyField()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.GRANTED) | Q(valid_from__isnull=False),
                name="decision_grant_has_validity",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="decision_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.GRANTED) | ~Q(reasoning=""),
                name="decision_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=Q(delivered_on__isnull=True) | Q(appeal_due__isnull=False),
                name="decision_delivered_has_appeal_due",
            ),
        ]
        indexes = [
            models.Index(fields=["appeal_due"], name="decision_appeal_due_idx"),
            models.Index(
                fields=["made_available_on"],
                condition=Q(delivered_on__isnull=True),
                name="decision_undelivered_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_outcome_display()}"

    def validate_constraints(self, exclude: Any = None) -> None:
        # The reasoning is encrypted and cannot be compared in a query: "a refusal has reasons"
        # is checked by the database alone, on the stored value (an empty one stays empty).
        super().validate_constraints(exclude={*(exclude or ()), "reasoning"})

    def office_text(self, language: str | None) -> OfficeText:
        """The reasoning as a reader of ``language`` reads it (``permits.phrases``)."""
        return phrases.office_text(
            record=self.reasoning,
            versions=_used_versions(self),
            free_text=self.reasoning_free_text,
            translation=self.reasoning_translation,
            translation_language=self.reasoning_translation_language,
            language=language,
        )

    @property
    def expected_delivery_on(self) -> date | None:
        """The day delivery happens if nobody opens the decision first (D3); none for a decision
        delivered on paper, which is delivered on the day of receipt."""
        if self.made_available_on is None or not self.application.delivers_in_portal:
            return None
        return deadlines.delivery_date(self.made_available_on, self.opened_on)


class PhraseUse(models.Model):
    """A catalogue phrase a text of the office cites, at its place in the text; the version,
    so that the text reads as it did when it was issued."""

    phrase_version = models.ForeignKey(
        "permits.PhraseVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phrase version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        abstract = True


class InterruptionPhrase(PhraseUse):
    """A phrase an interruption's reason cites."""

    interruption = models.ForeignKey(
        Interruption,
        on_delete=models.CASCADE,
        related_name="phrase_uses",
        verbose_name=_("interruption"),
    )

    class Meta:
        verbose_name = _("phrase of an interruption")
        verbose_name_plural = _("phrases of interruptions")
        ordering = ["interruption", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["interruption", "position"], name="interruption_phrase_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interruption_id} #{self.position}: {self.phrase_version_id}"


class DecisionPhrase(PhraseUse):
    """A phrase a decision's reasoning cites."""

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="phrase_uses", verbose_name=_("decision")
    )

    class Meta:
        verbose_name = _("phrase of a decision")
        verbose_name_plural = _("phrases of decisions")
        ordering = ["decision", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "position"], name="decision_phrase_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} #{self.position}: {self.phrase_version_id}"


class Appeal(models.Model):
    """A remedy lodged against a decision within 15 days of its delivery (D4): an appeal [002],
    or for a refused long-term visa a request for re-assessment of the reasons [003]."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("application")
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="appeal", verbose_name=_("decision")
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=[
            (Remedy.APPEAL.value, Remedy.APPEAL.label),
            (Remedy.REASSESSMENT.value, Remedy.REASSESSMENT.label),
        ],
        default=Remedy.APPEAL,
    )
    grounds = EncryptedTextField(_("grounds"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("lodged by"),
    )
    lodged_at = models.DateTimeField(_("lodged at"), default=timezone.now)
    lodged_on = models.DateField(_("lodged on"))
    # A request for re-assessment is answered within 60 days [003]; an appeal has no date here.
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AppealResult.choices, blank=True)
    result_note = EncryptedTextField(_("note on the result"), blank=True)
    result_recorded_at = models.DateTimeField(_("result recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    row_key = RowKeyField()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-lodged_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result="", result_recorded_at__isnull=True)
                | (~Q(result="") & Q(result_recorded_at__isnull=False)),
                name="appeal_result_recorded_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.lodged_on:%Y-%m-%d}"

    @property
    def result_label(self) -> str:
        """The result in the words of the remedy's kind: a re-assessment's confirms or sets
        aside the reasons for a refusal, an appeal's is the Commission's (``remedies``)."""
        return remedies.result_label(self.kind, self.result)


class DeadlineExtension(models.Model):
    """A request for more time to supply the documents of an interruption, and its answer.

    Before the deadline passes the applicant may ask for a longer one, giving a reason; the
    caseworker grants a new deadline or refuses, by a resolution filed in the case
    (Administrative Procedure Code § 39(2), outside the seeds; SPEC §2 ``interrupt``). The
    decision clock stays halted either way; a granted deadline becomes the interruption's.
    """

    interruption = models.ForeignKey(
        Interruption,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name=_("interruption"),
    )
    reason = EncryptedTextField(_("reason for the request"))
    requested_until = models.DateField(_("deadline asked for"), null=True, blank=True)
    deadline_before = models.DateField(_("deadline when asked"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    requested_on = models.DateField(_("asked on"))
    result = models.CharField(
        _("answer"), max_length=10, choices=ExtensionResult.choices, blank=True
    )
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    answer_reason = EncryptedTextField(_("reasons of the answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    signed_name = models.CharField(_("signed by (name)"), max_length=300, blank=True)
    signed_function = models.CharField(_("signed by (function)"), max_length=150, blank=True)
    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadline_extension",
        verbose_name=_("resolution (PDF)"),
    )
    row_key = RowKeyField()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["interruption"],
                condition=Q(result=""),
                name="extension_one_open_per_interruption",
            ),
            models.CheckConstraint(
                condition=Q(result="", answered_at__isnull=True, new_deadline__isnull=True)
                | Q(
                    result=ExtensionResult.REFUSED,
                    answered_at__isnull=False,
                    new_deadline__isnull=True,
                )
                | Q(
                    result=ExtensionResult.GRANTED,
                    answered_at__isnull=False,
                    new_deadline__gt=F("deadline_before"),
                ),
                name="extension_answer_consistent",
            ),
        ]
        indexes = [
            # The caseworker's queue of unanswered requests.
            models.Index(
                fields=["requested_at"],
                condition=Q(result=""),
                name="extension_open_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interruption} — {self.requested_on:%Y-%m-%d}"


class AuditEntry(AppendOnlyModel):
    """One row per change of state or other action on a case: append-only (SPEC §2)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        verbose_name=_("application"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Empty when the system acted (a periodic job)."),
    )
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    # The notes repeat what the person or the office wrote (reasons, grounds): encrypted too.
    note = EncryptedTextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    row_key = RowKeyField()

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["application", "created_at"], name="audit_application_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def note_for_reader(self) -> str:
        """The note as the staff timeline shows it: a system note in the reader's language."""
        return note_for_reader(self)


class CaseNote(AppendOnlyModel):
    """An internal note on a case: staff only, never shown to the applicant. Append-only, like
    the audit: a note that was wrong is answered by another note, not edited away."""

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="notes",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    row_key = RowKeyField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="casenote_application_idx")
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.application}"


# The fields each kind of reported change carries: the data in the travel document, or the
# address (D6: their periods differ) [003].
CHANGE_FIELDS: dict[str, tuple[str, ...]] = {
    ChangeKind.PERSONAL_DATA: (
        "given_names",
        "surname",
        "date_of_birth",
        "nationality",
        "travel_document_number",
    ),
    ChangeKind.ADDRESS: ("address",),
}


# The audit action of each kind of reported change: the timelines name them in words.
CHANGE_REPORTED_ACTIONS: dict[str, AuditAction] = {
    ChangeKind.PERSONAL_DATA: AuditAction.DATA_CHANGE_REPORTED,
    ChangeKind.ADDRESS: AuditAction.ADDRESS_CHANGE_REPORTED,
}


class ChangeReport(models.Model):
    """A change of the person's data reported to the office after filing (oznámení změny
    údajů): "Any changes to your data must be reported to the office within three days. The
    general deadline for reporting a change of address is longer - it is 30 days." [003]

    A submission in the file with its own number (shared with the documents' sub-numbers),
    never a rewrite of what was filed (SPEC §2): the case keeps showing the data as filed, and
    the caseworker sees the two side by side. Documents handed in with it (the new passport)
    are documents in the file.
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="change_reports",
        verbose_name=_("application"),
    )
    sub_number = models.PositiveIntegerField(
        _("sub-number"),
        help_text=_("The report's number in the file, in one sequence with the documents."),
    )
    kind = models.CharField(_("what changed"), max_length=10, choices=ChangeKind.choices)
    data = EncryptedJSONField(
        _("reported data"),
        default=dict,
        help_text=_("The new values, as the person reported them."),
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    attachments = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="change_reports",
        verbose_name=_("attachments"),
        help_text=_("Documents handed in with the report, e.g. the new travel document."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    row_key = RowKeyField()

    class Meta:
        verbose_name = _("reported change")
        verbose_name_plural = _("reported changes")
        ordering = ["reported_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "sub_number"], name="change_report_sub_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="change_report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True)
                | Q(acknowledged_at__gte=F("reported_at")),
                name="change_report_acknowledged_after_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_reference}: {self.get_kind_display()}"

    @property
    def file_reference(self) -> str:
        """The report's number in the Ministry's style: OAM-4217-5/DP-2026."""
        return file_sub_reference(self.application.reference_number, self.sub_number)

    @property
    def reported_on(self) -> date:
        return clock.local_date(self.reported_at)

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def fields(self) -> tuple[str, ...]:
        return CHANGE_FIELDS[self.kind]

    @property
    def values(self) -> dict[str, Any]:
        """The reported values as ``Party`` holds them (a date, a ``Country``)."""
        data = self.data or {}
        values: dict[str, Any] = {}
        for name in self.fields:
            value = data.get(name, "")
            if name == "date_of_birth":
                value = date.fromisoformat(value) if value else None
            elif name == "nationality":
                value = Country(code=value or "")
            values[name] = value
        return values


class PowerOfAttorney(models.Model):
    """A power of attorney (plná moc): a person lets an organisation or a named person act for
    them in their proceedings (Administrative Procedure Code §§ 33 and 34, outside the seeds).

    Given online by the person, confirmed with their second factor, it counts at once; a signed
    paper one uploaded by the representative counts only once a caseworker has verified it.
    Either side ends it, with effect at once. While one covers a case, the representative acts
    in it and decisions are delivered to them (SPEC §1, D3).
    """

    applicant = models.ForeignKey(
        Applicant,
        on_delete=models.PROTECT,
        related_name="powers_of_attorney",
        verbose_name=_("person represented"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="powers_of_attorney",
        verbose_name=_("organisation"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="powers_of_attorney_held",
        verbose_name=_("representative"),
    )
    scope = models.CharField(_("scope"), max_length=12, choices=PowerScope.choices)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="powers_of_attorney",
        verbose_name=_("application"),
    )
    permit_type = models.ForeignKey(
        "permits.PermitType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("permit type"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("given as"), max_length=10, choices=PowerSource.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    confirmed_at = models.DateTimeField(
        _("confirmed with the second factor at"), null=True, blank=True
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed power of attorney"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("why it was refused"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = PowerOfAttorneyQuerySet.as_manager()

    class Meta:
        verbose_name = _("power of attorney")
        verbose_name_plural = _("powers of attorney")
        ordering = ["-created_at", "-pk"]
        permissions = [("verify_power", _("Can verify or refuse an uploaded power of attorney"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, representative__isnull=False)
                | Q(organisation__isnull=False, representative__isnull=True),
                name="power_one_holder",
            ),
            models.CheckConstraint(
                condition=Q(
                    scope=PowerScope.CASE, application__isnull=False, permit_type__isnull=True
                )
                | Q(
                    scope=PowerScope.PERMIT_TYPE,
                    application__isnull=True,
                    permit_type__isnull=False,
                )
                | Q(scope=PowerScope.ALL, application__isnull=True, permit_type__isnull=True),
                name="power_scope_consistent",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="power_valid_to_after_from",
            ),
            models.CheckConstraint(
                condition=Q(source=PowerSource.ONLINE, document__isnull=True)
                | Q(source=PowerSource.PAPER, document__isnull=False, confirmed_at__isnull=True),
                name="power_source_consistent",
            ),
        ]
        indexes = [
            # Who may act on a case: every representative request reads these (``covering``).
            models.Index(
                fields=["applicant", "scope"],
                condition=Q(ended_at__isnull=True, refused_at__isnull=True),
                name="power_current_applicant_idx",
            ),
            models.Index(
                fields=["organisation"],
                condition=Q(ended_at__isnull=True, refused_at__isnull=True),
                name="power_current_org_idx",
            ),
            models.Index(
                fields=["representative"],
                condition=Q(ended_at__isnull=True, refused_at__isnull=True),
                name="power_current_person_idx",
            ),
            # The caseworkers' queue of uploaded powers waiting for verification.
            models.Index(
                fields=["created_at"],
                condition=Q(
                    source=PowerSource.PAPER,
                    verified_at__isnull=True,
                    refused_at__isnull=True,
                    ended_at__isnull=True,
                ),
                name="power_to_verify_idx",
            ),
        ]

    def __str__(self) -> str:
        holder = self.organisation or self.representative
        return f"{self.applicant_id} → {holder}"

    @property
    def holder_name(self) -> str:
        if self.organisation is not None:
            return self.organisation.name
        if self.representative is not None:
            return self.representative.get_full_name() or self.representative.email
        return ""


class PowerOfAttorneyEvent(AppendOnlyModel):
    """One step in a power of attorney's life: who, when, what (append-only)."""

    power = models.ForeignKey(
        PowerOfAttorney,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("power of attorney"),
    )
    kind = models.CharField(_("what"), max_length=10, choices=PowerEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("power of attorney event")
        verbose_name_plural = _("power of attorney log")
        ordering = ["power", "at", "pk"]
        indexes = [models.Index(fields=["power", "at"], name="power_event_idx")]

    def __str__(self) -> str:
        return f"{self.power_id}: {self.get_kind_display()}"
