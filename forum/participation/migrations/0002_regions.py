"""Chile's 16 regions (north to south) and one employability council per region + the national."""

from django.db import migrations

REGIONS = [
    ("XV", "Arica y Parinacota", "arica-y-parinacota"),
    ("I", "Tarapacá", "tarapaca"),
    ("II", "Antofagasta", "antofagasta"),
    ("III", "Atacama", "atacama"),
    ("IV", "Coquimbo", "coquimbo"),
    ("V", "Valparaíso", "valparaiso"),
    ("RM", "Metropolitana de Santiago", "metropolitana"),
    ("VI", "Libertador General Bernardo O'Higgins", "ohiggins"),
    ("VII", "Maule", "maule"),
    ("XVI", "Ñuble", "nuble"),
    ("VIII", "Biobío", "biobio"),
    ("IX", "La Araucanía", "araucania"),
    ("XIV", "Los Ríos", "los-rios"),
    ("X", "Los Lagos", "los-lagos"),
    ("XI", "Aysén del General Carlos Ibáñez del Campo", "aysen"),
    ("XII", "Magallanes y de la Antártica Chilena", "magallanes"),
]


def forwards(apps, schema_editor):
    Region = apps.get_model("participation", "Region")
    Council = apps.get_model("participation", "Council")
    for ordinal, (code, name, slug) in enumerate(REGIONS, start=1):
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "slug": slug, "ordinal": ordinal}
        )
        Council.objects.get_or_create(
            slug=f"cre-{slug}",
            defaults={
                "name": f"Consejo Regional de Empleabilidad de {name}",
                "kind": "regional",
                "region": region,
            },
        )
    Council.objects.get_or_create(
        slug="nacional",
        defaults={"name": "Consejo Nacional de Empleabilidad", "kind": "national", "region": None},
    )


def backwards(apps, schema_editor):
    apps.get_model("participation", "Council").objects.all().delete()
    apps.get_model("participation", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("participation", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
