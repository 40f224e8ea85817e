#!/usr/bin/env python
"""Production smoke test (`make smoke`): the release as an operator runs it, driven over HTTP.

It builds the environment from exactly the variables of `.env.example` (DJANGO_DEBUG stays 0),
with fresh secrets, and takes the steps the README's "Running it for real" names: `migrate`,
`collectstatic` with the production storage, `check --deploy`, `create_staff_user` (password on
standard input), then gunicorn (config.wsgi), one Celery worker and one beat, as `make worker`
and `make beat` start them. Then one case goes through the portal the way people use it, over
HTTP with cookies and CSRF tokens: an applicant signs up, opens the link in the verification
e-mail, logs in, fills in the profile, starts an application, answers its questions, uploads
every required document and files it; the caseworker logs in with the password, enrols an
authenticator app (codes computed with django-otp's TOTP), claims the case, accepts the
documents and grants the permit; the worker renders the decision's PDF, and the applicant opens
the decision and downloads it. Every response must be below 500, and no log may hold a
traceback. `/healthz` must answer 200. It drives only what a browser sees, never the code's
internals, so it holds however the work behind a page is done.

Stand-ins for the hosts of `.env.example` that do not exist on this machine, and only those:

- DATABASE_URL: a fresh database on the local PostgreSQL (SMOKE_POSTGRES_URL, by default
  postgres://postgres@127.0.0.1:5432/postgres), created here and dropped at the end.
- REDIS_URL: the local Redis, database SMOKE_REDIS_DB (13), flushed before and after.
- EMAIL_URL: an SMTP sink run here (aiosmtpd) that takes the example's user and password;
  plain SMTP, since Django would not trust a certificate the sink made up (STARTTLS is not
  exercised). The verification link is read from it.
- CLAMD_URL: a stand-in clamd run here that speaks INSTREAM (documents/scanning.py) and answers
  every file clean; it counts the files it was sent.
- DJANGO_PRIVATE_MEDIA_ROOT, DJANGO_STATIC_ROOT: directories under a temporary directory.

Everything else is as `.env.example` writes it: the site's host (sent as the Host header), a TLS
proxy in front (X-Forwarded-Proto: https, and X-Forwarded-For for the one trusted proxy), the
HTTPS redirect, secure cookies, HSTS, the CSP and the upload limits. Every wait is bounded;
processes are stopped and the database, the Redis database and the temporary directory are
removed even when a step fails. Exit status 0 only when every step passed.

    .venv/bin/python scripts/smoke.py     # or: make smoke
"""

from __future__ import annotations

import base64
import email
import email.policy
import html
import io
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import socketserver
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from http.client import HTTPConnection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The stand-in scans it uploads are the project's own (plain Python, no Django).
sys.path.insert(0, str(BASE_DIR))
from documents.sample_pdf import minimal_pdf  # noqa: E402

POSTGRES_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_DB = int(os.environ.get("SMOKE_REDIS_DB", "13"))

# The client's address as the TLS proxy reports it (TEST-NET-3, RFC 5737).
CLIENT_ADDRESS = "203.0.113.7"
APPLICANT_EMAIL = "olena.smoke@example.org"
CASEWORKER_EMAIL = "jana.smoke@pobyty.example.gov.cz"
# The permit applied for: it asks one question and needs two documents, so the run stays short;
# the other types take the same path.
PERMIT_TYPE = "card_replacement"

# Bounds, in seconds.
COMMAND_TIMEOUT = 240
START_TIMEOUT = 60
MAIL_TIMEOUT = 30
PDF_TIMEOUT = 90
REQUEST_TIMEOUT = 60
STOP_TIMEOUT = 20


# aiosmtpd logs a warning about an attribute it sets itself whenever a client logs in.
logging.getLogger("mail.log").setLevel(logging.ERROR)


class SmokeFailure(Exception):
    """A step did not do what production must do."""


# --- Output -------------------------------------------------------------------------------------

STARTED = time.monotonic()


