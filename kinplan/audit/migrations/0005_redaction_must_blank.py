"""On PostgreSQL a redaction must leave exactly what `audit_redact` leaves ("[erased]" and {} in history, "[erased]"
in the access log): before, any text could be written into a redacted entry's content columns, which
`audit_verify` cannot check against the digest any more. The blanked values are passed to the trigger as JSON."""

from django.db import migrations

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION kinplan_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    blanked jsonb := TG_ARGV[0]::jsonb;  -- the columns a redaction blanks, with what it leaves in them
    content text[] := ARRAY(SELECT jsonb_object_keys(TG_ARGV[0]::jsonb));
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'kinplan: % is append-only: entries are never deleted', TG_TABLE_NAME;
    END IF;
    IF OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
       AND (to_jsonb(NEW) - content - 'redacted_at') = (to_jsonb(OLD) - content - 'redacted_at')
       AND NOT EXISTS (SELECT 1 FROM jsonb_each(blanked) b WHERE to_jsonb(NEW) -> b.key IS DISTINCT FROM b.value) THEN
        RETURN NEW;  -- a redaction for erasure (kinplan.audit.services.audit_redact)
    END IF;
    RAISE EXCEPTION 'kinplan: % is append-only: an entry may only be redacted', TG_TABLE_NAME;
END $$;

DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_recordview_append_only ON audit_recordview;
CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION kinplan_audit_append_only('{"target_label": "[erased]", "changes": {}}');
CREATE TRIGGER audit_recordview_append_only BEFORE UPDATE OR DELETE ON audit_recordview
    FOR EACH ROW EXECUTE FUNCTION kinplan_audit_append_only('{"path": "[erased]"}');
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_required_and_append_only")]

    operations = [migrations.RunPython(create_triggers, migrations.RunPython.noop)]
