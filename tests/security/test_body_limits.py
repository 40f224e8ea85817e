"""Request bodies larger than their page accepts are refused with 413 before they are read.

The requests go through ``config.wsgi.application``, what gunicorn runs, with a ``wsgi.input``
that makes its bytes on demand and counts how many were read; uploads land in a temporary
directory of the test's own (FILE_UPLOAD_TEMP_DIR), watched while the body is read.
"""

from __future__ import annotations

import inspect
import io
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.crypto import get_random_string
from PIL import Image

from config.middleware import UPLOAD_URLS, request_body_limit
from config.wsgi import application as wsgi_application
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
MB = 1000 * 1000
MIB = 1024 * 1024
BLOCK = 64 * 1024


# --- A client that sends bodies of any size without making them -------------------------------


class CountingInput:
    """A ``wsgi.input`` of ``size`` bytes: ``head``, then filler made as it is read. Counts the
    bytes read, and after each read measures the files in ``temp_dir``."""

    def __init__(self, head: bytes, size: int, temp_dir: Path) -> None:
        self.head = head
        self.size = size
        self.temp_dir = temp_dir
        self.bytes_read = 0
        self.most_on_disk = 0

    def read(self, n: int | None = -1) -> bytes:
        remaining = self.size - self.bytes_read
        if n is None or n < 0:
            # Reading "everything" of a huge body at once is the fault under test: fail, do not
            # try to hold a gigabyte.
            assert remaining <= 64 * MIB, f"read() of all {remaining} bytes at once"
            n = remaining
        n = min(n, remaining)
        start = self.bytes_read
        head = self.head[start : start + n]
        data = head + b"0" * (n - len(head))
        self.bytes_read += n
        self.most_on_disk = max(self.most_on_disk, on_disk(self.temp_dir))
        return data

    def readline(self, n: int | None = -1) -> bytes:
        ahead = self.head[self.bytes_read : self.bytes_read + BLOCK]
        end = ahead.find(b"\n") + 1 or BLOCK
        return self.read(end if n is None or n < 0 else min(n, end))


class BytesInput(CountingInput):
    """A ``wsgi.input`` of real bytes (a whole request that should pass), counted the same way."""

    def __init__(self, body: bytes, temp_dir: Path) -> None:
        super().__init__(body, len(body), temp_dir)


def on_disk(directory: Path) -> int:
    return sum(path.stat().st_size for path in directory.iterdir() if path.is_file())


@contextmanager
def database_kept_open() -> Iterator[None]:
    """The WSGI handler closes database connections at the start and end of each request; the
    test's transaction must survive it, as it does for Django's test client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def call(environ: dict[str, Any]) -> tuple[int, dict[str, str], str]:
    """Run ``config.wsgi.application`` as a WSGI server would."""
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    with database_kept_open():
        result = wsgi_application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    return answer["status"], answer["headers"], body.decode()


def environ(
    path: str,
    body: CountingInput,
    *,
    content_type: str,
    length: int | None,
    cookies: dict[str, str],
    **extra: str,
) -> dict[str, Any]:
    values = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "198.51.100.20",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT_LANGUAGE": "en",
        "HTTP_COOKIE": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "CONTENT_TYPE": content_type,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **extra,
    }
    if length is not None:
        values["CONTENT_LENGTH"] = str(length)
    return values


@pytest.fixture
def temp_dir(settings, tmp_path) -> Path:
    directory = tmp_path / "uploads"
    directory.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(directory)
    return directory


@pytest.fixture
def csrf() -> str:
    return get_random_string(32)


def multipart_head(fields: dict[str, str], file_field: str, file_name: str) -> bytes:
    """The start of a multipart body: the fields, then the headers of one file part."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="{file_field}"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    return "".join(parts).encode()


@pytest.fixture
def draft(applicant):
    return ApplicationFactory(applicant=applicant.applicants.get())


@pytest.fixture
def session(applicant) -> str:
    browser = Client()
    browser.force_login(applicant)
    return browser.cookies["sessionid"].value


# --- Refused before reading ------------------------------------------------------------------


