"""On PostgreSQL, the database itself refuses UPDATE and DELETE of audit entries.

(TRUNCATE, used only by test teardown, is not a row operation and is not blocked.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION mkk_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS mkk_audit_append_only ON audit_auditentry;
CREATE TRIGGER mkk_audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION mkk_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS mkk_audit_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS mkk_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
