"""citas' staff users: its own app, so that its first migration can create the user model the staff site
needs."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from apps.common.authentication import ClaimsUser
from apps.common.roles import Rol


class Personal(AbstractBaseUser):
    """Someone of staff signed in to citas' staff site, as gestion vouched for them at their last sign-in.

    gestion checks the password (``apps.appointments.staff.backends``); here it is unusable, so that citas
    holds no password and no hash. The permissions come from the role (``PERMISOS_STAFF``).
    """

    username = models.CharField(max_length=150, unique=True)
    id_user = models.BigIntegerField(unique=True, help_text="The user's id in gestion.")
    rol = models.CharField(max_length=20)

    USERNAME_FIELD = "username"
    is_active = True
    # What citas' API reads of its caller: staff are no patient and no doctor.
    id_paciente = None
    id_doctor = None

    class Meta:
        verbose_name = "personal"
        verbose_name_plural = "personal"

    def __str__(self) -> str:
        return self.username

    @property
    def is_staff(self) -> bool:
        return self.rol in PERMISOS_STAFF

    @property
    def actor(self) -> ClaimsUser:
        """This person as the booking services know a caller."""
        return ClaimsUser(id_user=self.id_user, username=self.username, rol=self.rol)

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm in PERMISOS_STAFF.get(self.rol, ())

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in PERMISOS_STAFF.get(self.rol, ()))


# Who may do what on citas' staff site: citas are booked, cancelled and read there; only an admin deletes.
PERMISOS_STAFF: dict[str, frozenset[str]] = {
    Rol.ADMIN: frozenset(
        {
            "appointments.view_cita",
            "appointments.add_cita",
            "appointments.change_cita",
            "appointments.delete_cita",
        }
    ),
    Rol.SECRETARIA: frozenset(
        {"appointments.view_cita", "appointments.add_cita", "appointments.change_cita"}
    ),
}
