"""What an error report may say: nothing a person typed, nothing about who they are.

Django's reporter filter hides only what views mark with ``sensitive_post_parameters`` and
``sensitive_variables``. Here, when the filter is active (``DEBUG`` off), every POST value,
every local variable of the traceback (a case or a person shows its name in its repr), every
cookie, the query string and the request headers that can carry personal data are replaced,
whichever view raised. ``DEFAULT_EXCEPTION_REPORTER_FILTER`` and ``DEFAULT_EXCEPTION_REPORTER``
point here, so the admins' error e-mails are built this way.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.regex_helper import _lazy_re_compile
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from privacy.log_filters import scrub

# Request headers an error report keeps as they are: none of them says who the person is.
_SAFE_META = frozenset(
    {
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_ENCODING",
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_HOST",
        "PATH_INFO",
        "REQUEST_METHOD",
        "SCRIPT_NAME",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
        "wsgi.multiprocess",
        "wsgi.multithread",
        "wsgi.run_once",
        "wsgi.url_scheme",
        "wsgi.version",
    }
)


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    # Django's list, plus the settings that hold URLs with passwords (Redis, the mail server).
    hidden_settings = _lazy_re_compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|BACKEND|LOCATION|HOST_USER",
        flags=re.I,
    )

    def get_post_parameters(self, request: Any) -> Any:
        if request is None:
            return {}
        if not self.is_active(request):
            return request.POST
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_cookies(self, request: Any) -> dict[str, Any]:
        if not self.is_active(request):
            return super().get_safe_cookies(request)
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        if not self.is_active(request):
            return super().get_safe_request_meta(request)
        return {
            key: value if key in _SAFE_META else self.cleansed_substitute
            for key, value in getattr(request, "META", {}).items()
        }


class PersonalDataExceptionReporter(ExceptionReporter):
    """Django's reporter, but the query string, uploaded file names, the user's e-mail and any
    e-mail address in the exception's message are left out when the filter is active."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if not self.filter.is_active(self.request):
            return data
        hidden = self.filter.cleansed_substitute
        if self.request is not None:
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
            data["request_insecure_uri"] = self.request.path
            user_pk = getattr(getattr(self.request, "user", None), "pk", None)
            data["user_str"] = f"id {user_pk}" if user_pk else "anonymous"
        if "exception_value" in data:
            data["exception_value"] = scrub(data["exception_value"])
        return data
