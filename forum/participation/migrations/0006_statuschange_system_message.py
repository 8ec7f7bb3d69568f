"""StatusChange.system_message: the history messages the system writes, shown translated.

Existing rows whose message is one the system wrote ("Idea recibida." on submit, "En revisión."
on the automatic step before routing; in English when a moderator's page was in English) get
the key, and the Spanish text, so they too follow the reader's language.
"""

from django.db import migrations, models

# key: (from_status, to_status, texts the system stored, Spanish text kept)
SYSTEM_ROWS = {
    "received": ("", "received", ["Idea recibida.", "Idea received."], "Idea recibida."),
    "in_review": ("received", "in_review", ["En revisión.", "Under review."], "En revisión."),
}


def mark_system_messages(apps, schema_editor):
    StatusChange = apps.get_model("participation", "StatusChange")
    for key, (from_status, to_status, texts, spanish) in SYSTEM_ROWS.items():
        StatusChange.objects.filter(
            from_status=from_status, to_status=to_status, public_message__in=texts
        ).update(system_message=key, public_message=spanish)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0005_idea_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="statuschange",
            name="system_message",
            field=models.CharField(
                blank=True,
                choices=[("received", "Idea recibida."), ("in_review", "En revisión.")],
                default="",
                max_length=16,
                verbose_name="mensaje del sistema",
            ),
        ),
        migrations.RunPython(mark_system_messages, migrations.RunPython.noop, elidable=True),
    ]
