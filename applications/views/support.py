"""The support centre: staff help people who cannot file alone [000].

Every page needs the ``applications.file_on_behalf`` permission: other logged-in people get a
403, anonymous visitors the login page. A worker finds and opens every person on record,
whoever recorded them (one person, one record: see ``SupportApplicantView``), and is shown who
may already be recorded before recording someone new. Applications stay scoped: a worker opens
the ones they started and those of the people they recorded; another's are a 404. Once a draft
exists, the worker uses the applicant's pages (task list, questions, documents, filing), which
let them in through the same selectors. Every page that shows people's data is in the access
log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.constants import Language
from accounts.http import signed_in_user
from applications import persons, selectors
from applications.constants import Channel, Status
from applications.forms import (
    ApplicantSearchForm,
    StartApplicationForm,
    SupportApplicantForm,
    error_links,
    permit_types_for_online_filing,
)
from applications.models import Applicant
from applications.views.applicant import StartDraftView
from core.errors import ApplicationError
from permits import deadlines
from privacy.constants import Action
from privacy.services import record_access


class SupportMixin(PermissionRequiredMixin):
    permission_required = "applications.file_on_behalf"


class SupportHomeView(SupportMixin, TemplateView):
    """Find anyone recorded, by name, travel document number or date of birth (whoever
    recorded them); the worker's recent applications."""

    template_name = "applications/support/home.html"
    paginate_by = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ApplicantSearchForm(self.request.GET or None)
        query, born = "", None
        if form.is_valid():
            query, born = form.cleaned_data["q"], form.cleaned_data["born"]
        searched = bool(query or born)
        page = None
        if searched:
            people = persons.people_for_support(name_or_document=query, date_of_birth=born)
            page = Paginator(people, self.paginate_by).get_page(self.request.GET.get("page"))
            # Codes and counts only: what was searched for is personal data.
            record_access(
                self.request,
                Action.APPLICANT_SEARCHED,
                detail={
                    "q": bool(query),
                    "born": born is not None,
                    "found": page.paginator.count,
                },
            )
        applicants = list(page.object_list) if page is not None else []
        querystring = self.request.GET.copy()
        querystring.pop("page", None)
        context.update(
            form=form,
            query=query,
            searched=searched,
            page=page,
            applicants=applicants,
            rows=[persons.PersonRow(person) for person in applicants],
            querystring=querystring.urlencode(),
            applications=selectors.support_applications(user=signed_in_user(self.request)),
        )
        return context


class SupportApplicantCreateView(SupportMixin, TemplateView):
    """Record a person who has no account: first the people who may already be recorded
    (``persons.matching_people``), then, only when the worker confirms it is someone else, a
    new record. The service refuses a second record of the same travel document on its own."""

    template_name = "applications/support/applicant_form.html"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        self.form = SupportApplicantForm(request.POST or None)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("matches", [])
        context.update(form=self.form, errors=error_links(self.form))
        return context

    def _with_matches(self, matches: list[persons.Match]) -> HttpResponse:
        """The form back, nothing saved, the data as typed and the matches listed."""
        self.form.show_matches({match.person.pk for match in matches})
        record_access(
            self.request,
            Action.APPLICANT_SEARCHED,
            detail={"matching": True, "found": len(matches)},
        )
        return self.render_to_response(self.get_context_data(matches=matches))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data())
        data = self.form.cleaned_data
        matches = persons.matching_people(**{name: data[name] for name in persons.MATCHED_FIELDS})
        if matches and not self.form.confirms({match.person.pk for match in matches}):
            return self._with_matches(matches)
        try:
            applicant = persons.applicant_create_by_support(
                actor=signed_in_user(request), data=data, confirmed_duplicate=bool(matches)
            )
        except persons.PossibleDuplicate as duplicate:
            # Recorded by someone else meanwhile.
            return self._with_matches(duplicate.matches)
        except ApplicationError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data())
        messages.success(request, _("%(name)s is recorded.") % {"name": applicant.full_name})
        return redirect("support:applicant", pk=applicant.pk)


class SupportApplicantView(SupportMixin, StartDraftView):
    """One person: their details, their applications, and a new application in person.

    Any support worker may open anyone on record and start an application for them, not only
    the worker who recorded them: a person comes back to the centre and is served by whoever
    is at the desk, and a second record of the same person (the alternative) would split their
    cases. That includes a person with an account of their own, or a child on a parent's
    account: having an account does not mean they can file alone, and they may still come to
    the centre for help [000]. The draft a worker starts is theirs and the person's (the
    applicant's pages scope it so); the person's other applications, started online or by
    another worker, stay out of reach here and are only counted. Each opening is in the access
    log (``record_access``), except the account holder's own record.
    """

    template_name = "applications/support/applicant.html"
    channel = Channel.IN_PERSON
    started_message = gettext_lazy("The draft application is started.")
    # Loaded by dispatch() once the permission is there; without it no handler runs.
    applicant: Applicant

    def applicant_of(self, form: StartApplicationForm) -> Applicant:
        return self.applicant

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.has_perm(self.permission_required):
            self.applicant = persons.person_for_support(pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def build_form(self) -> StartApplicationForm:
        data = self.request.POST if self.request.method == "POST" else None
        return StartApplicationForm(
            data, permit_types=permit_types_for_online_filing(), applicants=None
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = self.form or self.build_form()
        record_access(
            self.request, Action.APPLICANT_VIEWED, target=self.applicant, except_owner=True
        )
        applications = selectors.support_applications(
            user=signed_in_user(self.request), applicant=self.applicant
        )
        context.update(
            applicant=self.applicant,
            row=persons.PersonRow(self.applicant),
            missing_details=selectors.applicant_missing_details(self.applicant),
            applications=applications,
            other_applications=max(
                0, persons.application_count_of(self.applicant) - len(applications)
            ),
            form=form,
            errors=error_links(form),
        )
        return context


class ReceiptView(SupportMixin, TemplateView):
    """A printable receipt of a filing, to hand to the person: in Czech, the language of record,
    and in the person's language; every document received with its number in the file; and how
    the decision will be delivered, since the appeal period runs from its delivery (D3, D4)."""

    template_name = "applications/support/receipt.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        queryset = (
            selectors.applications_for_applicant_pages(user=signed_in_user(self.request))
            .exclude(status=Status.DRAFT)
            .select_related("applicant", "permit_type", "created_by")
        )
        application = get_object_or_404(queryset, pk=kwargs["pk"])
        record_access(self.request, Action.CASE_VIEWED, target=application, except_owner=True)
        # The person as filed (SPEC §2), as every page of a filed case shows them.
        party = application.party
        language = party.preferred_language
        context.update(
            application=application,
            applicant=party,
            # Through the case's manager: each document knows its case, and so its number.
            documents=list(
                application.documents.current_evidence()
                .select_related("kind")
                .order_by("sub_number")
            ),
            appeal_days=deadlines.APPEAL_PERIOD_DAYS,
            delivery_days=deadlines.DELIVERY_FICTION_DAYS,
            second_language=language if language and language != Language.CS else None,
        )
        return context
