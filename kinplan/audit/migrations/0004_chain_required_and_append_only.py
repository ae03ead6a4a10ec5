"""Every entry now has its place in a chain; filters on the audit screen get their indexes; and on PostgreSQL the
tables refuse what the models already refuse: deleting an entry, or changing one other than by redaction
(redacted_at set from empty, only the content columns blanked, seq and hashes untouched). TRUNCATE is not
blocked: the test runner empties tables with it. The chain heads only move forward and are never deleted."""

from django.db import migrations, models

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION kinplan_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    content text[] := TG_ARGV;  -- the columns a redaction may blank
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'kinplan: % is append-only: entries are never deleted', TG_TABLE_NAME;
    END IF;
    IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
       AND (to_jsonb(NEW) - content - 'redacted_at') = (to_jsonb(OLD) - content - 'redacted_at') THEN
        RETURN NEW;  -- a redaction for erasure (kinplan.audit.services.audit_redact)
    END IF;
    RAISE EXCEPTION 'kinplan: % is append-only: an entry may only be redacted', TG_TABLE_NAME;
END $$;

CREATE OR REPLACE FUNCTION kinplan_audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name AND NEW.seq > OLD.seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'kinplan: an audit chain head only moves forward';
END $$;

CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION kinplan_audit_append_only('target_label', 'changes');
CREATE TRIGGER audit_recordview_append_only BEFORE UPDATE OR DELETE ON audit_recordview
    FOR EACH ROW EXECUTE FUNCTION kinplan_audit_append_only('path');
CREATE TRIGGER audit_auditchainhead_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION kinplan_audit_head_forward_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS audit_auditchainhead_forward_only ON audit_auditchainhead;
DROP TRIGGER IF EXISTS audit_recordview_append_only ON audit_recordview;
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS kinplan_audit_head_forward_only();
DROP FUNCTION IF EXISTS kinplan_audit_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_chain_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="recordview",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, unique=True),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["actor", "-seq"], name="audit_event_actor_seq"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["event", "-seq"], name="audit_event_event_seq"),
        ),
        migrations.AddIndex(
            model_name="recordview",
            index=models.Index(fields=["user", "-seq"], name="audit_view_user_seq"),
        ),
        migrations.AddIndex(
            model_name="recordview",
            index=models.Index(fields=["person", "-seq"], name="audit_view_person_seq"),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
