"""citas' staff users: its own app, so that its first migration can create the user model the staff site
needs."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from apps.common.authentication import ClaimsUser
from apps.common.roles import Rol
from apps.common.staff import PermisosPorRol, permisos

# Who may do what on citas' staff site: citas are booked, cancelled and read there, only an admin deletes;
# the messages to patients are read, and dead letters sent again.
PERMISOS_STAFF: dict[str, frozenset[str]] = {
    Rol.ADMIN: permisos("appointments", {"cita": "view add change delete"})
    | permisos("notifications", {"notificacion": "view change"}),
    Rol.SECRETARIA: permisos("appointments", {"cita": "view add change"})
    | permisos("notifications", {"notificacion": "view change"}),
}


class Personal(PermisosPorRol, AbstractBaseUser):
    """Someone of staff signed in to citas' staff site, as gestion vouched for them at their last sign-in.

    gestion checks the password (``apps.appointments.staff.backends``); here it is unusable, so that citas
    holds no password and no hash. What it may do comes from its role (``PERMISOS_STAFF``).
    """

    username = models.CharField(max_length=150, unique=True)
    id_user = models.BigIntegerField(unique=True, help_text="The user's id in gestion.")
    rol = models.CharField(max_length=20)

    USERNAME_FIELD = "username"
    is_active = True
    permisos_staff = PERMISOS_STAFF
    # What citas' API reads of its caller: staff are no patient and no doctor.
    id_paciente = None
    id_doctor = None

    class Meta:
        verbose_name = "personal"
        verbose_name_plural = "personal"

    def __str__(self) -> str:
        return self.username

    @property
    def actor(self) -> ClaimsUser:
        """This person as the booking services know a caller."""
        return ClaimsUser(id_user=self.id_user, username=self.username, rol=self.rol)
