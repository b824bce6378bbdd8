"""On PostgreSQL, the database itself refuses two active citas of one patient that overlap, with any doctors.

As for the doctor's (migration 0002): SQLite has no exclusion constraints; there the booking services check
inside write transactions that SQLite serializes.
"""

from django.db import migrations

CONSTRAINT = "cita_paciente_sin_solape"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE appointments_cita ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
            "(id_paciente WITH =, tstzrange(fecha, fin, '[)') WITH &&) WHERE (estado = 'PROGRAMADA')"
        )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE appointments_cita DROP CONSTRAINT {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0002_no_double_booking")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
