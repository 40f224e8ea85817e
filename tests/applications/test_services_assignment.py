"""Who has a case is decided on the locked row, not on the caller's copy of it.

A copy read before a colleague claimed the case (a page open for a while, an admin form, an API
client that sends no version) must not take the case from them or give it back for them.
"""

from __future__ import annotations

import pytest

from applications import services
from applications.models import Application, AuditEntry
from core.errors import ConcurrentChange, NotPermitted
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_claim_on_a_stale_copy_does_not_take_a_colleagues_case(caseworker, other_caseworker):
    application = ApplicationFactory(filed=True)
    stale = Application.objects.get(pk=application.pk)
    services.application_claim(application=application, actor=other_caseworker)

    with pytest.raises(ConcurrentChange):
        services.application_claim(application=stale, actor=caseworker)

    application.refresh_from_db()
    assert application.assigned_to == other_caseworker
    assert AuditEntry.objects.filter(application=application, action="claim").count() == 1


def test_release_on_a_stale_copy_does_not_release_a_colleagues_case(
    caseworker, other_caseworker, supervisor
):
    application = ApplicationFactory(filed=True)
    services.application_claim(application=application, actor=caseworker)
    stale = Application.objects.get(pk=application.pk)
    services.application_assign(
        application=application, actor=supervisor, assignee=other_caseworker
    )

    with pytest.raises(NotPermitted):
        services.application_release(application=stale, actor=caseworker)

    application.refresh_from_db()
    assert application.assigned_to == other_caseworker
    assert not AuditEntry.objects.filter(application=application, action="release").exists()
