"""On PostgreSQL, the database itself refuses two PROGRAMADA citas of one doctor that overlap.

SQLite has no exclusion constraints; there the booking services check for overlaps inside write
transactions that SQLite serializes (transaction_mode IMMEDIATE).
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CONSTRAINT = "cita_doctor_sin_solape"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE appointments_cita ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(id_doctor WITH =, tstzrange(fecha, fin, '[)') WITH &&) WHERE (estado = 'PROGRAMADA')"
        )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE appointments_cita DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(add_constraint, drop_constraint),
    ]
