"""The staff groups: Moderación, Secretaría de consejo, Administración."""

from django.db import migrations


def forwards(apps, schema_editor):
    from forum.moderation.roles import sync_roles

    sync_roles(apps)


def backwards(apps, schema_editor):
    from forum.moderation.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("participation", "0002_regions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
