# Subjects without case data: the subject column is stored in clear, and the subjects made so
# far named the case, the deadline or the card ("Documents needed for application
# OAM-4217/DP-2026 by 1 April 2026"). Every stored subject becomes what a new one is: the name
# of the message's kind in the recipient's language (templates/notifications/email/
# *_subject.txt). The details stay in the encrypted text.
#
# The texts are written out here rather than read from the templates, so that this migration
# does the same whatever the templates say later; they are msgids the catalogues translate.
# Not reversible in substance (the old subjects are gone): going back leaves the new ones.

from django.db import migrations
from django.utils import translation

SUBJECTS = {
    "filed": "Application filed",
    "interrupted": "Proceedings interrupted: documents needed",
    "resumed": "Proceedings resumed",
    "decided": "Decision issued",
    "appeal_received": "Appeal received",
    "closed": "Proceedings closed",
    "permit_ready": "Residence card",
    "assigned": "Case assigned to you",
    "document_deadline_reminder": "Reminder: documents due",
    "appeal_deadline_reminder": "Reminder: appeal deadline",
    "biometrics_reminder": "Reminder: biometrics",
    "pickup_reminder": "Reminder: collect your residence card",
    "decision_due_reminder": "Reminder: decision due",
    "overdue_digest": "Overdue cases (daily)",
    "interruption_overdue": "Documents deadline passed",
}
# A case filed again after an appeal returned it: its event key ends in the appeal's id
# ("filed:<application>:a<appeal>"), a first filing's in ":first".
RETURNED = "Returned for new proceedings"


def generic_subjects(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    kinds_and_languages = (
        Notification._base_manager.order_by().values_list("kind", "language").distinct()
    )
    for kind, language in list(kinds_and_languages):
        rows = Notification._base_manager.filter(kind=kind, language=language)
        with translation.override(language or "cs"):
            if kind == "filed":
                rows.exclude(event_key__endswith=":first").update(
                    subject=translation.gettext(RETURNED)
                )
                rows = rows.filter(event_key__endswith=":first")
            if kind in SUBJECTS:
                rows.update(subject=translation.gettext(SUBJECTS[kind]))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_encrypted_fields"),
    ]

    operations = [
        migrations.RunPython(generic_subjects, migrations.RunPython.noop),
    ]
