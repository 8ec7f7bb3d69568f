"""Trigram indexes for the idea search on PostgreSQL.

Django's ``icontains`` becomes ``UPPER(col::text) LIKE UPPER('%q%')``; a GIN index on
``UPPER(col) gin_trgm_ops`` lets PostgreSQL answer it without reading all 100,000+ ideas.
On SQLite, or where the database role may not create the (trusted) pg_trgm extension, the
migration does nothing and search falls back to a scan.
"""

import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = {
    "participation_idea_title_trgm": "UPPER(title)",
    "participation_idea_body_trgm": "UPPER(body)",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - a missing privilege must not block the deploy
        logger.warning("pg_trgm is not available: idea search will scan the table")
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON participation_idea "
            f"USING gin ({expression} gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("participation", "0003_idea_updated_at_index")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
