"""Response headers: the Content Security Policy and the pages that keep to it, framing and
referrer rules, HTTPS (HSTS and the redirect) and caching of pages with personal data."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import PersonalDataNoStoreMiddleware
from permits.models import PermitType
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


# --- Content Security Policy ------------------------------------------------------------------


def test_the_policy_allows_scripts_only_from_us_or_with_the_page_nonce(anonymous):
    response = anonymous.get(reverse("home"))

    policy = directives(response)
    nonces = [value for value in policy["script-src"] if value.startswith("'nonce-")]
    assert policy["script-src"][0] == "'self'"
    assert len(nonces) == 1
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    # The page's scripts carry the nonce of this response.
    nonce = nonces[0].removeprefix("'nonce-").removesuffix("'")
    assert f'nonce="{nonce}"' in response.content.decode()


def test_the_policy_forbids_framing_plugins_base_and_foreign_forms(anonymous):
    policy = directives(anonymous.get(reverse("permits:catalogue")))

    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_each_response_has_its_own_nonce(anonymous):
    first = directives(anonymous.get(reverse("home")))["script-src"]
    second = directives(anonymous.get(reverse("home")))["script-src"]

    assert first != second


def test_framing_referrer_and_sniffing_headers(anonymous):
    response = anonymous.get(reverse("home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


class InlineCode(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts and styles,
    event-handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.found.append(f"inline <script> {attributes}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_checker_finds_what_the_policy_blocks():
    page = (
        '<script>alert(1)</script><div style="color:red" onclick="x()"></div>'
        '<a href="javascript:alert(1)">x</a><style>p{}</style>'
    )
    assert len(inline_code(page)) == 5


@pytest.fixture
def pages(applicant, caseworker, supervisor, superuser):
    """The site's kinds of page, each with the person who sees it."""
    mine = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    draft = ApplicationFactory(applicant=applicant.applicants.get())
    permit_type = PermitType.objects.order_by("pk").first()
    return [
        (None, reverse("home")),
        (None, reverse("permits:catalogue")),
        (None, reverse("permits:detail", args=[permit_type.code])),
        (None, reverse("accounts:login")),
        (applicant, reverse("applications:dashboard")),
        (applicant, reverse("applications:detail", args=[mine.pk])),
        (applicant, reverse("applications:documents", args=[draft.pk])),
        (caseworker, reverse("caseworker:queue")),
        (caseworker, reverse("caseworker:case", args=[mine.pk])),
        (supervisor, reverse("caseworker:dashboard")),
        (superuser, reverse("admin:index")),
        (superuser, reverse("admin:permits_permittype_change", args=[permit_type.pk])),
        (superuser, reverse("admin:applications_application_change", args=[mine.pk])),
        (superuser, reverse("admin:applications_application_changelist")),
    ]


def test_pages_keep_to_the_policy(client, pages):
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert inline_code(response.content.decode()) == [], url


def test_scripts_and_styles_come_from_our_own_static_files(client, superuser):
    """The admin's translation tabs would load jQuery UI from a CDN, which the policy refuses:
    a copy is served with the static files."""
    client.force_login(superuser)
    permit_type = PermitType.objects.order_by("pk").first()
    page = client.get(
        reverse("admin:permits_permittype_change", args=[permit_type.pk])
    ).content.decode()

    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in sources
    assert [source for source in sources if not source.startswith("/")] == []
    assert finders.find("vendor/jquery-ui/jquery-ui.min.js")


# --- HTTPS ------------------------------------------------------------------------------------


@pytest.fixture
def production_https(settings):
    """The HTTPS settings production has (tests/security/test_deploy.py checks they are)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_https_responses_carry_hsts(production_https, anonymous):
    response = anonymous.get(reverse("home"), secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https(production_https, anonymous):
    response = anonymous.get(reverse("permits:catalogue"))

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/permits/"


def test_the_health_probe_answers_over_plain_http(production_https, anonymous):
    response = anonymous.get("/healthz")

    assert response.status_code in (200, 503)


def test_the_session_cookie_is_secure_http_only_and_same_site(production_https, client, applicant):
    response = client.post(
        reverse("accounts:login"),
        {"username": applicant.email, "password": "password-for-tests"},
        secure=True,
    )

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


# --- Caching ----------------------------------------------------------------------------------


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def test_a_signed_in_persons_pages_are_never_stored(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("applications:dashboard"))

    assert {"no-store", "private"} <= cache_control(response)


def test_a_document_download_is_never_stored(client, applicant):
    application = ApplicationFactory(applicant=applicant.applicants.get(), filed=True)
    client.force_login(applicant)

    response = client.get(reverse("documents:download", args=[application.documents.first().pk]))

    assert response.status_code == 200
    assert "no-store" in cache_control(response)


def test_a_form_sent_back_with_errors_is_never_stored(anonymous):
    response = anonymous.post(reverse("accounts:signup"), {"email": "olena@example.com"})

    assert response.status_code == 200
    assert "no-store" in cache_control(response)


def test_public_pages_for_anonymous_visitors_stay_cacheable(anonymous):
    response = anonymous.get(reverse("permits:catalogue"))

    assert "no-store" not in cache_control(response)
    assert "private" not in cache_control(response)


@pytest.fixture
def signed_in_request(applicant):
    def make(path: str):
        request = RequestFactory().get(path)
        request.user = applicant
        return request

    return make


def test_static_files_are_left_cacheable(signed_in_request):
    middleware = PersonalDataNoStoreMiddleware(lambda request: HttpResponse("body {}"))

    response = middleware(signed_in_request("/static/css/site.css"))

    assert not response.has_header("Cache-Control")


def test_a_view_that_sets_its_own_cache_control_keeps_it(signed_in_request):
    def view(request):
        response = HttpResponse("report")
        response["Cache-Control"] = "no-cache"
        return response

    response = PersonalDataNoStoreMiddleware(view)(signed_in_request("/reports/"))

    assert response["Cache-Control"] == "no-cache"


def test_anonymous_get_is_left_alone():
    request = RequestFactory().get("/permits/")
    request.user = AnonymousUser()

    response = PersonalDataNoStoreMiddleware(lambda request: HttpResponse("ok"))(request)

    assert not response.has_header("Cache-Control")
