"""PostgreSQL: a trigram index on people's folded names, so name search (a word anywhere in the name, or a near
miss) reads the index instead of every person. SQLite searches without it."""

from django.db import migrations

INDEX = "cases_person_search_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_person USING gin (search_name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_withheld_address_help")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
