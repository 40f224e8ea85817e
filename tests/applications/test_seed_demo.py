import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from applications.constants import Status
from applications.models import Application

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "admin@example.com",
    "supervisor@example.com",
    "caseworker1@example.com",
    "caseworker2@example.com",
    "support@example.com",
    "applicant1@example.com",
    "applicant2@example.com",
]


def snapshot() -> dict[str, list[tuple]]:
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in {"accounts", "applications", "documents", "permits"}:
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if f.attname not in {"last_login", "password"}
            ]
            tables[model._meta.label] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


def test_seed_demo_twice_gives_the_same_database():
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_covers_every_state_and_a_dozen_types():
    call_command("seed_demo", verbosity=0)
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Application.objects.values("permit_type").distinct().count() >= 12
    assert 35 <= Application.objects.count() <= 50


def test_every_demo_account_logs_in():
    call_command("seed_demo", verbosity=0)
    for email in DEMO_EMAILS:
        assert authenticate(username=email, password="demo-password") is not None, email


def test_bulk_applications_are_added():
    call_command("seed_demo", verbosity=0)
    before = Application.objects.count()
    call_command("seed_demo", applications=300, batch_size=100, verbosity=0)
    assert Application.objects.count() == before + 300
    sequences = Application.objects.exclude(reference_sequence=None).values_list(
        "reference_year", "reference_sequence"
    )
    assert len(set(sequences)) == len(sequences)
