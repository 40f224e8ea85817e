"""The notification centre: a user's own notifications in the portal, for applicants and staff
alike. Someone else's notification answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from accounts.http import signed_in_user
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Notification
from notifications.rendering import in_app_texts


def _case_url(notification: Notification, *, staff: bool) -> str | None:
    # Applicants open their case page; staff reach cases from their own workspace.
    if staff or notification.application_id is None:
        return None
    try:
        return reverse("applications:detail", args=[notification.application_id])
    except NoReverseMatch:
        return None


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self) -> Any:
        return selectors.notification_list_for_user(user=signed_in_user(self.request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        staff = self.request.user.has_perm("applications.process_application")
        notifications = list(context["notifications"])
        # In the language the reader reads the portal in now, not the one of when it was made.
        texts = in_app_texts(notifications, language=get_language())
        context["rows"] = [
            {
                "notification": n,
                "subject": texts[n.pk][0],
                "body": texts[n.pk][1],
                "case_url": _case_url(n, staff=staff),
            }
            for n in notifications
        ]
        context["has_unread"] = any(n.read_at is None for n in context["notifications"])
        return context


def _back(request: HttpRequest) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


class MarkReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.notification_mark_read(user=signed_in_user(request), notification_id=pk)
        except Notification.DoesNotExist as error:
            raise Http404 from error
        return _back(request)


class MarkAllReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if services.notification_mark_all_read(user=signed_in_user(request)):
            messages.success(request, _("All notifications are marked as read."))
        return _back(request)


class PreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = services.configurable_kinds(signed_in_user(self.request))
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        disabled = selectors.email_disabled_kinds(user=signed_in_user(self.request))
        kinds = services.configurable_kinds(signed_in_user(self.request))
        return {"email_kinds": [kind.value for kind in kinds if kind not in disabled]}

    def form_valid(self, form: PreferencesForm) -> HttpResponse:
        kinds = services.configurable_kinds(signed_in_user(self.request))
        chosen = set(form.cleaned_data["email_kinds"])
        services.notification_preferences_set(
            user=signed_in_user(self.request),
            email_disabled=[k for k in kinds if k.value not in chosen],
        )
        messages.success(self.request, _("Your e-mail preferences are saved."))
        return HttpResponseRedirect(reverse("notifications:preferences"))