def test_a_100_mb_upload_is_refused_before_a_byte_of_it_is_read(
    draft, session, csrf, temp_dir, settings
):
    url = reverse("applications:documents", args=[draft.pk])
    head = multipart_head(
        {"csrfmiddlewaretoken": csrf, "item": "travel_document"}, "travel_document-file", "a.pdf"
    )
    body = CountingInput(head, 100 * MB, temp_dir)

    status, _headers, page = call(
        environ(
            url,
            body,
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            length=body.size,
            cookies={"sessionid": session, "csrftoken": csrf},
        )
    )

    assert status == 413
    assert "What you sent is too large" in page
    assert "A file can be at most 10.0\xa0MB." in page
    assert body.bytes_read < 2 * MB
    assert body.bytes_read == 0
    assert body.most_on_disk == 0
    assert list(temp_dir.iterdir()) == []
    assert not draft.documents.exists()


def test_a_1_gb_anonymous_post_to_log_in_is_refused_before_it_is_read(temp_dir, csrf):
    # A file part: Django's own limit on form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) does not
    # count files, which it writes to a temporary file as they arrive.
    head = multipart_head({"csrfmiddlewaretoken": csrf}, "username", "a.pdf")
    body = CountingInput(head, 1000 * MB, temp_dir)

    status, headers, page = call(
        environ(
            reverse("accounts:login"),
            body,
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            length=body.size,
            cookies={"csrftoken": csrf},
            HTTP_ACCEPT_LANGUAGE="uk",
        )
    )

    assert status == 413
    assert body.bytes_read < 2 * MB
    assert body.bytes_read == 0
    assert list(temp_dir.iterdir()) == []
    # In the visitor's language, inside the site's page (its policy headers included).
    assert '<html lang="uk" data-theme="light">' in page
    assert headers["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in headers


def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(temp_dir, settings, csrf):
    head = multipart_head({"csrfmiddlewaretoken": csrf}, "username", "a.pdf")
    body = CountingInput(head, 1000 * MB, temp_dir)

    status, _headers, page = call(
        environ(
            reverse("accounts:login"),
            body,
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            length=None,
            cookies={"csrftoken": csrf},
            HTTP_TRANSFER_ENCODING="chunked",
        )
    )

    assert status == 413
    assert "This page accepts at most 1.0\xa0MB." in page
    assert body.bytes_read == settings.REQUEST_BODY_MAX_BYTES + 1
    assert body.bytes_read < 2 * MB
    assert list(temp_dir.iterdir()) == []


def test_a_chunked_upload_is_cut_off_at_the_upload_limit(draft, session, csrf, temp_dir, settings):
    url = reverse("applications:documents", args=[draft.pk])
    head = multipart_head(
        {"csrfmiddlewaretoken": csrf, "item": "travel_document"}, "travel_document-file", "a.pdf"
    )
    body = CountingInput(head, 100 * MB, temp_dir)

    status, _headers, _page = call(
        environ(
            url,
            body,
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
            length=None,
            cookies={"sessionid": session, "csrftoken": csrf},
            HTTP_TRANSFER_ENCODING="chunked",
        )
    )

    assert status == 413
    limit = settings.REQUEST_BODY_MAX_BYTES + settings.DOCUMENT_MAX_UPLOAD_BYTES
    assert body.bytes_read == limit + 1
    assert list(temp_dir.iterdir()) == []
    assert not draft.documents.exists()


def test_a_chunked_body_within_the_limit_reaches_the_page(temp_dir, csrf):
    """Django alone reads nothing of a body without a length; given its length, it reads it."""
    user = UserFactory(email="anna@example.com")
    form = f"csrfmiddlewaretoken={csrf}&username={user.email}&password=password-for-tests"
    body = BytesInput(form.encode(), temp_dir)

    status, _headers, _page = call(
        environ(
            reverse("accounts:login"),
            body,
            content_type="application/x-www-form-urlencoded",
            length=None,
            cookies={"csrftoken": csrf},
            HTTP_TRANSFER_ENCODING="chunked",
        )
    )

    assert status == 302
    assert body.bytes_read == len(form)


# --- What should pass still passes -----------------------------------------------------------


def noise_png(approximate_bytes: int) -> bytes:
    """A PNG of random pixels: it cannot be compressed, so its size is about its pixels'."""
    side = int((approximate_bytes / 3) ** 0.5)
    pixels = random.Random(12).randbytes(side * side * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), pixels).save(out, "PNG", compress_level=1)
    return out.getvalue()


