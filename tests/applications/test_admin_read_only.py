"""The back office shows the records of proceedings and never changes them (SPEC §1, §2).

Every model registered in the admin is a record of proceedings, read-only, unless ``EDITABLE``
names it: the catalogue, users, roles and their security settings. A newly registered model is
therefore walked as a record until it is classified, and fails if its admin lets anything
through. For each record, as a superuser: the add, change and delete pages by GET and POST, and
the changelist's bulk deletion. All are refused (403), or show the page without a form to save
or a button to delete, and the database stays as it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from applications import services
from notifications.constants import Channel
from organisations import services as organisation_services
from permits.models import DocumentKind
from privacy.constants import Action, DeniedRequestKind
from privacy.models import AccessEvent, DeniedRequestCount, RetentionRecord
from tests.api.conftest import make_token
from tests.applications.factories import ApplicationFactory
from tests.notifications.factories import email_notification
from webhooks import services as webhook_services
from webhooks.models import Delivery

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague: "today" and "tomorrow" are read from this clock, never from the
# machine's, so no weekend or midnight in Prague changes what the tests see.
PINNED = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(PINNED, tick=False):
        yield


# What the admin is for besides reading (SPEC §1): the catalogue, users, roles (groups) and the
# settings that belong to them. Everything else registered is a record of proceedings.
EDITABLE = {
    "auth.Group",  # roles
    "accounts.User",
    "permits.PermitType",  # the catalogue
    "permits.DocumentKind",
    "permits.Phrase",  # the office's phrases; its versions are never changed (permits.phrases)
    # A user's second factors: resetting a lost authenticator is account administration.
    "otp_totp.TOTPDevice",
    "otp_email.EmailDevice",
    "otp_static.StaticDevice",
    # The log-in throttle's lock-outs: an admin clears one to let a person in again.
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    # Which optional e-mails a user receives: their settings, not the case's record.
    "notifications.NotificationPreference",
    # The API's third-party applications, registered by the office, and their grants and
    # tokens, which an administrator revokes: account and integration settings.
    "oauth2_provider.Application",
    "oauth2_provider.AccessToken",
    "oauth2_provider.RefreshToken",
    "oauth2_provider.Grant",
    "oauth2_provider.IDToken",
    # Where a person's webhooks go: their setting (the deliveries are the record).
    "webhooks.Subscription",
    # An organisation's name, IČO and kind, corrected by the office; it is never added or
    # deleted here, and verified only by its action (organisations.services); its members
    # are shown read-only. Its log (organisations.OrganisationEvent) is a record.
    "organisations.Organisation",
}

# The admin's own logs grow as the walk looks at records: viewing a case is logged (privacy).
GROWS_WHEN_READ = {AccessEvent}


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def registered() -> dict[str, type[models.Model]]:
    return {_label(model): model for model in admin.site._registry}


def records() -> list[type[models.Model]]:
    return sorted(
        (model for label, model in registered().items() if label not in EDITABLE), key=_label
    )


def _url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def snapshot() -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every record model, as stored."""
    return {
        _label(model): {
            row["pk"]: row for row in model._base_manager.values("pk", *_columns(model))
        }
        for model in records()
    }


def _columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def assert_unchanged(before: dict, after: dict) -> None:
    for label, rows in before.items():
        for pk, row in rows.items():
            assert after[label].get(pk) == row, f"{label} {pk} was changed or deleted"
        if registered()[label] not in GROWS_WHEN_READ:
            added = sorted(set(after[label]) - set(rows))
            assert not added, f"{label}: rows {added} were added"


@pytest.fixture
def proceedings(caseworker, supervisor):
    """At least one record of every kind: cases in each state with their decisions, documents,
    permit, interruption, appeal, notes, notices and the office's logs."""
    granted = ApplicationFactory(decided=True, caseworker=caseworker)
    ApplicationFactory(interrupted=True, caseworker=caseworker)
    appealed = ApplicationFactory(appealed=True, caseworker=caseworker)
    services.case_note_add(application=granted, author=caseworker, text="Checked by phone.")
    services.change_report_submit(
        application=granted,
        actor=granted.applicant.account,
        kind="address",
        data={"address": "Korunní 5, Praha 2"},
    )
    email_notification(
        channel=Channel.IN_APP,
        recipient=granted.applicant.account,
        application=granted,
        email="",
        subject="Decided",
        body="A decision was issued.",
        body_html="",
        sent_at=timezone.now(),
    )
    AccessEvent.objects.create(action=Action.CASE_VIEWED, actor=supervisor, application=granted)
    DeniedRequestCount.objects.create(
        kind=DeniedRequestKind.NOT_FOUND,
        ip_address="203.0.113.7",
        path="/nowhere/",
        hour=timezone.now().replace(minute=0, second=0, microsecond=0),
        count=3,
    )
    RetentionRecord.objects.create(application=appealed, closed_on=timezone.localdate())
    # The API's records: a personal access token (revoked only by its action), a webhook's
    # delivery log.
    make_token(granted.applicant.account)
    subscription, _secret = webhook_services.subscription_create(
        owner=granted.applicant.account, url="https://hr.example/hooks", events=["filed"]
    )
    Delivery.objects.create(
        subscription=subscription,
        message_id="msg_admin",
        event="filed",
        application_id=granted.pk,
        sequence=1,
        payload={"type": "case.filed"},
    )
    # An organisation's log: registered by the person, verified by the office.
    organisation = organisation_services.organisation_register(
        user=granted.applicant.account, name="Strojírny Brno a.s.", ico="25596641", kind="employer"
    )
    organisation_services.organisation_verify(organisation=organisation, actor=supervisor)
    return granted


