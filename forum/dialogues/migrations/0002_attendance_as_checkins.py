"""Attendance becomes one fact, counted from check-ins: a held dialogue whose typed-in
attendance has no check-ins behind it (a session recorded before check-ins existed) keeps its
figure as that many anonymous manual check-ins, before ``participation`` drops the typed field.
A dialogue not held yet had a planned number there, not an attendance: it is not carried over."""

from django.db import migrations

HELD = ("realisation", "celebration")


def typed_attendance_to_checkins(apps, schema_editor):
    Dialogue = apps.get_model("participation", "Dialogue")
    CheckIn = apps.get_model("dialogues", "CheckIn")
    with_checkins = CheckIn.objects.values("dialogue_id")
    held = (
        Dialogue.objects.filter(phase__in=HELD, attendance__gt=0)
        .exclude(pk__in=with_checkins)
        .values_list("pk", "attendance")
    )
    for dialogue_id, attendance in held.iterator():
        CheckIn.objects.bulk_create(
            CheckIn(dialogue_id=dialogue_id, method="manual", channel="in_person")
            for _n in range(attendance)
        )


def checkins_to_typed_attendance(apps, schema_editor):
    Dialogue = apps.get_model("participation", "Dialogue")
    CheckIn = apps.get_model("dialogues", "CheckIn")
    for dialogue in Dialogue.objects.filter(pk__in=CheckIn.objects.values("dialogue_id")):
        dialogue.attendance = CheckIn.objects.filter(dialogue=dialogue).count()
        dialogue.save(update_fields=["attendance"])


class Migration(migrations.Migration):
    dependencies = [
        ("dialogues", "0001_initial"),
        ("participation", "0014_merge_routed_message_article"),
    ]

    operations = [
        migrations.RunPython(typed_attendance_to_checkins, checkins_to_typed_attendance),
    ]
