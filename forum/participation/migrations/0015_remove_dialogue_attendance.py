"""A dialogue's attendance is counted from its check-ins (``dialogues.selectors.attendance``):
the typed-in figure goes, after ``dialogues`` 0002 kept it as check-ins where it stood alone."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('participation', '0014_merge_routed_message_article'),
        ('dialogues', '0002_attendance_as_checkins'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='dialogue',
            name='attendance',
        ),
    ]