def say(line: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {line}", flush=True)


@contextmanager
def step(name: str) -> Iterator[None]:
    started = time.monotonic()
    try:
        yield
    except Exception as error:
        say(f"FAIL {name}: {error}")
        raise
    say(f"ok   {name} ({time.monotonic() - started:.1f} s)")


# --- The environment ---------------------------------------------------------------------------


def read_env_example() -> dict[str, str]:
    """The variables `.env.example` sets, as a deployment copies them (comments left out)."""
    variables = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep:
            raise SmokeFailure(f".env.example: not NAME=value: {line!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        variables[name.strip()] = value
    return variables


def fresh_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class StandIns:
    database_url: str
    redis_url: str
    email_url: str
    clamd_url: str
    private_root: Path
    static_root: Path


def production_environment(example: dict[str, str], stand_ins: StandIns, home: Path) -> dict:
    """`.env.example`'s variables with fresh secrets and the stand-ins, and nothing else from
    this shell (a DATABASE_URL or REDIS_URL exported for the tests must not leak in)."""
    env = dict(example)
    if env.get("DJANGO_DEBUG") != "0":
        raise SmokeFailure(".env.example must set DJANGO_DEBUG=0")
    key_id = env["FIELD_ENCRYPTION_KEYS"].split(":", 1)[0]
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=f"{key_id}:{fresh_key()}",
        BLIND_INDEX_KEY=fresh_key(),
        DATABASE_URL=stand_ins.database_url,
        REDIS_URL=stand_ins.redis_url,
        EMAIL_URL=stand_ins.email_url,
        CLAMD_URL=stand_ins.clamd_url,
        DJANGO_PRIVATE_MEDIA_ROOT=str(stand_ins.private_root),
        DJANGO_STATIC_ROOT=str(stand_ins.static_root),
    )
    env.update(
        PATH=os.environ.get("PATH", "/usr/bin:/bin"),
        HOME=str(home),
        LANG="C.UTF-8",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- Stand-in: PostgreSQL database and Redis database -------------------------------------------


class Database:
    """A database of its own on the local PostgreSQL, dropped at the end."""

    def __init__(self) -> None:
        self.name = f"smoke_{secrets.token_hex(6)}"
        parts = urlsplit(POSTGRES_URL)
        self.url = parts._replace(path=f"/{self.name}").geturl()
        self.created = False

    def _admin(self):
        import psycopg

        return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=10)

    def create(self) -> None:
        from psycopg import sql

        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        self.created = True

    def drop(self) -> None:
        from psycopg import sql

        if not self.created:
            return
        with self._admin() as connection:
            # FORCE: a connection a killed process left behind must not keep the database.
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
        self.created = False


def redis_flush() -> None:
    import redis

    redis.Redis(
        host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=5, socket_connect_timeout=5
    ).flushdb()


# --- Stand-in: SMTP sink ------------------------------------------------------------------------


class MailSink:
    """An SMTP server on a free local port that keeps what it is sent."""

    def __init__(self, username: str, password: str) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword

        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                with sink.lock:
                    sink.messages.append(message)
                return "250 OK"

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and (
                auth_data.login.decode() == username and auth_data.password.decode() == password
            )
            return AuthResult(success=ok)

        self.port = free_port()
        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            # The sink has no certificate Django would trust, so it takes AUTH in plain text.
            auth_require_tls=False,
        )

    def start(self) -> None:
        self.controller.start()
        self.started = True

    def stop(self) -> None:
        if getattr(self, "started", False):
            self.controller.stop()
            self.started = False

    def wait_for(self, to: str, timeout: float) -> email.message.EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for message in self.messages:
                    if to in str(message["To"]):
                        return message
            time.sleep(0.2)
        raise SmokeFailure(f"no e-mail to {to} within {timeout} s")


