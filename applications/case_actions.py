"""What each action on a case does with its form: the service it calls, and which of the form's
fields goes to which of the service's arguments.

The caseworker's case page (``views.caseworker``) and the back office's buttons (``admin``) run
the same actions through here. Every action passes the version of the case the page showed
(``expected_version``); a ``note`` in the data (why staff acted, from the back office) goes to
the audit row of the services that take one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from applications import guards, services
from applications.constants import Remedy
from applications.models import Application
from applications.queues import pending_remedy
from core import clock
from core.errors import ApplicationError

if TYPE_CHECKING:
    from accounts.models import User

CaseActionRun = Callable[[Application, "User", Mapping[str, Any]], Any]


def _calls(service: Callable[..., Any], *fields: str, note: bool = True) -> CaseActionRun:
    """Call ``service`` on the case with the form's ``fields``, the version the page showed and,
    where the service takes one (``note``) and the data has it, the note."""

    def run(application: Application, actor: User, data: Mapping[str, Any]) -> Any:
        arguments = {name: data[name] for name in fields}
        if note and "note" in data:
            arguments["note"] = data["note"]
        return service(
            application=application,
            actor=actor,
            expected_version=data["expected_version"],
            **arguments,
        )

    return run


def _record_receipt(application: Application, actor: User, data: Mapping[str, Any]) -> Any:
    """The receipt of the case's current decision, with its proof."""
    decision = application.current_decision
    if decision is None:
        raise ApplicationError(_("There is no decision in this case yet."))
    return services.decision_record_receipt(
        decision=decision,
        actor=actor,
        received_on=data["received_on"],
        proof=data["proof"],
        expected_version=data["expected_version"],
    )


CASE_ACTIONS: dict[str, CaseActionRun] = {
    "claim": _calls(services.application_claim, note=False),
    "release": _calls(services.application_release),
    "assign": _calls(services.application_assign, "assignee"),
    "interrupt": _calls(
        services.application_interrupt_with_letter,
        "reason",
        "document_kinds",
        "phrases",
        "reason_translation",
        "reason_translation_language",
        "deadline_days",
        note=False,
    ),
    "resume": _calls(services.application_resume),
    "decide": _calls(
        services.application_decide,
        "outcome",
        "reasoning",
        "phrases",
        "reasoning_translation",
        "reasoning_translation_language",
        "valid_from",
        "valid_to",
    ),
    "stop": _calls(
        services.application_stop,
        "reasoning",
        "phrases",
        "reasoning_translation",
        "reasoning_translation_language",
    ),
    "appeal_result": _calls(services.application_resolve_appeal, "result"),
    "record_receipt": _record_receipt,
    "withdraw": _calls(services.application_withdraw),
    "finalize": _calls(services.application_finalize),
}


def case_action_run(
    *, action: str, application: Application, actor: User, data: Mapping[str, Any]
) -> Any:
    """Run ``action`` (a key of ``CASE_ACTIONS``) on the case with its form's cleaned ``data``;
    returns what the service returns and raises what it raises."""
    return CASE_ACTIONS[action](application, actor, data)


def case_action_form_kwargs(action: str, application: Application) -> dict[str, Any]:
    """What an action's form needs of the case besides its version: the decision's, the
    validity a grant may have today (proposed as the form's values and checked on submit); a
    remedy's result, the kind of remedy lodged (an appeal, a request for re-assessment), whose
    words the result takes."""
    if action == "appeal_result":
        pending = pending_remedy(application)
        return {"kind": pending.kind if pending is not None else Remedy.APPEAL}
    if action != "decide":
        return {}
    return {"validity": guards.decision_validity(application, decided_on=clock.today())}
