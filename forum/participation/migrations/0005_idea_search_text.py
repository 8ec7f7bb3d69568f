"""``Idea.search_text``: title and text without case or accents, for the idea search.

A stored generated column, so the database fills it for the existing ideas while adding it and
keeps it current on every later write, whoever makes it. The replacement table is a frozen copy
of ``forum.participation.search.FOLD_TABLE`` as it stood here: change the table there and
``makemigrations`` writes the next migration.

On PostgreSQL (with pg_trgm) a trigram index on the new column answers ``LIKE '%word%'``; it
replaces the one on ``UPPER(body)`` from 0004, which the search no longer uses.
"""

import logging

from django.db import migrations, models, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Lower, Replace

logger = logging.getLogger(__name__)

ACCENTED = "áÁéÉíÍóÓúÚüÜñÑ\u0301\u0303\u0308"
PLAIN = "aaeeiioouuuunn"


def folded(expression):
    for i, accented in enumerate(ACCENTED):
        plain = PLAIN[i] if i < len(PLAIN) else ""
        expression = Replace(
            expression, Value(accented), Value(plain), output_field=models.TextField()
        )
    return Lower(expression, output_field=models.TextField())


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # a missing privilege must not block the deploy
        logger.warning("pg_trgm is not available: idea search will scan the table")
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS participation_idea_search_trgm ON participation_idea "
        "USING gin (search_text gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS participation_idea_body_trgm")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS participation_idea_search_trgm")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS participation_idea_body_trgm ON participation_idea "
                "USING gin (UPPER(body) gin_trgm_ops)"
            )
    except Exception:  # no pg_trgm: 0004 created nothing either
        logger.warning("pg_trgm is not available: no trigram index on the idea text")


class Migration(migrations.Migration):
    dependencies = [("participation", "0004_search_trigram_indexes")]

    operations = [
        migrations.AddField(
            model_name="idea",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=folded(
                    Concat("title", Value(" "), "body", output_field=models.TextField())
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
