import pytest

from applications import services
from applications.constants import AppealResult
from applications.models import Application
from tests.applications.factories import ApplicationFactory


def close_case(application: Application, *, caseworker) -> Application:
    """An appealed case whose appeal was dismissed: closed today, final (SPEC §2)."""
    services.application_resolve_appeal(
        application=application, actor=caseworker, result=AppealResult.DISMISSED
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def closed_case(caseworker):
    application = ApplicationFactory(appealed=True, caseworker=caseworker)
    return close_case(application, caseworker=caseworker)
