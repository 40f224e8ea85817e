# Caseworkers and supervisors verify or refuse uploaded powers of attorney and see them; the
# administrators' group holds every permission.

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "caseworker": ["view_powerofattorney", "verify_power"],
    "supervisor": ["view_powerofattorney", "verify_power"],
    "admin": ["view_powerofattorney", "view_powerofattorneyevent", "verify_power"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("applications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="applications", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GRANTS):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="applications",
                codename__in=["view_powerofattorney", "view_powerofattorneyevent", "verify_power"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0016_powers_of_attorney"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
