"""Full-text idea search on PostgreSQL: Spanish stemming with accents ignored.

Creates the ``unaccent`` extension (trusted since PostgreSQL 13) and the text search
configuration ``foro_spanish`` (a copy of ``spanish`` whose words go through ``unaccent`` before
the Snowball stemmer: «sordos», «Sordas», «sórdas» all become ``sord``), then a stored generated
``search_vector`` column (title weighted A, text B) with a GIN index. ``search_vector`` is not a
model field: the list's search reaches it through ``forum.participation.search``.

Where ``unaccent`` cannot be created the configuration is plain ``spanish`` (accents then
matter on PostgreSQL). On SQLite the migration does nothing: the search falls back to a
substring match on ``search_text`` with a crude stemmer.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

VECTOR = (
    "setweight(to_tsvector('foro_spanish'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('foro_spanish'::regconfig, coalesce(body, '')), 'B')"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    alias = schema_editor.connection.alias
    try:
        with transaction.atomic(using=alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        unaccent = True
    except Exception:  # noqa: BLE001 - a missing privilege must not block the deploy
        logger.warning("unaccent is not available: the idea search will mind accents")
        unaccent = False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'foro_spanish'")
        exists = cursor.fetchone() is not None
    if not exists:
        schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION foro_spanish (COPY = spanish)")
        if unaccent:
            schema_editor.execute(
                "ALTER TEXT SEARCH CONFIGURATION foro_spanish ALTER MAPPING FOR "
                "hword, hword_part, word WITH unaccent, spanish_stem"
            )
    schema_editor.execute(
        "ALTER TABLE participation_idea ADD COLUMN IF NOT EXISTS search_vector tsvector "
        f"GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS participation_idea_search_vector "
        "ON participation_idea USING gin (search_vector)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS participation_idea_search_vector")
    schema_editor.execute("ALTER TABLE participation_idea DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS foro_spanish")


class Migration(migrations.Migration):
    dependencies = [("participation", "0010_statuschange_absorbed_messages")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
