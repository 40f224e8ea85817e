"""Organisations that represent people: the IČO, registration, verification by the office,
members joining and leaving (access ends at once), the append-only log, and the back office."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from accounts.constants import Role as StaffRole
from core.errors import NotPermitted, TransitionRefused
from organisations import selectors, services
from organisations.constants import EventKind, Kind, Role
from organisations.models import Membership, Organisation, OrganisationEvent
from organisations.validators import ico_check_digit, normalise_ico, validate_ico
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

# A Wednesday morning in Prague, away from holidays and clock changes.
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Europe/Prague"))

VERIFY = "organisations.verify_organisation"


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def person():
    return UserFactory(role=StaffRole.APPLICANT)


@pytest.fixture
def hr():
    """The person who registers the organisation, and so its first administrator."""
    return person()


@pytest.fixture
def organisation(hr):
    return services.organisation_register(
        user=hr, name="Strojírny Brno a.s.", ico="25596641", kind=Kind.EMPLOYER
    )


@pytest.fixture
def verified(organisation, supervisor):
    return services.organisation_verify(organisation=organisation, actor=supervisor)


def events(organisation):
    return list(
        OrganisationEvent.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("kind", "actor", "member", "at")
    )


def counts():
    return (
        Organisation.objects.count(),
        Membership.objects.count(),
        OrganisationEvent.objects.count(),
    )


# --- The IČO -------------------------------------------------------------------------------------


# 90000005 starts with 9, which the IČO allows (a legal person's DIČ does not).
@pytest.mark.parametrize("ico", ["25596641", "00064581", "27074358", "00216208", "90000005"])
def test_a_valid_ico_passes(ico):
    validate_ico(ico)


@pytest.mark.parametrize("remainder_digit", [("0000000", 1), ("0000006", 0), ("2559664", 1)])
def test_the_check_digit_rule_at_its_two_special_remainders(remainder_digit):
    first_seven, digit = remainder_digit
    assert ico_check_digit(first_seven) == digit


def test_an_ico_written_in_groups_is_read_as_its_digits():
    assert normalise_ico("255 96 641") == "25596641"
    assert normalise_ico(" 25596641\n") == "25596641"
    validate_ico("255 96 641")


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_ico("25596642")
    assert refused.value.code == "ico_checksum"


@pytest.mark.parametrize(
    "ico",
    ["2559664", "255966410", "2559664A", "CZ255966", "ABCDEFGH", "", "2559-6641", "2559664\u0661"],
    ids=[
        "7 digits",
        "9 digits",
        "a letter",
        "a prefix",
        "letters",
        "empty",
        "a dash",
        "a non-ASCII digit",
    ],
)
def test_anything_but_eight_digits_is_refused(ico):
    with pytest.raises(ValidationError) as refused:
        validate_ico(ico)
    assert refused.value.code == "ico_length"


# --- Registering ---------------------------------------------------------------------------------


def test_the_registrant_becomes_the_administrator_of_an_unverified_organisation(hr):
    organisation = services.organisation_register(
        user=hr, name="  Strojírny Brno a.s. ", ico="255 96 641", kind=Kind.EMPLOYER
    )

    organisation.refresh_from_db()
    assert organisation.name == "Strojírny Brno a.s."
    assert organisation.ico == "25596641"
    assert organisation.kind == Kind.EMPLOYER
    assert organisation.registered_by == hr
    assert organisation.registered_at == NOW
    assert not organisation.is_verified
    assert organisation.verified_by is None
    membership = organisation.memberships.get()
    assert (membership.user, membership.role, membership.joined_at) == (hr, Role.ADMIN, NOW)
    assert membership.is_current
    assert services.is_admin(organisation, hr)


def test_registering_is_logged(organisation, hr):
    assert events(organisation) == [(EventKind.REGISTERED, hr.pk, hr.pk, NOW)]


def test_an_ico_registered_already_is_refused_and_nothing_is_created(organisation):
    before = counts()
    someone_else = person()

    with pytest.raises(ValidationError) as refused:
        services.organisation_register(
            user=someone_else, name="Another name", ico="255 96 641", kind=Kind.AGENCY
        )

    assert refused.value.code == "ico_taken"
    assert counts() == before
    assert not Membership.objects.filter(user=someone_else).exists()


@pytest.mark.parametrize(
    ("ico", "kind", "code"),
    [
        ("25596642", Kind.EMPLOYER, "ico_checksum"),
        ("2559664", Kind.EMPLOYER, "ico_length"),
        ("25596641", "embassy", "kind"),
    ],
)
def test_an_invalid_registration_creates_nothing(hr, ico, kind, code):
    with pytest.raises(ValidationError) as refused:
        services.organisation_register(user=hr, name="Strojírny", ico=ico, kind=kind)
    assert refused.value.code == code
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("staff", ["caseworker", "supervisor", "support", "superuser"])
def test_office_staff_do_not_register_organisations(request, staff):
    user = request.getfixturevalue(staff)
    with pytest.raises(NotPermitted):
        services.organisation_register(
            user=user, name="Strojírny", ico="25596641", kind=Kind.EMPLOYER
        )
    assert counts() == (0, 0, 0)


# --- Verification by the office ------------------------------------------------------------------


def test_the_supervisors_role_holds_the_permission_and_the_caseworkers_does_not(
    supervisor, caseworker
):
    def codenames(role):
        group = Group.objects.get(name=role)
        return set(
            group.permissions.filter(content_type__app_label="organisations").values_list(
                "codename", flat=True
            )
        )

    assert "verify_organisation" in codenames(StaffRole.SUPERVISOR)
    assert "verify_organisation" not in codenames(StaffRole.CASEWORKER)
    assert supervisor.has_perm(VERIFY)
    assert not caseworker.has_perm(VERIFY)


def test_a_supervisor_verifies_an_organisation_and_it_is_logged(organisation, hr, supervisor):
    verified = services.organisation_verify(organisation=organisation, actor=supervisor)

    assert verified.is_verified
    organisation.refresh_from_db()
    assert (organisation.verified_at, organisation.verified_by) == (NOW, supervisor)
    assert events(organisation) == [
        (EventKind.REGISTERED, hr.pk, hr.pk, NOW),
        (EventKind.VERIFIED, supervisor.pk, None, NOW),
    ]
    assert organisation not in selectors.unverified()


@pytest.mark.parametrize("who", ["caseworker", "support", "hr"])
def test_without_the_permission_nobody_verifies(request, organisation, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        services.organisation_verify(organisation=organisation, actor=actor)

    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert organisation.verified_by is None
    assert [kind for kind, *_ in events(organisation)] == [EventKind.REGISTERED]
    assert list(selectors.unverified()) == [organisation]


def test_an_organisation_is_verified_once(verified, supervisor):
    other_supervisor = UserFactory(role=StaffRole.SUPERVISOR)
    with (
        time_machine.travel(NOW + timedelta(days=1), tick=False),
        pytest.raises(TransitionRefused),
    ):
        services.organisation_verify(organisation=verified, actor=other_supervisor)

    verified.refresh_from_db()
    assert (verified.verified_at, verified.verified_by) == (NOW, supervisor)
    kinds = [kind for kind, *_ in events(verified)]
    assert kinds == [EventKind.REGISTERED, EventKind.VERIFIED]


# --- Members -------------------------------------------------------------------------------------


def test_an_administrator_adds_a_member_and_it_is_logged(organisation, hr):
    colleague = person()

    membership = services.member_add(organisation=organisation, actor=hr, user=colleague)

    assert (membership.user, membership.role, membership.joined_at) == (
        colleague,
        Role.MEMBER,
        NOW,
    )
    assert membership.is_current
    assert not services.is_admin(organisation, colleague)
    assert events(organisation)[-1] == (EventKind.MEMBER_ADDED, hr.pk, colleague.pk, NOW)


def test_an_administrator_may_add_another_administrator(organisation, hr):
    deputy = person()
    services.member_add(organisation=organisation, actor=hr, user=deputy, role=Role.ADMIN)
    assert services.is_admin(organisation, deputy)


def test_a_role_that_does_not_exist_is_refused(organisation, hr):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.member_add(organisation=organisation, actor=hr, user=person(), role="owner")
    assert refused.value.code == "role"
    assert counts() == before


@pytest.mark.parametrize("who", ["member", "outsider", "former administrator", "supervisor"])
def test_only_a_current_administrator_adds_members(request, organisation, hr, who):
    if who == "member":
        actor = person()
        services.member_add(organisation=organisation, actor=hr, user=actor)
    elif who == "outsider":
        actor = person()
    elif who == "former administrator":
        actor = person()
        services.member_add(organisation=organisation, actor=hr, user=actor, role=Role.ADMIN)
        services.member_leave(membership=organisation.memberships.get(user=actor), actor=actor)
    else:
        actor = request.getfixturevalue("supervisor")
    before = counts()
    newcomer = person()

    with pytest.raises(NotPermitted):
        services.member_add(organisation=organisation, actor=actor, user=newcomer)

    assert counts() == before
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("staff", ["caseworker", "supervisor", "superuser"])
def test_office_staff_cannot_be_members(request, organisation, hr, staff):
    user = request.getfixturevalue(staff)
    before = counts()
    with pytest.raises(NotPermitted):
        services.member_add(organisation=organisation, actor=hr, user=user)
    assert counts() == before


def test_a_current_member_is_not_added_twice(organisation, hr):
    colleague = person()
    services.member_add(organisation=organisation, actor=hr, user=colleague)
    before = counts()

    with pytest.raises(TransitionRefused):
        services.member_add(organisation=organisation, actor=hr, user=colleague, role=Role.ADMIN)
    with pytest.raises(TransitionRefused):
        services.member_add(organisation=organisation, actor=hr, user=hr)

    assert counts() == before
    assert organisation.memberships.get(user=colleague).role == Role.MEMBER


def test_a_former_member_may_be_added_again_and_the_past_membership_is_kept(organisation, hr):
    colleague = person()
    first = services.member_add(organisation=organisation, actor=hr, user=colleague)
    services.member_leave(membership=first, actor=colleague)

    again = services.member_add(organisation=organisation, actor=hr, user=colleague)

    assert again.pk != first.pk
    assert list(
        organisation.memberships.filter(user=colleague)
        .order_by("pk")
        .values_list("left_at", flat=True)
    ) == [NOW, None]


def test_a_member_leaves_and_it_is_logged(organisation, hr):
    colleague = person()
    membership = services.member_add(organisation=organisation, actor=hr, user=colleague)

    left = services.member_leave(membership=membership, actor=colleague)

    assert left.left_at == NOW
    assert not left.is_current
    membership.refresh_from_db()
    assert membership.left_at == NOW
    assert events(organisation)[-1] == (EventKind.MEMBER_LEFT, colleague.pk, colleague.pk, NOW)


def test_an_administrator_removes_a_member_and_it_is_logged(organisation, hr):
    colleague = person()
    membership = services.member_add(organisation=organisation, actor=hr, user=colleague)

    services.member_leave(membership=membership, actor=hr)

    membership.refresh_from_db()
    assert not membership.is_current
    assert events(organisation)[-1] == (EventKind.MEMBER_LEFT, hr.pk, colleague.pk, NOW)


@pytest.mark.parametrize("who", ["another member", "outsider", "supervisor"])
def test_nobody_else_removes_a_member(request, organisation, hr, who):
    colleague = person()
    membership = services.member_add(organisation=organisation, actor=hr, user=colleague)
    if who == "another member":
        actor = person()
        services.member_add(organisation=organisation, actor=hr, user=actor)
    elif who == "outsider":
        actor = person()
    else:
        actor = request.getfixturevalue("supervisor")
    before = counts()

    with pytest.raises(NotPermitted):
        services.member_leave(membership=membership, actor=actor)

    membership.refresh_from_db()
    assert membership.is_current
    assert counts() == before


def test_the_last_administrator_cannot_leave(organisation, hr):
    colleague = person()
    services.member_add(organisation=organisation, actor=hr, user=colleague)
    membership = organisation.memberships.get(user=hr)
    before = counts()

    with pytest.raises(TransitionRefused):
        services.member_leave(membership=membership, actor=hr)

    membership.refresh_from_db()
    assert membership.is_current
    assert services.is_admin(organisation, hr)
    assert counts() == before


def test_an_administrator_leaves_when_another_remains(organisation, hr):
    deputy = person()
    services.member_add(organisation=organisation, actor=hr, user=deputy, role=Role.ADMIN)

    services.member_leave(membership=organisation.memberships.get(user=hr), actor=hr)

    assert not services.is_admin(organisation, hr)
    assert services.is_admin(organisation, deputy)
    # The one remaining administrator is now the last.
    with pytest.raises(TransitionRefused):
        services.member_leave(
            membership=organisation.memberships.get(user=deputy, left_at__isnull=True),
            actor=deputy,
        )


def test_a_member_leaves_once(organisation, hr):
    colleague = person()
    membership = services.member_add(organisation=organisation, actor=hr, user=colleague)
    services.member_leave(membership=membership, actor=colleague)
    before = counts()

    with pytest.raises(TransitionRefused):
        services.member_leave(membership=membership, actor=hr)

    assert counts() == before


# --- Who acts for which organisation -------------------------------------------------------------


def test_an_unverified_organisation_is_acted_for_by_nobody(organisation, hr):
    colleague = person()
    services.member_add(organisation=organisation, actor=hr, user=colleague)

    assert selectors.acting_organisation_ids(hr) == []
    assert selectors.acting_organisation_ids(colleague) == []
    assert [m.organisation for m in selectors.current_memberships(hr)] == [organisation]


def test_verification_lets_the_members_act(organisation, hr, supervisor):
    services.organisation_verify(organisation=organisation, actor=supervisor)
    assert selectors.acting_organisation_ids(hr) == [organisation.pk]
    assert selectors.acting_organisation_ids(person()) == []
    assert selectors.acting_organisation_ids(AnonymousUser()) == []


@pytest.mark.parametrize("removed_by", ["themselves", "an administrator"])
def test_access_ends_at_once_when_a_member_leaves(verified, hr, removed_by):
    colleague = person()
    membership = services.member_add(organisation=verified, actor=hr, user=colleague)
    assert selectors.acting_organisation_ids(colleague) == [verified.pk]

    services.member_leave(
        membership=membership, actor=colleague if removed_by == "themselves" else hr
    )

    # The same user object, no fresh log-in and no cache cleared: read on every request.
    assert selectors.acting_organisation_ids(colleague) == []
    assert list(selectors.current_memberships(colleague)) == []
    assert selectors.acting_organisation_ids(hr) == [verified.pk]


def test_a_member_acts_only_for_their_own_organisations(verified, hr, supervisor):
    other = services.organisation_register(
        user=person(), name="Jazyková škola Praha", ico="27074358", kind=Kind.SCHOOL
    )
    services.organisation_verify(organisation=other, actor=supervisor)

    assert selectors.acting_organisation_ids(hr) == [verified.pk]


# --- The log is append-only ----------------------------------------------------------------------


def test_the_log_is_neither_changed_nor_deleted(verified, hr):
    before = events(verified)
    event = OrganisationEvent.objects.filter(organisation=verified).first()

    event.kind = EventKind.MEMBER_LEFT
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        OrganisationEvent.objects.filter(organisation=verified).update(actor=hr)
    with pytest.raises(PermissionError):
        OrganisationEvent.objects.filter(organisation=verified).delete()
    with pytest.raises(PermissionError):
        OrganisationEvent.objects.all().delete()

    assert events(verified) == before


# --- The back office -----------------------------------------------------------------------------


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def run_verify(browser, *organisations):
    return browser.post(
        url(Organisation, "changelist"),
        {
            "action": "verify",
            ACTION_CHECKBOX_NAME: [o.pk for o in organisations],
            "index": 0,
        },
        follow=True,
    )


def test_the_list_loads_filters_and_finds_by_exact_ico(client_for, superuser, organisation):
    verified = services.organisation_register(
        user=person(), name="Jazyková škola Praha", ico="27074358", kind=Kind.SCHOOL
    )
    services.organisation_verify(organisation=verified, actor=superuser)
    browser = client_for(superuser)
    changelist = url(Organisation, "changelist")

    def listed(**query):
        response = browser.get(changelist, query)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert listed() == {organisation, verified}
    assert listed(verified="no") == {organisation}
    assert listed(verified="yes") == {verified}
    assert listed(kind=Kind.SCHOOL) == {verified}
    assert listed(q="Strojírny") == {organisation}
    assert listed(q="25596641") == {organisation}
    assert listed(q="255 96 641") == {organisation}
    # A part of an IČO finds nothing: the IČO is matched whole.
    assert listed(q="2559") == set()


def test_the_verify_action_goes_through_the_service(client_for, superuser, organisation, hr):
    response = run_verify(client_for(superuser), organisation)

    assert response.status_code == 200
    organisation.refresh_from_db()
    assert (organisation.verified_at, organisation.verified_by) == (NOW, superuser)
    assert events(organisation)[-1] == (EventKind.VERIFIED, superuser.pk, None, NOW)
    assert "1 organisation verified." in [str(m) for m in response.context["messages"]]


def test_the_verify_action_reports_a_refusal_and_verifies_the_rest(client_for, superuser, verified):
    waiting = services.organisation_register(
        user=person(), name="Advokátní kancelář Novák", ico="00064581", kind=Kind.LAW_FIRM
    )

    response = run_verify(client_for(superuser), verified, waiting)

    shown = [str(m) for m in response.context["messages"]]
    assert f"{verified}: This organisation is verified already." in shown
    assert "1 organisation verified." in shown
    waiting.refresh_from_db()
    assert waiting.verified_by == superuser
    assert [kind for kind, *_ in events(verified)].count(EventKind.VERIFIED) == 1


def test_a_supervisor_in_the_back_office_verifies(client_for, organisation):
    supervisor = UserFactory(role=StaffRole.SUPERVISOR, is_staff=True)
    run_verify(client_for(supervisor), organisation)
    organisation.refresh_from_db()
    assert organisation.verified_by == supervisor


def test_a_caseworker_in_the_back_office_sees_organisations_but_cannot_verify(
    client_for, organisation
):
    caseworker = UserFactory(role=StaffRole.CASEWORKER, is_staff=True)
    browser = client_for(caseworker)

    listing = browser.get(url(Organisation, "changelist"))
    assert listing.status_code == 200
    assert b'value="verify"' not in listing.content

    run_verify(browser, organisation)
    organisation.refresh_from_db()
    assert not organisation.is_verified
    assert [kind for kind, *_ in events(organisation)] == [EventKind.REGISTERED]


def test_organisations_are_not_added_or_deleted_in_the_back_office(
    client_for, superuser, organisation
):
    browser = client_for(superuser)
    add = url(Organisation, "add")
    assert browser.get(add).status_code == 403
    assert (
        browser.post(add, {"name": "X", "ico": "27074358", "kind": Kind.AGENCY}).status_code == 403
    )
    assert browser.get(url(Organisation, "delete", organisation.pk)).status_code == 403
    listing = browser.get(url(Organisation, "changelist"))
    assert f'href="{add}"'.encode() not in listing.content
    assert b"delete_selected" not in listing.content
    assert Organisation.objects.count() == 1


def test_the_change_page_never_verifies_and_shows_the_members_read_only(
    client_for, superuser, organisation, hr
):
    browser = client_for(superuser)
    change = url(Organisation, "change", organisation.pk)
    page = browser.get(change)
    assert page.status_code == 200
    assert hr.email in page.content.decode()
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
    prefix = inline.formset.prefix

    saved = browser.post(
        change,
        {
            "name": "Strojírny Brno, a.s.",
            "ico": "25596641",
            "kind": Kind.EMPLOYER,
            # Not fields of the form: a posted verification is ignored.
            "verified_at_0": "2026-03-04",
            "verified_at_1": "10:00:00",
            "verified_by": superuser.pk,
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            "_save": "Save",
        },
    )

    assert saved.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Strojírny Brno, a.s."
    assert not organisation.is_verified
    assert organisation.verified_by is None
    assert organisation.memberships.get().is_current
    assert [kind for kind, *_ in events(organisation)] == [EventKind.REGISTERED]


def test_the_log_is_read_only_in_the_back_office(client_for, superuser, verified):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[OrganisationEvent]
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}
    assert Membership not in admin.site._registry

    browser = client_for(superuser)
    listing = browser.get(url(OrganisationEvent, "changelist"), {"kind": EventKind.VERIFIED})
    assert listing.status_code == 200
    assert [e.kind for e in listing.context["cl"].result_list] == [EventKind.VERIFIED]
    assert browser.get(url(OrganisationEvent, "add")).status_code == 403
    event = OrganisationEvent.objects.filter(organisation=verified).first()
    assert browser.post(url(OrganisationEvent, "change", event.pk), {}).status_code == 403


def test_a_blank_name_is_refused_and_nothing_is_created(hr):
    with pytest.raises(ValidationError):
        services.organisation_register(user=hr, name="   ", ico="25596641", kind="employer")
    assert counts() == (0, 0, 0)


def test_an_outsider_learns_nothing_of_a_past_membership(organisation, hr):
    member = UserFactory(role=StaffRole.APPLICANT)
    membership = services.member_add(organisation=organisation, actor=hr, user=member)
    services.member_leave(membership=membership, actor=member)
    with pytest.raises(NotPermitted):
        services.member_leave(membership=membership, actor=UserFactory(role=StaffRole.APPLICANT))
