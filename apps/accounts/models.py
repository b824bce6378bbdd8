from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from apps.common.history import tracked_history
from apps.common.roles import Rol
from apps.common.staff import PermisosPorRol, permisos

# Who may do what on gestion's staff site. Centros, doctors and patients are deactivated, never deleted.
PERMISOS_STAFF: dict[str, frozenset[str]] = {
    Rol.ADMIN: permisos("accounts", {"user": "view add change"})
    | permisos(
        "clinic",
        {
            "centro": "view add change",
            "doctor": "view add change",
            "paciente": "view add change",
            "horario": "view add change delete",
            "ausencia": "view add change delete",
        },
    ),
    Rol.SECRETARIA: permisos("clinic", {"paciente": "view add change"}),
}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(username=User.normalize_username(username))

    def create_user(self, username: str, password: str | None = None, **fields) -> "User":
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields) -> "User":
        fields.update(rol=Rol.ADMIN)
        return self.create_user(username, password, **fields)


class User(PermisosPorRol, AbstractBaseUser):
    """An account. Its role says what it may do, on the API and on the staff site alike."""

    id_user = models.BigAutoField(primary_key=True)
    username = models.CharField("nombre de usuario", max_length=150, unique=True)
    rol = models.CharField(max_length=20, choices=Rol.choices)
    is_active = models.BooleanField("activo", default=True)
    date_joined = models.DateTimeField("alta", default=timezone.now)

    objects = UserManager()
    history = tracked_history()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["rol"]
    permisos_staff = PERMISOS_STAFF

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        ordering = ["id_user"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rol__in=Rol.values), name="accounts_user_rol_valid"),
        ]

    def __str__(self) -> str:
        return self.username

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Stored lower-cased, so that "Ana" and "ana" are one account on every database
        # (SQLite's own case folding knows ASCII only).
        return super().normalize_username(username).strip().lower()

    def save(self, *args, **kwargs):
        self.username = self.normalize_username(self.username)
        super().save(*args, **kwargs)


class Revocacion(models.Model):
    """Every token of ``id_user`` issued before ``desde`` is refused: after a logout, a deactivation, a
    password change or the account's deletion (so no foreign key: the user may be gone)."""

    id_user = models.BigIntegerField(unique=True)
    desde = models.DateTimeField()
    actualizada = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "revocación"
        verbose_name_plural = "revocaciones"

    def __str__(self) -> str:
        return f"{self.id_user} since {self.desde:%Y-%m-%d %H:%M:%S}"
