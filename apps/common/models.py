from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class ClaveIdempotencia(models.Model):
    """An ``Idempotency-Key`` a user sent with a POST, and the answer it got (null while in flight)."""

    id_user = models.BigIntegerField()
    clave = models.CharField(max_length=255)
    huella = models.CharField(max_length=64, help_text="sha256 of the method, the path and the body.")
    estado_http = models.PositiveSmallIntegerField(null=True, blank=True)
    respuesta = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    creada = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "clave de idempotencia"
        verbose_name_plural = "claves de idempotencia"
        constraints = [models.UniqueConstraint(fields=["id_user", "clave"], name="idempotencia_por_usuario")]

    def __str__(self) -> str:
        return f"{self.id_user}: {self.clave}"
