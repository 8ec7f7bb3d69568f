"""People whose shown name is their username (the old default of person_for_user) get no
shown name: their thread posts say «Participante #N» instead. Sign-up promises the username is
never shown; they can choose a name in «Mis datos»."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Person = apps.get_model("participation", "Person")
    Person.objects.filter(user__isnull=False, display_name=F("user__username")).update(
        display_name=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0008_statuschange_system_params"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
