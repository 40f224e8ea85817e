from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from permits import deadlines
from permits.constants import Purpose, RequirementCondition
from permits.query import PermitTypeManager


class DocumentKind(models.Model):
    """A kind of document an applicant may have to bring (travel document, photograph, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(
        _("what is acceptable"),
        blank=True,
        help_text=_(
            "Shown to applicants next to the upload: originals, translations, certification."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    # Declared (not assigned: Django still adds its default manager) because modeltranslation
    # swaps the manager's class at start-up, so the django-stubs plugin cannot infer its type.
    objects: ClassVar[models.Manager[DocumentKind]]

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class PermitType(models.Model):
    """One kind of visa or residence permit the office decides on (SPEC §4)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    short_code = models.CharField(
        _("short code"),
        max_length=4,
        help_text=_("Used in reference numbers, e.g. DP in OAM-4217/DP-2026."),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    guidance = models.TextField(_("guidance"), blank=True)
    decision_period_days = models.PositiveSmallIntegerField(
        _("decision period (days), filed in the Czech Republic"),
        default=60,
        help_text=_(
            "The statutory period for the decision; halted while proceedings are interrupted."
        ),
    )
    decision_period_days_abroad = models.PositiveSmallIntegerField(
        _("decision period (days), filed at an embassy"), default=180
    )
    max_validity_months = models.PositiveSmallIntegerField(
        _("maximum validity (months)"),
        null=True,
        blank=True,
        help_text=_(
            "A granted permit cannot be valid for longer. Empty: no limit in the catalogue."
        ),
    )
    fee_czk = models.PositiveIntegerField(_("fee (CZK)"), null=True, blank=True)
    fee_note = models.TextField(_("fee note"), blank=True)
    can_file_online = models.BooleanField(_("can be filed online"), default=True)
    can_file_in_country = models.BooleanField(_("can be filed in the Czech Republic"), default=True)
    can_file_at_embassy = models.BooleanField(_("can be filed at an embassy"), default=False)
    handled_by_office = models.BooleanField(
        _("handled by this office"),
        default=True,
        help_text=_("Off for permits of other authorities: the portal shows guidance, not a form."),
    )
    competent_authority = models.TextField(_("where to go instead"), blank=True)
    sources = models.CharField(_("sources"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    document_kinds = models.ManyToManyField(
        DocumentKind,
        through="PermitRequirement",
        related_name="permit_types",
        verbose_name=_("document kinds"),
    )

    # Typed explicitly: modeltranslation swaps the manager's class at start-up, so the
    # django-stubs plugin cannot infer it.
    objects: ClassVar[PermitTypeManager[PermitType]] = PermitTypeManager()

    class Meta:
        verbose_name = _("permit type")
        verbose_name_plural = _("permit types")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_period_days__gt=0) & Q(decision_period_days_abroad__gt=0),
                name="permit_type_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def decision_period_for(self, *, abroad: bool) -> int:
        """The statutory decision period for an application filed here or at an embassy [002]."""
        return self.decision_period_days_abroad if abroad else self.decision_period_days


class PermitRequirement(models.Model):
    """A document kind required for a permit type, and when."""

    permit_type = models.ForeignKey(
        PermitType,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("permit type"),
    )
    document_kind = models.ForeignKey(
        DocumentKind,
        on_delete=models.PROTECT,
        related_name="requirements",
        verbose_name=_("document kind"),
    )
    condition = models.CharField(
        _("condition"),
        max_length=20,
        choices=RequirementCondition.choices,
        default=RequirementCondition.ALWAYS,
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["permit_type", "document_kind__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit_type", "document_kind"], name="permit_requirement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type.code}: {self.document_kind.code} ({self.condition})"


class Permit(models.Model):
    """The residence card a granted application yields (SPEC §2)."""

    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="permit",
        verbose_name=_("application"),
    )
    number = models.CharField(_("card number"), max_length=20, unique=True)
    permit_type = models.ForeignKey(
        PermitType, on_delete=models.PROTECT, verbose_name=_("permit type")
    )
    holder = models.ForeignKey(
        "applications.Applicant",
        on_delete=models.PROTECT,
        related_name="permits",
        verbose_name=_("holder"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    entered_on = models.DateField(
        _("entered the Czech Republic on"),
        null=True,
        blank=True,
        help_text=_("For applications filed abroad: biometrics are due within 30 days [003]."),
    )
    biometrics_due = models.DateField(
        _("biometrics due by"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("30 days after entering the Czech Republic [003]."),
    )
    biometrics_appointment_on = models.DateField(
        _("biometrics appointment booked for"), null=True, blank=True
    )
    biometrics_on = models.DateField(_("biometric data taken on"), null=True, blank=True)
    card_ready_on = models.DateField(_("card ready on"), null=True, blank=True)
    pickup_due = models.DateField(
        _("card pickup deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("60 days after the biometrics appointment [002][003]."),
    )
    picked_up_on = models.DateField(_("picked up on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")
        ordering = ["-created_at"]
        indexes = [
            # The appointment reminders: booked appointments whose data are not taken yet.
            models.Index(
                fields=["biometrics_appointment_on"],
                condition=Q(biometrics_on__isnull=True),
                name="permit_appointment_pending_idx",
            ),
            # Permits ending soon (an organisation's list of extensions to file in time).
            models.Index(fields=["valid_to"], name="permit_valid_to_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="permit_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(entered_on__isnull=True, biometrics_due__isnull=True)
                | Q(entered_on__isnull=False, biometrics_due__gte=F("entered_on")),
                name="permit_biometrics_due_from_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def record_entry(self, day: date) -> None:
        """The holder entered the Czech Republic: biometrics are due within 30 days [003]."""
        self.entered_on = day
        self.biometrics_due = deadlines.biometrics_due(day)

    def set_biometrics(self, day: date) -> None:
        self.biometrics_on = day
        self.pickup_due = deadlines.card_pickup_due(day)


# --- The office's phrase catalogue -------------------------------------------------------------


class PhrasePurpose(models.TextChoices):
    """Where a standard text of the office is used."""

    INTERRUPTION = "interruption", _("Reason for an interruption")
    REJECTION = "rejection", _("Reasoning of a rejection")
    STOP = "stop", _("Reasoning of a stop of the proceedings")
    GRANT_NEXT_STEPS = "grant_next_steps", _("Next steps after a grant")


class PhraseSituation(models.TextChoices):
    """What is wrong with a requested document (reasons for an interruption)."""

    MISSING = "missing", _("Missing")
    EXPIRED = "expired", _("Expired")
    ILLEGIBLE = "illegible", _("Illegible or incomplete copy")
    NOT_MATCHING = "not_matching", _("Does not match the application")
    TRANSLATION_MISSING = "translation_missing", _("Translation missing")


# The five languages every version of a phrase is written in: Czech, the language of record,
# first (the columns ``text_<code>``, as ``permits.translation`` names the catalogue's).
PHRASE_LANGUAGES = ("cs", "en", "uk", "vi", "ru")


class Phrase(models.Model):
    """A standard text of the office (a reason for an interruption, a paragraph of reasoning,
    the next steps after a grant). Its words are in its versions: the newest is current, and a
    version once written is never changed, so a case cites exactly what it was told."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=PhrasePurpose.choices)
    document_kind = models.ForeignKey(
        DocumentKind,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phrases",
        verbose_name=_("document kind"),
        help_text=_("For a reason for an interruption about one kind of document."),
    )
    situation = models.CharField(
        _("situation"), max_length=20, choices=PhraseSituation.choices, blank=True
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive phrases are no longer offered.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("phrase")
        verbose_name_plural = _("phrases")
        ordering = ["purpose", "sort_order", "code"]

    def __str__(self) -> str:
        return self.code


class PhraseVersion(models.Model):
    """One wording of a phrase, in Czech and its four translations; append-only. A version a
    case cites cannot be deleted (the case's phrase rows protect it); an unused phrase goes
    with its versions, and with its document kind."""

    phrase = models.ForeignKey(
        Phrase, on_delete=models.CASCADE, related_name="versions", verbose_name=_("phrase")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text_cs = models.TextField(_("text in Czech"))
    text_en = models.TextField(_("text in English"))
    text_uk = models.TextField(_("text in Ukrainian"))
    text_vi = models.TextField(_("text in Vietnamese"))
    text_ru = models.TextField(_("text in Russian"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("phrase version")
        verbose_name_plural = _("phrase versions")
        ordering = ["phrase", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["phrase", "number"], name="phrase_version_unique"),
            models.CheckConstraint(
                condition=~Q(text_cs="")
                & ~Q(text_en="")
                & ~Q(text_uk="")
                & ~Q(text_vi="")
                & ~Q(text_ru=""),
                name="phrase_version_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phrase.code} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("A phrase version is never changed: write a new version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def text_in(self, language: str | None) -> str:
        """The text in ``language`` (one of ``PHRASE_LANGUAGES``); Czech for any other."""
        code = (language or "cs").split("-")[0]
        return str(getattr(self, f"text_{code}")) if code in PHRASE_LANGUAGES else self.text_cs
