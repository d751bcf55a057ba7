"""On PostgreSQL, the database itself refuses to change or delete an audit entry, whatever the
path (raw SQL, a base manager, a shell). The one update let through is the one Django makes when
the author's account is deleted: clearing actor_id and nothing else (actor_email keeps who it was).
TRUNCATE (test database flushes) is a statement, not a row change, and is not affected."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION lms_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (NEW.id, NEW.actor_email, NEW.action, NEW.target_type_id, NEW.target_id,
            NEW.target_repr, NEW.details, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.actor_email, OLD.action, OLD.target_type_id, OLD.target_id,
            OLD.target_repr, OLD.details, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Le journal d''audit est en ajout seul : une entrée ne se modifie ni ne se supprime.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lms_auditentry_append_only BEFORE UPDATE OR DELETE ON lms_auditentry
    FOR EACH ROW EXECUTE FUNCTION lms_auditentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS lms_auditentry_append_only ON lms_auditentry;
DROP FUNCTION IF EXISTS lms_auditentry_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("lms", "0003_audit_entry")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False)]
