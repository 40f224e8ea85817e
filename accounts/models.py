from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.constants import Language, Role
from accounts.roles import STAFF_ROLES


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are case-insensitive for people typing them in. The database folds
        # case its own way (PostgreSQL's UPPER() turns the Turkish dotless i, U+0131, into "I";
        # Python's lower() leaves it), so the address found must also be the one typed in the
        # spelling the lock-out counts (accounts.network.login_username): otherwise that
        # spelling would reach the account with a lock-out count of its own.
        typed = (username or "").strip().lower()
        user = self.get(email__iexact=typed)
        if user.email.lower() != typed:
            raise self.model.DoesNotExist
        return user


class User(AbstractUser):
    """A person who logs in: an applicant or a member of staff. Login is by e-mail."""

    # Django's documented way to drop an inherited field; the stubs type ``username`` as a
    # field of every ``AbstractUser`` and cannot express its removal.
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.CS
    )

    consent_given_at = models.DateTimeField(
        _("consent to data processing given"),
        null=True,
        blank=True,
        help_text=_("When the person consented at sign-up. Empty for accounts staff created."),
    )
    email_verified_at = models.DateTimeField(
        _("e-mail address verified"),
        null=True,
        blank=True,
        help_text=_("When the person proved the address is theirs by the link sent at sign-up."),
    )

    # Staff records: decisions and resolutions are signed with the official's name, surname and
    # function (Administrative Procedure Code § 69(1), outside the seeds).
    job_title = models.CharField(
        _("function"),
        max_length=150,
        blank=True,
        help_text=_("The official's function as signed on decisions and letters, e.g. Referent."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # A manager of its own, as Django documents for a user model without a username. The stubs
    # pin ``AbstractUser.objects`` to ``auth.models.UserManager``, whose ``create_user()`` takes
    # a username; ours takes the e-mail address instead.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def has_role(self, role: Role) -> bool:
        # Uses the prefetched groups when a selector loaded them, so lists do not query per row.
        return any(group.name == role for group in self.groups.all())

    @property
    def is_staff_member(self) -> bool:
        """Office staff (any staff role, the admin flags): they must log in with a second factor."""
        if self.is_staff or self.is_superuser:
            return True
        return any(group.name in STAFF_ROLES for group in self.groups.all())


class LoginFailureCount(models.Model):
    """Failed password checks for one e-mail address, from every client address together: the
    per-account throttle of ``accounts.lockout``.

    Kept for any address typed, whether it has an account or not, so that the throttle says
    nothing about which addresses have one; the address is stored only as a keyed hash.
    """

    name_digest = models.CharField(
        _("e-mail address (keyed hash)"), max_length=64, unique=True, editable=False
    )
    failures = models.PositiveIntegerField(
        _("failed log-ins"),
        default=0,
        help_text=_("Since the last successful log-in or new password, from all addresses."),
    )
    last_failure_at = models.DateTimeField(_("last failed log-in"), db_index=True)

    class Meta:
        verbose_name = _("failed log-ins for one e-mail address")
        verbose_name_plural = _("failed log-ins per e-mail address")

    def __str__(self) -> str:
        return f"{self.name_digest[:12]}…: {self.failures}"
