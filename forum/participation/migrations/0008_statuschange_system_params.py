"""StatusChange.system_params: the system's history messages with parameters, shown translated.

«Tu idea fue derivada a %(council)s.» (routing with no typed message), «En la agenda de
«%(dialogue)s».», «Fusionada con %(code)s.» and «Fusión con %(code)s deshecha.» get a
system_message key and their parameters, read back from the stored text, so they follow the
reader's language like «Idea recibida.». Rows stored in English (a moderator's page was in
English) get the Spanish text back. Anything that does not match exactly is left as typed.
"""

import re

from django.db import migrations, models

CODE = r"(?P<code>[A-Z0-9]{4}-[A-Z0-9]{4})"

# key: (status filter, Spanish text, patterns of the texts the system stored)
SYSTEM_ROWS = {
    "routed": (
        {"to_status": "routed"},
        "Tu idea fue derivada a %(council)s.",
        [r"Tu idea fue derivada a (?P<council>.+)\.", r"Your idea was referred to (?P<council>.+)\."],
    ),
    "on_agenda": (
        {"to_status": "on_agenda"},
        "En la agenda de «%(dialogue)s».",
        [r"En la agenda de «(?P<dialogue>.+)»\.", r"On the agenda of “(?P<dialogue>.+)”\."],
    ),
    "merged": (
        {"to_status": "merged"},
        "Fusionada con %(code)s.",
        [rf"Fusionada con {CODE}\.", rf"Merged with {CODE}\."],
    ),
    "merge_undone": (
        {"from_status": "merged"},
        "Fusión con %(code)s deshecha.",
        [rf"Fusión con {CODE} deshecha\.", rf"Merge with {CODE} undone\."],
    ),
}


def mark_system_messages(apps, schema_editor):
    StatusChange = apps.get_model("participation", "StatusChange")
    for key, (status, spanish, patterns) in SYSTEM_ROWS.items():
        compiled = [re.compile(p, re.DOTALL) for p in patterns]
        rows = StatusChange.objects.filter(system_message="", **status).exclude(public_message="")
        marked = []
        for change in rows.only("pk", "public_message").iterator():
            match = next((m for p in compiled if (m := p.fullmatch(change.public_message))), None)
            if match is None:
                continue
            change.system_message = key
            change.system_params = match.groupdict()
            change.public_message = spanish % change.system_params
            marked.append(change)
        StatusChange.objects.bulk_update(
            marked, ["system_message", "system_params", "public_message"], batch_size=500
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0007_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuschange",
            name="system_params",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="parámetros del mensaje del sistema"
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="system_message",
            field=models.CharField(
                blank=True,
                choices=[
                    ("received", "Idea recibida."),
                    ("in_review", "En revisión."),
                    ("routed", "Tu idea fue derivada a %(council)s."),
                    ("on_agenda", "En la agenda de «%(dialogue)s»."),
                    ("merged", "Fusionada con %(code)s."),
                    ("merge_undone", "Fusión con %(code)s deshecha."),
                ],
                default="",
                max_length=16,
                verbose_name="mensaje del sistema",
            ),
        ),
        migrations.RunPython(mark_system_messages, migrations.RunPython.noop, elidable=True),
    ]
