import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DemoDataDisabled, demo_key_hex, demo_second_factors_ensure
from accounts.models import User
from applications.constants import Status
from applications.models import Application
from tests.accounts.factories import UserFactory
from tests.security.test_deploy import production_env, production_settings, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(settings):
    """What DJANGO_DEBUG=1 turns on (tests run with debug off, as production does)."""
    settings.DEMO_DATA_ENABLED = True


DEMO_EMAILS = [
    "admin@example.com",
    "supervisor@example.com",
    "caseworker1@example.com",
    "caseworker2@example.com",
    "support@example.com",
    "applicant1@example.com",
    "applicant2@example.com",
]


def snapshot(app_labels=("accounts", "applications", "documents", "permits")) -> dict:
    tables = {}
    for model in apps.get_models():
        if model._meta.app_label in app_labels:
            fields = [
                f.attname
                for f in model._meta.concrete_fields
                if f.attname not in {"last_login", "password"}
            ]
            tables[model._meta.label] = sorted(model.objects.values_list(*fields), key=repr)
    return tables


def test_seed_demo_twice_gives_the_same_database(demo_data):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_covers_every_state_and_a_dozen_types(demo_data):
    call_command("seed_demo", verbosity=0)
    states = set(Application.objects.values_list("status", flat=True))
    assert states == set(Status.values)
    assert Application.objects.values("permit_type").distinct().count() >= 12
    assert 35 <= Application.objects.count() <= 50


def test_every_demo_account_logs_in(demo_data):
    call_command("seed_demo", verbosity=0)
    for email in DEMO_EMAILS:
        assert authenticate(username=email, password="demo-password") is not None, email


def test_bulk_applications_are_added(demo_data):
    call_command("seed_demo", verbosity=0)
    before = Application.objects.count()
    call_command("seed_demo", applications=300, batch_size=100, verbosity=0)
    assert Application.objects.count() == before + 300
    sequences = Application.objects.exclude(reference_sequence=None).values_list(
        "reference_year", "reference_sequence"
    )
    assert len(set(sequences)) == len(sequences)


# --- Production: no demo data ------------------------------------------------------------------

EVERY_APP = tuple(config.label for config in apps.get_app_configs())


def test_demo_data_is_off_in_production_and_on_only_with_debug(tmp_path):
    assert production_settings(tmp_path, "DEMO_DATA_ENABLED") == {"DEMO_DATA_ENABLED": False}
    debug = production_settings(tmp_path, "DEMO_DATA_ENABLED", DJANGO_DEBUG="1")
    assert debug == {"DEMO_DATA_ENABLED": True}


def test_seed_demo_refuses_without_debug_and_writes_nothing():
    before = snapshot(EVERY_APP)

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", verbosity=0)
    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("seed_demo", applications=10, verbosity=0)

    assert snapshot(EVERY_APP) == before
    assert not User.objects.filter(email__in=DEMO_EMAILS).exists()


@pytest.mark.parametrize(
    "command", [["seed_demo"], ["seed_demo", "--applications", "10"], ["demo_totp", "x@y.cz"]]
)
def test_in_production_mode_the_demo_commands_exit_non_zero_with_the_reason(tmp_path, command):
    # A fresh Python with production's variables; the refusal comes before the database is read.
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    result = run(env, "manage.py", *command)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{command[0]} refused: the demo accounts exist only with DJANGO_DEBUG=1" in (
        " ".join(result.stderr.split())
    )


def test_the_demo_keys_are_neither_read_nor_given_without_debug():
    caseworker = UserFactory(email="caseworker1@example.com")

    with pytest.raises(DemoDataDisabled):
        demo_key_hex("caseworker1@example.com")
    with pytest.raises(DemoDataDisabled):
        demo_second_factors_ensure(users=[caseworker])

    assert not TOTPDevice.objects.exists()
