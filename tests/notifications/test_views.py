"""The notification centre: the owner sees and marks their notifications; anyone else's is a 404;
anonymous users are sent to log in; actions are POST only. The header shows the unread count."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from notifications.constants import Channel, Kind
from notifications.context_processors import unread
from notifications.models import Notification, NotificationPreference
from tests.applications.factories import ApplicationFactory
from tests.notifications.factories import email_notification

pytestmark = pytest.mark.django_db


def in_app(user, **fields) -> Notification:
    return email_notification(
        channel=Channel.IN_APP,
        recipient=user,
        email="",
        subject=fields.pop("subject", "Application OAM-7/DP-2026 filed"),
        body="Your application was filed.",
        body_html="",
        sent_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_owner_sees_their_notifications_newest_first(client, applicant, other_applicant):
    older = in_app(applicant, subject="Older notice")
    newer = in_app(applicant, subject="Newer notice")
    in_app(other_applicant, subject="Someone else's notice")
    # An e-mail row is not shown in the portal twice.
    email_notification(recipient=applicant, subject="The e-mail copy")
    client.force_login(applicant)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Newer notice") < content.index("Older notice")
    assert "Someone else" not in content
    assert "The e-mail copy" not in content
    assert [row["notification"] for row in response.context["rows"]] == [newer, older]


def test_the_list_costs_the_same_few_queries_for_many_notifications(
    client, applicant, django_assert_max_num_queries
):
    application = ApplicationFactory(filed=True, applicant=applicant.applicants.get())
    for number in range(40):
        in_app(applicant, subject=f"Notice {number}", application=application)
    client.force_login(applicant)

    # session, user, count for the paginator, the page, the unread badge
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == 30
    # Each notice links to the applicant's case page.
    case_url = reverse("applications:detail", args=[application.pk])
    assert response.content.decode().count(f'href="{case_url}"') == 30


def test_anonymous_is_sent_to_log_in(anonymous):
    for url in (
        reverse("notifications:list"),
        reverse("notifications:preferences"),
    ):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    response = anonymous.post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_mark_one_read(client, applicant):
    notification = in_app(applicant)
    client.force_login(applicant)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_goes_back_to_a_local_page_only(client, applicant):
    notification = in_app(applicant)
    client.force_login(applicant)

    response = client.post(
        reverse("notifications:mark_read", args=[notification.pk]),
        {"next": "https://evil.example.com/"},
    )

    assert response["Location"] == reverse("notifications:list")


def test_another_users_notification_is_404(client, applicant, other_applicant):
    theirs = in_app(other_applicant)
    client.force_login(applicant)

    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_the_users_own(client, applicant, other_applicant):
    mine = [in_app(applicant) for _ in range(3)]
    theirs = in_app(other_applicant)
    client.force_login(applicant)

    response = client.post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("name", ["mark_read", "mark_all_read"])
def test_actions_refuse_get(client, applicant, name):
    notification = in_app(applicant)
    client.force_login(applicant)
    args = [notification.pk] if name == "mark_read" else []

    response = client.get(reverse(f"notifications:{name}", args=args))

    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_refuses_post(client, applicant):
    client.force_login(applicant)

    assert client.post(reverse("notifications:list")).status_code == 405


def test_staff_see_their_own_notifications_too(client, caseworker):
    in_app(caseworker, kind=Kind.ASSIGNED, subject="Case OAM-9/DP-2026 assigned to you")
    client.force_login(caseworker)

    response = client.get(reverse("notifications:list"))

    assert "Case OAM-9/DP-2026 assigned to you" in response.content.decode()


def test_preferences_turn_email_off_but_not_for_legal_notices(client, applicant):
    client.force_login(applicant)
    form = client.get(reverse("notifications:preferences")).context["form"]
    offered = {value for value, _ in form.fields["email_kinds"].choices}
    assert Kind.DECIDED not in offered
    assert Kind.INTERRUPTED not in offered
    assert Kind.ASSIGNED not in offered  # an office notice

    response = client.post(
        reverse("notifications:preferences"),
        {"email_kinds": [k for k in offered if k != Kind.FILED]},
    )

    assert response.status_code == 302
    assert set(
        NotificationPreference.objects.filter(user=applicant, email_enabled=False).values_list(
            "kind", flat=True
        )
    ) == {Kind.FILED}


def test_preferences_refuse_a_legal_kind_sent_anyway(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("notifications:preferences"), {"email_kinds": ["decided"]})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not NotificationPreference.objects.filter(user=applicant).exists()


# --- The unread badge ------------------------------------------------------------------------


def test_unread_badge_counts_own_unread_in_app_notifications(applicant, other_applicant):
    in_app(applicant)
    in_app(applicant)
    in_app(applicant, read_at=timezone.now())
    in_app(other_applicant)
    email_notification(recipient=applicant)
    request = RequestFactory().get("/")
    request.user = applicant

    assert unread(request)["notifications_unread"] == 2


def test_unread_badge_is_one_query_per_request_and_none_if_not_shown(
    applicant, django_assert_num_queries
):
    in_app(applicant)
    request = RequestFactory().get("/")
    request.user = applicant
    shown = Template("{{ notifications_unread }}{{ notifications_unread }}")

    with django_assert_num_queries(1):
        assert shown.render(RequestContext(request, {})) == "11"
        assert shown.render(RequestContext(request, {})) == "11"
    with django_assert_num_queries(0):
        Template("nothing").render(RequestContext(RequestFactory().get("/"), {}))


def test_no_badge_for_anonymous(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()

    assert unread(request) == {"notifications_unread": 0}


def test_the_admin_lists_notifications_read_only(
    client, superuser, applicant, django_assert_max_num_queries
):
    for _ in range(20):
        in_app(applicant)
    client.force_login(superuser)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:notifications_notification_changelist"))

    assert response.status_code == 200
    notification = Notification.objects.first()
    change = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content


def test_the_admin_explains_a_refused_preference(client, superuser, applicant):
    client.force_login(superuser)

    response = client.post(
        reverse("admin:notifications_notificationpreference_add"),
        {"user": applicant.pk, "kind": Kind.DECIDED, "email_enabled": ""},
    )

    assert response.status_code == 200
    assert b"cannot be switched off" in response.content
    assert not NotificationPreference.objects.exists()


def test_the_header_item_links_to_the_centre_with_the_unread_count(applicant, rf):
    from django.template.loader import render_to_string

    in_app(applicant)
    in_app(applicant)
    request = rf.get("/")
    request.user = applicant

    html = render_to_string("notifications/_nav_item.html", request=request)

    assert f'href="{reverse("notifications:list")}"' in html
    assert ">2<" in html


def test_the_header_item_is_not_shown_to_anonymous(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = AnonymousUser()

    assert render_to_string("notifications/_nav_item.html", request=request).strip() == ""
