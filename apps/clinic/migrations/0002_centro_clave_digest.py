"""Centro.clave becomes a fixed-length digest of the normalized name and address (see keys.centro_key)."""

import hashlib

from django.db import migrations, models


def digest(nombre: str, direccion: str) -> str:
    # A copy of keys.centro_key as of this migration, so that later changes to it don't rewrite history.
    normalized = "\n".join(" ".join(part.split()).casefold() for part in (nombre, direccion))
    return hashlib.sha256(normalized.encode()).hexdigest()


def rekey(apps, schema_editor):
    Centro = apps.get_model("clinic", "Centro")
    for centro in Centro.objects.only("nombre", "direccion").iterator():
        Centro.objects.filter(pk=centro.pk).update(clave=digest(centro.nombre, centro.direccion))


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [
        # Rekeyed first: the digests fit the old column, and the old keys may not fit the new one.
        migrations.RunPython(rekey, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="centro",
            name="clave",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
