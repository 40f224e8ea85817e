"""The permissions each role's group carries (SPEC §1). Used by a data migration and tests."""

from accounts.constants import Role

# "app_label.codename" per role. Applicants act on their own records only, which the
# selectors enforce; they need no model permission.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.APPLICANT: [],
    Role.SUPPORT: [
        "applications.file_on_behalf",
        "applications.add_applicant",
        "applications.view_applicant",
        "documents.add_document",
    ],
    Role.CASEWORKER: [
        "applications.process_application",
        "applications.view_application",
        "applications.view_applicant",
        "applications.view_interruption",
        "applications.view_decision",
        "applications.view_appeal",
        "applications.view_auditentry",
        "documents.view_document",
        "permits.view_permittype",
        "permits.view_permit",
    ],
}
ROLE_PERMISSIONS[Role.SUPERVISOR] = [
    *ROLE_PERMISSIONS[Role.CASEWORKER],
    "applications.assign_application",
]

# The roles of office staff: they always log in with a second factor.
STAFF_ROLES = frozenset({Role.SUPPORT, Role.CASEWORKER, Role.SUPERVISOR, Role.ADMIN})
