"""The staff roles, as Django groups, and the permissions each one carries.

Kept as plain data so the data migration and the tests (which may flush the database) apply
the very same table.
"""

from __future__ import annotations

from django.apps import apps as live_apps
from django.contrib.auth.management import create_permissions

MODERATION = "Moderación"
SECRETARY = "Secretaría de consejo"
ADMINISTRATION = "Administración"

# (app_label, codename)
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    MODERATION: [
        ("moderation", "moderate"),
        ("moderation", "view_auditentry"),
        ("moderation", "view_merge"),
        ("moderation", "view_report"),
        ("participation", "view_idea"),
        ("participation", "change_idea"),
        ("participation", "view_support"),
        ("participation", "view_statuschange"),
    ],
    SECRETARY: [
        ("moderation", "answer_for_council"),
        ("participation", "view_idea"),
    ],
    ADMINISTRATION: [
        ("moderation", "moderate"),
        ("moderation", "answer_any_council"),
        ("moderation", "view_auditentry"),
        ("moderation", "view_merge"),
        ("moderation", "view_report"),
        ("moderation", "add_councilsecretary"),
        ("moderation", "change_councilsecretary"),
        ("moderation", "delete_councilsecretary"),
        ("moderation", "view_councilsecretary"),
        ("participation", "view_idea"),
        ("participation", "change_idea"),
        ("participation", "view_support"),
        ("participation", "view_statuschange"),
        ("participation", "view_council"),
        ("participation", "change_council"),
        ("participation", "add_membership"),
        ("participation", "change_membership"),
        ("participation", "view_membership"),
        ("participation", "add_dialogue"),
        ("participation", "change_dialogue"),
        ("participation", "view_dialogue"),
        ("participation", "add_topic"),
        ("participation", "change_topic"),
        ("participation", "view_topic"),
        ("auth", "view_user"),
        ("auth", "change_user"),
    ],
}


def sync_roles(apps=None) -> None:
    """Create the three groups with exactly their permissions (idempotent).

    ``apps`` is the migration state registry, or None for the live models.
    """

    registry = apps or live_apps
    # Permissions are normally created after migrate; make sure they exist now.
    for label in ("moderation", "participation", "auth"):
        config = registry.get_app_config(label)
        if apps is not None:
            config.models_module = True
        create_permissions(config, apps=registry, verbosity=0)
    Group = registry.get_model("auth", "Group")
    Permission = registry.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = []
        for app_label, codename in perms:
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
