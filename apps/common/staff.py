"""Staff-site permissions that follow from a user's role, as data: the same on both deployables."""

from typing import ClassVar


def permisos(app: str, models: dict[str, str]) -> frozenset[str]:
    """``permisos("clinic", {"paciente": "view add change"})`` → the permission names Django's admin asks."""
    return frozenset(
        f"{app}.{action}_{model}" for model, actions in models.items() for action in actions.split()
    )


class PermisosPorRol:
    """A user model mixin: who enters the staff site, and what it may do there, is its role's
    (``permisos_staff``: role → permission names), not per-user flags that could drift from the role."""

    permisos_staff: ClassVar[dict[str, frozenset[str]]]

    @property
    def is_staff(self) -> bool:
        return self.is_active and self.rol in self.permisos_staff

    @property
    def is_superuser(self) -> bool:
        return False

    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_active and perm in self.permisos_staff.get(self.rol, frozenset())

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and any(
            p.startswith(f"{app_label}.") for p in self.permisos_staff.get(self.rol, ())
        )