def test_a_9_mb_document_still_uploads(draft, session, csrf, temp_dir, settings):
    scan = noise_png(9 * MB)
    assert 8.5 * MB < len(scan) < settings.DOCUMENT_MAX_UPLOAD_BYTES
    content = encode_multipart(
        BOUNDARY,
        {
            "csrfmiddlewaretoken": csrf,
            "item": "travel_document",
            "travel_document-file": SimpleUploadedFile("passport.png", scan, "image/png"),
        },
    )
    body = BytesInput(content, temp_dir)

    status, _headers, _page = call(
        environ(
            reverse("applications:documents", args=[draft.pk]),
            body,
            content_type=MULTIPART_CONTENT,
            length=len(content),
            cookies={"sessionid": session, "csrftoken": csrf},
        )
    )

    assert status == 302, _page
    assert body.bytes_read == len(content)
    # Larger than FILE_UPLOAD_MAX_MEMORY_SIZE: it passed through the temporary directory.
    assert body.most_on_disk > 0
    assert list(temp_dir.iterdir()) == []
    document = draft.documents.get()
    assert (document.original_name, document.size) == ("passport.png", len(scan))


def test_without_the_wsgi_wrapper_the_middleware_refuses_by_content_length(
    draft, applicant, settings
):
    """The test client does not pass through config.wsgi: the middleware alone answers."""
    settings.DOCUMENT_MAX_UPLOAD_BYTES = MIB
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(applicant)
    response = browser.post(
        reverse("applications:documents", args=[draft.pk]),
        {
            "item": "travel_document",
            "travel_document-file": SimpleUploadedFile("big.pdf", b"%" * (2 * MIB + 1)),
        },
    )

    assert response.status_code == 413
    assert "A file can be at most 1.0\xa0MB." in response.text
    assert not draft.documents.exists()


def test_the_appeal_takes_several_documents_at_once():
    appeal = reverse("applications:appeal", args=[1])
    documents = reverse("applications:documents", args=[1])

    assert request_body_limit(appeal) == 1 * MIB + 5 * 10 * MIB
    assert request_body_limit(documents) == 1 * MIB + 10 * MIB
    assert request_body_limit(reverse("accounts:login")) == 1 * MIB
    assert request_body_limit("/no-such-page/") == 1 * MIB


# --- Every page that takes files has its limit -----------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _patterns(pattern, namespace)
        else:
            yield f"{prefix}{pattern.name}", pattern


def _our_code(view: Any) -> bool:
    """Defined in this project, not in Django or a library."""
    package = view.__module__.partition(".")[0]
    return (BASE_DIR / package / "__init__.py").is_file()


def _takes_files(view: Any) -> bool:
    """Whether the view reads uploaded files: our code that reads ``request.FILES``, or a form
    class with a file field handed to Django's generic views."""
    classes = inspect.getmro(view) if inspect.isclass(view) else (view,)
    for cls in classes:
        if _our_code(cls) and "FILES" in inspect.getsource(cls):
            return True
    form_class = getattr(view, "form_class", None)
    return form_class is not None and any(
        isinstance(field, forms.FileField) for field in form_class.base_fields.values()
    )


def test_every_page_that_takes_files_has_an_upload_limit_and_only_those():
    site_patterns = [
        (name, pattern)
        for name, pattern in _patterns(get_resolver())
        if not name.startswith("admin:")
    ]
    taking_files = {
        name
        for name, pattern in site_patterns
        if _takes_files(getattr(pattern.callback, "view_class", pattern.callback))
    }

    assert taking_files == set(UPLOAD_URLS)


def test_the_back_office_takes_no_files(superuser):
    """The admin's pages are not in UPLOAD_URLS: none of its forms may have a file field (a
    document's file is shown read-only)."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    with_files = []
    for model, model_admin in admin.site._registry.items():
        forms_shown = [model_admin.get_form(request)]
        forms_shown += [
            inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
        ]
        for form in forms_shown:
            if any(isinstance(field, forms.FileField) for field in form.base_fields.values()):
                with_files.append(model._meta.label)

    assert with_files == []
