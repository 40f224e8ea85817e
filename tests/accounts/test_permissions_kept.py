"""Each account's permissions kept in the shared cache, and never past a change
(accounts.backends.PermissionsKeptBackend)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches

from accounts.backends import PERMISSIONS
from accounts.constants import Role
from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PROCESS = "applications.process_application"


def fresh(user: User) -> User:
    """The account as the next request loads it."""
    return User.objects.get(pk=user.pk)


def test_the_next_request_reads_the_permissions_without_a_query(
    caseworker, django_assert_num_queries
):
    assert fresh(caseworker).has_perm(PROCESS)
    again = fresh(caseworker)

    with django_assert_num_queries(0):
        assert again.has_perm(PROCESS)
        assert not again.has_perm("applications.assign_application")


def test_leaving_the_group_takes_the_permission_away_at_once(caseworker):
    assert fresh(caseworker).has_perm(PROCESS)

    caseworker.groups.remove(Group.objects.get(name=Role.CASEWORKER))

    assert not fresh(caseworker).has_perm(PROCESS)


def test_removing_a_member_from_the_groups_side_counts_too(caseworker):
    assert fresh(caseworker).has_perm(PROCESS)

    Group.objects.get(name=Role.CASEWORKER).user_set.remove(caseworker)

    assert not fresh(caseworker).has_perm(PROCESS)


def test_a_permission_given_to_a_group_shows_at_once(caseworker):
    assert not fresh(caseworker).has_perm("applications.assign_application")
    assign = Permission.objects.get(codename="assign_application")

    Group.objects.get(name=Role.CASEWORKER).permissions.add(assign)

    assert fresh(caseworker).has_perm("applications.assign_application")


def test_a_permission_given_to_the_account_shows_at_once():
    person = UserFactory()
    assert not fresh(person).has_perm(PROCESS)

    person.user_permissions.add(Permission.objects.get(codename="process_application"))

    assert fresh(person).has_perm(PROCESS)


def test_an_account_made_superuser_has_every_permission_at_once():
    person = UserFactory()
    assert not fresh(person).has_perm("applications.assign_application")

    person.is_superuser = True
    person.save()

    assert fresh(person).has_perm("applications.assign_application")


def test_a_deactivated_account_has_none_whatever_was_kept(caseworker):
    assert fresh(caseworker).has_perm(PROCESS)

    User.objects.filter(pk=caseworker.pk).update(is_active=False)

    assert not fresh(caseworker).has_perm(PROCESS)


def test_a_lost_generation_never_brings_back_an_old_set(caseworker):
    assert fresh(caseworker).has_perm(PROCESS)
    caseworker.groups.remove(Group.objects.get(name=Role.CASEWORKER))
    assert not fresh(caseworker).has_perm(PROCESS)
    # Redis restarted or evicted the generation, but kept the sets.
    caches[PERMISSIONS.cache_alias].delete(PERMISSIONS.key)
    caseworker.groups.add(Group.objects.get(name=Role.CASEWORKER))
    caches[PERMISSIONS.cache_alias].delete(PERMISSIONS.key)

    assert fresh(caseworker).has_perm(PROCESS)
