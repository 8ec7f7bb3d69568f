"""English descriptions of topics, shown on English pages and in the API (issue 18, item 5)."""

from django.db import migrations, models

# The demo/seed topics' English descriptions (forum/demo/data/themes.json, description_en), for
# databases loaded before topics had one. Other topics get theirs in the admin.
ENGLISH = {
    "calidad-otec": "How to make sure technical training bodies (OTEC) teach well.",
    "seguimiento-impacto": "Knowing what happens to people after the course.",
    "ampliar-cobertura": "Training that reaches more people in more places.",
    "focalizacion-regional": "Courses designed for each region's productive reality.",
    "formacion-inclusiva": "Courses accessible to everyone.",
    "revisar-modelo": "Changing how training is designed, bought and delivered.",
    "foros-virtuales": "Taking part without having to travel; meetings that motivate.",
    "uso-tecnologia": "Technology to train, apply and follow up.",
    "empleabilidad": "From the course to a job: placement, guidance and support.",
    "estrategia-regional": "Training consistent with what the region plans.",
}


def forwards(apps, schema_editor):
    Topic = apps.get_model("participation", "Topic")
    for slug, description_en in ENGLISH.items():
        Topic.objects.filter(slug=slug, description_en="").update(description_en=description_en)


class Migration(migrations.Migration):
    dependencies = [
        ("participation", "0015_remove_dialogue_attendance"),
    ]

    operations = [
        migrations.AddField(
            model_name="topic",
            name="description_en",
            field=models.TextField(
                blank=True,
                help_text="Lo que muestran las páginas en inglés; vacío: la descripción en español.",
                verbose_name="descripción en inglés",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