def test_every_registered_model_is_classified_and_the_allow_list_is_current():
    stale = sorted(EDITABLE - registered().keys())
    assert not stale, f"EDITABLE names models the admin no longer registers: {stale}"
    # The records the issue is about are among those walked.
    walked = {_label(model) for model in records()}
    assert {
        "applications.Application",
        "applications.Applicant",
        "applications.Interruption",
        "applications.Decision",
        "applications.Appeal",
        "applications.AuditEntry",
        "applications.CaseNote",
        "documents.Document",
        "permits.Permit",
        "privacy.AccessEvent",
        "organisations.OrganisationEvent",
    } <= walked


def _form_data(model_admin: admin.ModelAdmin, obj: models.Model, user: Any) -> dict[str, Any]:
    """What a browser would post on the change page: the object's own values and its inlines'
    management forms, so that a page that wrongly accepted it would save."""
    data: dict[str, Any] = {}
    for name, value in model_to_dict(obj).items():
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    request = RequestFactory().get("/")
    request.user = user
    for inline in model_admin.get_inline_instances(request, obj):
        prefix = inline.get_formset(request, obj).get_default_prefix()
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data["_save"] = "Save"
    return data


@pytest.mark.parametrize("model", records(), ids=_label)
def test_the_admin_neither_adds_changes_nor_deletes_records(client, superuser, proceedings, model):
    obj = model._base_manager.order_by("pk").first()
    assert obj is not None, f"The fixture has no {_label(model)} to try: add one to it."
    model_admin = admin.site._registry[model]
    client.force_login(superuser)
    before = snapshot()

    add = _url(model, "add")
    assert client.get(add).status_code == 403
    assert client.post(add, _form_data(model_admin, obj, superuser)).status_code == 403

    change = _url(model, "change", obj.pk)
    page = client.get(change)
    assert page.status_code == 200
    # Every field shown, none to edit: no save buttons, no delete link.
    for control in (b'name="_save"', b'name="_continue"', b'name="_addanother"', b"deletelink"):
        assert control not in page.content, f"{_label(model)}: the change page has {control}"
    assert client.post(change, _form_data(model_admin, obj, superuser)).status_code == 403

    delete = _url(model, "delete", obj.pk)
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403

    changelist = _url(model, "changelist")
    listing = client.get(changelist)
    assert listing.status_code == 200
    assert b"delete_selected" not in listing.content
    assert f'href="{add}"'.encode() not in listing.content
    bulk = client.post(
        changelist,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes", "index": 0},
    )
    assert bulk.status_code in (200, 302)

    assert_unchanged(before, snapshot())
    assert model._base_manager.filter(pk=obj.pk).exists()


def test_the_walk_would_see_an_editable_admin(client, superuser):
    """The same requests against the catalogue, which the admin edits: the add page has its
    form, and a bulk deletion deletes. So the refusals above are the read-only base at work."""
    kind = DocumentKind.objects.create(code="test_kind", name="Test kind", sort_order=999)
    client.force_login(superuser)

    assert b'name="_save"' in client.get(_url(DocumentKind, "add")).content
    assert b"deletelink" in client.get(_url(DocumentKind, "change", kind.pk)).content
    client.post(
        _url(DocumentKind, "changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [kind.pk], "post": "yes"},
    )
    assert not DocumentKind.objects.filter(pk=kind.pk).exists()


def test_the_catalogue_users_and_roles_stay_editable(client, superuser):
    client.force_login(superuser)
    for label in ("permits.PermitType", "permits.DocumentKind", "accounts.User", "auth.Group"):
        model = registered()[label]
        response = client.get(_url(model, "add"))
        assert response.status_code == 200, label
        assert b'name="_save"' in response.content, label