def text_body(message: email.message.EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise SmokeFailure("the e-mail has no text part")
    return part.get_content()


# --- Stand-in: clamd ----------------------------------------------------------------------------


class CleanClamd(socketserver.ThreadingTCPServer):
    """Answers clamd's INSTREAM command with "stream: OK" for every file (documents/scanning.py):
    the command, then chunks each prefixed by a 4-byte big-endian length, then a zero length."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.scanned = 0
        self.refused: list[str] = []
        super().__init__(("127.0.0.1", 0), self.Handler)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            connection: socket.socket = self.request
            connection.settimeout(10)
            stream = connection.makefile("rb")
            command = b""
            while not command.endswith(b"\0"):
                byte = stream.read(1)
                if not byte:
                    return
                command += byte
            if command != b"zINSTREAM\0":
                self.server.refused.append(command.decode(errors="replace"))
                connection.sendall(b"UNKNOWN COMMAND\0")
                return
            while True:
                (length,) = struct.unpack("!L", stream.read(4))
                if length == 0:
                    break
                stream.read(length)
            self.server.scanned += 1
            connection.sendall(b"stream: OK\0")

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"tcp://{host}:{port}"

    def start(self) -> None:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.started = True

    def stop(self) -> None:
        if getattr(self, "started", False):
            self.shutdown()
        self.server_close()


# --- Processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        output = tail(result.stderr + result.stdout)
        raise SmokeFailure(f"manage.py {args[0]} exited {result.returncode}:\n{output}")
    return result.stdout


@dataclass
class Service:
    name: str
    command: list[str]
    log: Path
    process: subprocess.Popen | None = None
    # The log's length once the start-up wait was over: the 503s of /healthz before it are
    # expected (the worker had not beaten yet).
    startup_log_length: int = 0

    def start(self, env: dict) -> None:
        out = self.log.open("wb")
        # A session of its own, so stopping it stops its children (gunicorn's and Celery's
        # worker processes) and nothing else.
        self.process = subprocess.Popen(  # noqa: S603 - fixed commands of this project
            self.command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()

    def check_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            raise SmokeFailure(f"{self.name} exited:\n{tail(self.log.read_text(errors='replace'))}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-lines:])


def wait_until(what: str, check: Callable[[], Any], timeout: float, every: float = 0.5) -> Any:
    """Call ``check`` until it answers true, at most ``timeout`` seconds. A connection error
    counts as "not yet"; a ``SmokeFailure`` ends the wait at once."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError as error:
            last_error = error
        else:
            if result:
                return result
        time.sleep(every)
    raise SmokeFailure(
        f"{what}: not within {timeout} s" + (f" ({last_error})" if last_error else "")
    )


# --- HTTP: a browser without a browser ----------------------------------------------------------


@dataclass
class Response:
    status: int
    url: str  # the path, with the query
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    # (name, type, value, checked); selects as type "select" with the chosen value.
    fields: list[tuple[str, str, str, bool]] = field(default_factory=list)
    options: dict[str, list[str]] = field(default_factory=dict)

    def names(self) -> set[str]:
        return {name for name, *_ in self.fields}

    def defaults(self) -> list[tuple[str, str]]:
        """What a browser would send untouched (no button, no file)."""
        values = []
        for name, kind, value, checked in self.fields:
            if kind in ("checkbox", "radio") and not checked:
                continue
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            values.append((name, value))
        return values


class PageParser(HTMLParser):
    """The forms, links, scripts and stylesheets of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.assets: list[str] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self._link: str | None = None
        self._link_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self._link, self._link_text = a["href"], ""
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "link" and "stylesheet" in a.get("rel", "") and a.get("href"):
            self.assets.append(a["href"])
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            self._form.fields.append((a["name"], kind, a.get("value", ""), "checked" in a))
            if kind == "radio":
                self._form.options.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "button" and a.get("name"):
            self._form.fields.append((a["name"], "submit", a.get("value", ""), False))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
            self._form.options[a["name"]] = []
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._form.options[self._select].append(value)
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link, " ".join(self._link_text.split())))
            self._link = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._form.options[self._select]
            # Nothing selected: a browser sends the first option.
            value = self._select_value
            if value is None:
                value = options[0] if options else ""
            self._form.fields.append((self._select, "select", value, True))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "textarea", self._text, True))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link_text += data
        if self._textarea is not None:
            self._text += data


def parse(page: Response) -> PageParser:
    parser = PageParser()
    parser.feed(page.text)
    return parser


class Browser:
    """One person's session: cookies, the site's host, and the headers the TLS proxy adds.

    Every response is checked: a 5xx anywhere fails the smoke test.
    """

    def __init__(self, port: int, host: str, language: str = "en") -> None:
        self.port = port
        self.host = host
        self.origin = f"https://{host}"
        self.cookies: dict[str, str] = {"django_language": language}
        self.requests = 0

    def send(
        self, method: str, path: str, body: bytes | None, headers: dict, tolerate: int = 0
    ) -> Response:
        """One request, redirects not followed. A 5xx fails, except the status ``tolerate``."""
        connection = HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        all_headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": CLIENT_ADDRESS,
            "User-Agent": "permits-smoke-test",
            "Accept-Language": "en",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **headers,
        }
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            data = raw.read()
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    cookie_name, _, rest = value.partition("=")
                    cookie_value = rest.split(";", 1)[0]
                    if "max-age=0" in value.lower() or "expires=thu, 01 jan 1970" in value.lower():
                        self.cookies.pop(cookie_name.strip(), None)
                    else:
                        self.cookies[cookie_name.strip()] = cookie_value
        finally:
            connection.close()
        self.requests += 1
        response = Response(raw.status, path, response_headers, data)
        if response.status >= 500 and response.status != tolerate:
            raise SmokeFailure(f"{method} {path} answered {response.status}")
        return response

    def local(self, location: str, base: str) -> str:
        """A redirect's target as a path on this site (a redirect off the site fails)."""
        target = urlsplit(urljoin(self.origin + base, location))
        if f"{target.scheme}://{target.netloc}" != self.origin:
            raise SmokeFailure(f"redirected off the site, to {location}")
        return target.path + (f"?{target.query}" if target.query else "")

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        follow: bool = True,
    ) -> Response:
        response = self.send(method, path, body, headers or {})
        hops = 0
        while follow and response.status in (301, 302, 303, 307, 308):
            hops += 1
            if hops > 10:
                raise SmokeFailure(f"{path}: more than 10 redirects")
            response = self.send("GET", self.local(response.headers["location"], path), None, {})
        return response

    def get(self, path: str, *, expect: int = 200) -> Response:
        response = self.request("GET", path)
        if expect and response.status != expect:
            raise SmokeFailure(f"GET {path} answered {response.status}, not {expect}")
        return response

    def submit(
        self,
        page: Response,
        form: Form,
        values: dict[str, str | list[str]] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Response:
        """Send ``form`` as a browser would, with ``values`` typed in and ``files`` chosen, and
        follow the redirect every successful POST of this site answers with. A page that comes
        back instead fails, naming the errors it shows."""
        if form.method != "post":
            raise SmokeFailure(f"{page.url}: the form is not a POST form")
        pairs = [(k, v) for k, v in form.defaults() if k not in (values or {})]
        for name, value in (values or {}).items():
            for one in [value] if isinstance(value, str) else value:
                pairs.append((name, one))
        action = self.local(form.action or page.url, page.url)
        headers = {"Origin": self.origin, "Referer": self.origin + page.url}
        if files or form.enctype == "multipart/form-data":
            body, content_type = multipart(pairs, files or {})
        else:
            body, content_type = urlencode(pairs).encode(), "application/x-www-form-urlencoded"
        headers["Content-Type"] = content_type
        first = self.request("POST", action, body, headers, follow=False)
        if first.status not in (302, 303):
            errors = re.findall(r'class="[^"]*invalid-feedback[^"]*"[^>]*>(.*?)<', first.text, re.S)
            alerts = re.findall(r'class="alert alert-danger[^"]*"[^>]*>(.*?)</', first.text, re.S)
            found = [" ".join(html.unescape(e).split()) for e in errors + alerts]
            raise SmokeFailure(
                f"POST {action} answered {first.status}, not a redirect"
                + (f": {'; '.join(found)[:500]}" if found else "")
            )
        return self.get(self.local(first.headers["location"], action), expect=0)


def multipart(
    pairs: list[tuple[str, str]], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = f"----smoke{secrets.token_hex(12)}"
    out = io.BytesIO()
    for name, value in pairs:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def form_with(page: Response, *, action: str | None = None, field_name: str | None = None) -> Form:
    """The form on ``page`` that posts to the path ``action`` ("" for the page itself) and has
    the field ``field_name``, when given."""
    for form in parse(page).forms:
        target = urlsplit(urljoin(page.url, form.action or page.url)).path
        if action is not None and target != (action or urlsplit(page.url).path):
            continue
        if field_name is not None and field_name not in form.names():
            continue
        return form
    wanted = f" posting to {action or page.url}" if action is not None else ""
    wanted += f" with {field_name}" if field_name else ""
    raise SmokeFailure(f"{page.url}: no form{wanted}")


def element_text(page: Response, element_id: str) -> str:
    """The text of the element, inline markup inside it (a span that keeps a reference number
    on one line, a strong) left out."""
    inline = "span|strong|em|a|abbr|time|code"
    match = re.search(
        rf'id="{re.escape(element_id)}"[^>]*>(.*?)</(?!(?:{inline})>)\w+>', page.text, re.S
    )
    if match is None:
        raise SmokeFailure(f"{page.url}: no #{element_id}")
    text = re.sub(r"<[^>]+>", "", match.group(1))
    return " ".join(html.unescape(text).split())


def totp_code(secret_base32: str) -> str:
    """The code an authenticator app shows now for ``secret_base32`` (django-otp's TOTP)."""
    from django_otp.oath import TOTP

    key = base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    return f"{TOTP(key, step=30, t0=0, digits=6, drift=0).token():06d}"


# --- The journey --------------------------------------------------------------------------------


@dataclass
class Case:
    pk: int = 0
    reference: str = ""
    documents: int = 0


def check_static_files(browser: Browser, page: Response) -> int:
    """Every stylesheet and script the page names is served (hashed names, by WhiteNoise)."""
    assets = [a for a in parse(page).assets if a.startswith("/static/")]
    if not assets:
        raise SmokeFailure(f"{page.url} names no static files")
    for asset in assets:
        if not re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset):
            raise SmokeFailure(f"{asset} is not a hashed name from the manifest")
        response = browser.get(asset)
        if "max-age=315360000" not in response.headers.get("cache-control", ""):
            raise SmokeFailure(f"{asset} is not served as a cacheable hashed file")
    return len(assets)


def applicant_signs_up(browser: Browser, mail: MailSink, password: str, from_email: str) -> None:
    page = browser.get("/accounts/signup/")
    browser.submit(
        page,
        form_with(page, field_name="password1"),
        {
            "email": APPLICANT_EMAIL,
            "password1": password,
            "password2": password,
            "preferred_language": "en",
            "consent": "on",
        },
    )
    message = mail.wait_for(APPLICANT_EMAIL, MAIL_TIMEOUT)
    if from_email not in str(message["From"]):
        raise SmokeFailure(f"the e-mail came from {message['From']}, not {from_email}")
    match = re.search(
        rf"{re.escape(browser.origin)}(/accounts/verify/[^/\s]+/[^/\s]+/)", text_body(message)
    )
    if match is None:
        raise SmokeFailure("no https verification link on the site's host in the e-mail")
    page = browser.get(match.group(1))
    page = browser.submit(page, form_with(page, action=""))
    if not page.url.startswith("/accounts/profile/"):
        raise SmokeFailure(f"activation led to {page.url}, not the profile")


def log_in(browser: Browser, email_address: str, password: str) -> Response:
    page = browser.get("/accounts/login/")
    return browser.submit(
        page,
        form_with(page, field_name="password"),
        {"username": email_address, "password": password},
    )


def log_out(browser: Browser, page: Response) -> None:
    page = browser.submit(page, form_with(page, action="/accounts/logout/"))
    if "sessionid" in browser.cookies:
        raise SmokeFailure("the session survived logging out")


def applicant_completes_profile(browser: Browser) -> None:
    page = browser.get("/accounts/profile/")
    page = browser.submit(
        page,
        form_with(page, field_name="given_names"),
        {
            "given_names": "Olena",
            "surname": "Smoketestová",
            "date_of_birth": "1991-04-12",
            "nationality": "UA",
            "travel_document_number": "FP7654321",
            "address": "Vinohradská 12, 120 00 Praha 2",
            "phone": "+420 601 234 567",
            "preferred_language": "en",
        },
    )
    if "Your profile was saved." not in page.text:
        raise SmokeFailure("the profile was not saved")


def applicant_files(browser: Browser, case: Case, clamd: CleanClamd) -> None:
    # As from the permit's page in the catalogue: the start page comes with the type chosen,
    # and the applicant's own record, the only one, is chosen too.
    page = browser.get(f"/applications/new/?type={PERMIT_TYPE}")
    form = form_with(page, field_name="permit_type")
    chosen = dict(form.defaults())
    if not chosen.get("permit_type") or not chosen.get("applicant"):
        raise SmokeFailure(f"the start page did not choose {PERMIT_TYPE} and the applicant")
    page = browser.submit(page, form)
    match = re.match(r"/applications/(\d+)/$", page.url)
    if match is None:
        raise SmokeFailure(f"starting the application led to {page.url}")
    case.pk = int(match.group(1))

    page = browser.get(f"/applications/{case.pk}/questions/")
    form = form_with(page, field_name="save_later")
    answers = {}
    for name, options in form.options.items():
        # Yes/no questions: "no" (no asylum or subsidiary protection).
        if set(options) >= {"True", "False"}:
            answers[name] = "False"
    browser.submit(page, form, answers)

    page = browser.get(f"/applications/{case.pk}/documents/")
    upload_forms = [f for f in parse(page).forms if any(k == "file" for _n, k, *_ in f.fields)]
    if not upload_forms:
        raise SmokeFailure("the documents page asks for no document")
    scanned_before = clamd.scanned
    for form in upload_forms:
        file_field = next(n for n, k, *_ in form.fields if k == "file")
        kind = file_field.removesuffix("-file")
        page = browser.submit(
            page,
            form,
            files={
                file_field: (f"{kind}.pdf", minimal_pdf(f"Smoke test: {kind}"), "application/pdf")
            },
        )
        if "the file is uploaded" not in page.text:
            raise SmokeFailure(f"{kind}: the upload was not accepted")
        case.documents += 1
    if clamd.scanned - scanned_before != case.documents:
        raise SmokeFailure(
            f"clamd scanned {clamd.scanned - scanned_before} files of {case.documents} uploaded"
        )

    browser.get(f"/applications/{case.pk}/check/")
    page = browser.get(f"/applications/{case.pk}/file/")
    form = form_with(page, action="")
    boxes = {name: "on" for name, kind, *_ in form.fields if kind == "checkbox"}
    page = browser.submit(page, form, boxes)
    if page.url != f"/applications/{case.pk}/filed/":
        raise SmokeFailure(f"filing led to {page.url}")
    case.reference = element_text(page, "reference-number")
    if not re.fullmatch(r"OAM-\d+/[A-Z]+-\d{4}", case.reference):
        raise SmokeFailure(f"{case.reference!r} is not a reference number")


def caseworker_enrols(browser: Browser, password: str) -> None:
    page = log_in(browser, CASEWORKER_EMAIL, password)
    if not page.url.startswith("/accounts/two-factor/setup/app/"):
        raise SmokeFailure(f"a new staff account was sent to {page.url}, not to enrol an app")
    secret = element_text(page, "secret-key").replace(" ", "")
    page = browser.submit(page, form_with(page, field_name="code"), {"code": totp_code(secret)})
    if not page.url.startswith("/accounts/two-factor/recovery-codes/"):
        raise SmokeFailure(f"confirming the app led to {page.url}, not the recovery codes")
    browser.get("/caseworker/")


def caseworker_grants(browser: Browser, case: Case) -> None:
    # The queue opens on the new, unassigned cases: the case filed a moment ago is there.
    queue = browser.get("/caseworker/")
    case_path = f"/caseworker/cases/{case.pk}/"
    # The queue's links carry the tab they were followed from (?from=new: "next case").
    linked = {(urlsplit(href).path, text) for href, text in parse(queue).links}
    if (case_path, case.reference) not in linked:
        raise SmokeFailure(f"{case.reference} is not in the caseworker's queue of new cases")
    page = browser.get(case_path)
    page = browser.submit(page, form_with(page, action=f"{case_path}claim/"))
    if "You have the case now." not in page.text:
        raise SmokeFailure("the claim did not go through")

    # The waiting documents are verified in one form: looked at, then "Accept all remaining".
    documents = form_with(page, action=case_path, field_name="documents-shown")
    shown = [value for name, value in documents.defaults() if name == "documents-shown"]
    if len(shown) != case.documents:
        raise SmokeFailure(f"{len(shown)} documents to verify, {case.documents} uploaded")
    page = browser.submit(page, documents, {"documents-looked": "on", "documents-accept_all": "on"})
    if "Waiting for verification" in page.text:
        raise SmokeFailure("documents still wait for verification")

    today = datetime.now(ZoneInfo("Europe/Prague")).date()
    page = browser.submit(
        page,
        form_with(page, action=f"{case_path}decide/"),
        {
            "decide-outcome": "granted",
            "decide-valid_from": today.isoformat(),
            "decide-valid_to": (today + timedelta(days=364)).isoformat(),
            "decide-confirm": "on",
        },
    )
    if "The decision is issued." not in page.text:
        raise SmokeFailure("the decision was not issued")


def applicant_reads_the_decision(browser: Browser, case: Case, watch: Callable[[], None]) -> bytes:
    def decision_ready() -> bool:
        # A failure in the worker shows in its log at once: no need to wait out the bound.
        watch()
        status = json.loads(browser.get(f"/applications/{case.pk}/status.json").body)
        return bool(status["decision_ready"])

    wait_until("the decision's PDF from the worker", decision_ready, PDF_TIMEOUT, every=1)
    page = browser.get(f"/applications/{case.pk}/decision/")
    if element_text(page, "outcome") != "Granted":
        raise SmokeFailure("the decision page does not say Granted")
    download = next(
        (
            href
            for href, _text in parse(page).links
            if re.fullmatch(r"/documents/\d+/download/", href)
        ),
        None,
    )
    if download is None:
        raise SmokeFailure("the decision page has no download link")
    pdf = browser.get(download)
    if not pdf.body.startswith(b"%PDF"):
        raise SmokeFailure("the decision download is not a PDF")
    return pdf.body


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def scan_logs(services: list[Service]) -> None:
    """No traceback in any log, and no 5xx in gunicorn's access log."""
    problems = []
    for service in services:
        text = service.log.read_text(errors="replace") if service.log.exists() else ""
        if "Traceback (most recent call last)" in text:
            problems.append(f"{service.name} logged a traceback:\n{tail(text, 60)}")
        if service.name == "gunicorn":
            for line in text[service.startup_log_length :].splitlines():
                if re.search(r'" 5\d\d ', line):
                    problems.append(f"gunicorn answered 5xx: {line}")
    if problems:
        raise SmokeFailure("\n".join(problems))


# --- Main ---------------------------------------------------------------------------------------


def main() -> int:
    # A CI job's timeout stops the run with SIGTERM: clean up as for any failure.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    example = read_env_example()
    host = example["DJANGO_ALLOWED_HOSTS"].split(",")[0].strip()
    smtp = urlsplit(example["EMAIL_URL"])
    database = Database()
    clamd = CleanClamd()
    mail = MailSink(smtp.username or "", smtp.password or "")
    work = Path(tempfile.mkdtemp(prefix="permits-smoke-"))
    stand_ins = StandIns(
        database_url=database.url,
        redis_url=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        email_url=f"smtp://{smtp.username}:{smtp.password}@127.0.0.1:{mail.port}",
        clamd_url=clamd.url,
        private_root=work / "private",
        static_root=work / "static",
    )
    env = production_environment(example, stand_ins, home=work)
    (work / "logs").mkdir()
    port = free_port()
    services = [
        Service(
            "gunicorn",
            [PYTHON, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind",
             f"127.0.0.1:{port}", "--access-logfile", "-", "--error-logfile", "-",
             "--capture-output", "--timeout", "60"],
            work / "logs" / "gunicorn.log",
        ),
        Service(
            "worker",
            [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
             "--concurrency=2", "--queues=default"],
            work / "logs" / "worker.log",
        ),
        Service(
            "beat",
            [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
             f"--schedule={work / 'celerybeat-schedule'}"],
            work / "logs" / "beat.log",
        ),
    ]  # fmt: skip
    applicant_password = f"Smoke-{secrets.token_urlsafe(12)}"
    caseworker_password = f"Smoke-{secrets.token_urlsafe(12)}"
    failed = False
    say(f"production smoke test: {len(example)} variables from .env.example, work in {work}")
    try:
        with step(f"stand-ins: database {database.name}, Redis db {REDIS_DB}, SMTP, clamd"):
            database.create()
            redis_flush()
            mail.start()
            clamd.start()
        with step("manage.py migrate"):
            manage(env, "migrate", "--noinput")
        with step("manage.py collectstatic with " + env["DJANGO_STATICFILES_STORAGE"]):
            manage(env, "collectstatic", "--noinput")
            if not (stand_ins.static_root / "staticfiles.json").is_file():
                raise SmokeFailure("no staticfiles.json manifest")
        with step("manage.py check --deploy"):
            manage(env, "check", "--deploy", "--fail-level", "WARNING")
        with step("manage.py create_staff_user --role caseworker (password on stdin)"):
            manage(
                env,
                "create_staff_user",
                f"--email={CASEWORKER_EMAIL}",
                "--role=caseworker",
                "--first-name=Jana",
                "--last-name=Smoketestová",
                "--function=referentka",
                "--language=en",
                stdin=caseworker_password + "\n",
            )
        with step(f"start gunicorn on 127.0.0.1:{port}, a Celery worker and beat"):
            for service in services:
                service.start(env)
            probe = Browser(port, host)

            def healthy() -> bool:
                for service in services:
                    service.check_running()
                # 503 until the worker's first heartbeat: the one 5xx allowed, here only.
                return probe.send("GET", "/healthz", None, {}, tolerate=503).status == 200

            wait_until("/healthz 200 (database, Redis, worker)", healthy, START_TIMEOUT)
            for service in services:
                service.startup_log_length = len(service.log.read_text(errors="replace"))

        applicant = Browser(port, host)
        with step("HTTPS redirect, HSTS, and the log-in page with its static files"):
            plain = applicant.send("GET", "/accounts/login/", None, {"X-Forwarded-Proto": "http"})
            if plain.status != 301 or not plain.headers["location"].startswith("https://"):
                raise SmokeFailure(f"plain HTTP answered {plain.status}, not a redirect to HTTPS")
            page = applicant.get("/accounts/login/")
            if "max-age=31536000" not in page.headers.get("strict-transport-security", ""):
                raise SmokeFailure("no HSTS header")
            count = check_static_files(applicant, page)
            say(f"     {count} static files served")
        with step("applicant signs up and activates from the e-mail link"):
            applicant_signs_up(
                applicant, mail, applicant_password, env["DJANGO_DEFAULT_FROM_EMAIL"]
            )
        with step("applicant logs out and in again"):
            log_out(applicant, applicant.get("/accounts/profile/"))
            log_in(applicant, APPLICANT_EMAIL, applicant_password)
        with step("applicant completes the profile"):
            applicant_completes_profile(applicant)
        case = Case()
        with step(f"applicant files a {PERMIT_TYPE} application with its documents"):
            applicant_files(applicant, case, clamd)
            say(f"     {case.reference}: {case.documents} documents, each scanned by clamd")

        caseworker = Browser(port, host)
        with step("caseworker logs in and enrols an authenticator app"):
            caseworker_enrols(caseworker, caseworker_password)
        with step("caseworker claims the case, accepts the documents, grants the permit"):
            caseworker_grants(caseworker, case)
        with step(f"worker renders the decision; applicant opens it (<= {PDF_TIMEOUT} s)"):
            pdf = applicant_reads_the_decision(applicant, case, lambda: scan_logs(services))
            text = pdf_text(pdf)
            if case.reference not in text:
                raise SmokeFailure(f"the decision's PDF does not name {case.reference}")
            say(f"     {len(pdf)} bytes of PDF naming {case.reference}")
        with step("/healthz, probed over plain HTTP as a load balancer does"):
            health = probe.send("GET", "/healthz", None, {"X-Forwarded-Proto": "http"})
            if health.status != 200:
                raise SmokeFailure(f"/healthz answered {health.status}")
            states = json.loads(health.body)
            if any(states.get(part) != "ok" for part in ("database", "redis", "worker")):
                raise SmokeFailure(f"/healthz says {states}")
        with step("logs: no tracebacks, no 5xx"):
            for service in services:
                service.check_running()
            scan_logs(services)
        say(
            f"passed: {applicant.requests + caseworker.requests + probe.requests} requests, "
            f"no 5xx, in {time.monotonic() - STARTED:.0f} s"
        )
    except Exception as error:
        failed = True
        if not isinstance(error, SmokeFailure):
            say(f"FAIL {type(error).__name__}: {error}\n{tail(traceback.format_exc())}")
        for service in services:
            if service.log.exists():
                log = tail(service.log.read_text(errors="replace"))
                say(f"---- the end of {service.name}'s log:\n{log}")
    finally:
        failed |= not clean_up(services, mail, clamd, database, work)
    if failed:
        say("smoke test FAILED")
        return 1
    return 0


def clean_up(
    services: list[Service], mail: MailSink, clamd: CleanClamd, database: Database, work: Path
) -> bool:
    """Stop everything and remove what the run made; each part even if another fails."""
    ok = True
    actions: list[tuple[str, Callable[[], None]]] = [
        *[(f"stop {s.name}", s.stop) for s in reversed(services)],
        ("stop the SMTP sink", mail.stop),
        ("stop the clamd stand-in", clamd.stop),
        (f"drop database {database.name}", database.drop),
        (f"flush Redis db {REDIS_DB}", redis_flush),
        ("remove the temporary directory", lambda: shutil.rmtree(work)),
    ]
    for name, action in actions:
        try:
            action()
        except Exception as error:
            ok = False
            say(f"FAIL clean-up: {name}: {error}")
    say("cleaned up" if ok else "clean-up incomplete")
    return ok


if __name__ == "__main__":
    sys.exit(main())
