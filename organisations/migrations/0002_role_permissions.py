# The staff roles' permissions on organisations: supervisors verify organisations (and see
# them), caseworkers see them; the administrators' group holds every permission.

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "caseworker": ["view_organisation", "view_membership"],
    "supervisor": ["view_organisation", "view_membership", "verify_organisation"],
    "admin": [
        "view_organisation",
        "change_organisation",
        "view_membership",
        "view_organisationevent",
        "verify_organisation",
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("organisations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="organisations", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="organisations")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
