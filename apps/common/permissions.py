"""Role checks, read from the role table (``apps.common.roles.PERMISOS``) and chosen per action by each view.
Object ownership is the view's queryset's job."""

import functools

from rest_framework.permissions import BasePermission, IsAuthenticated

from apps.common.roles import PERMISOS


class RolePermission(BasePermission):
    allowed: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "rol", None) in self.allowed)


@functools.cache
def puede(accion: str) -> type[RolePermission]:
    """A permission class that lets through the roles that the role table gives this action; one class per
    action (views ask for it on every request)."""
    name = "Puede" + "".join(part.capitalize() for part in accion.replace(".", "_").split("_"))
    return type(name, (RolePermission,), {"allowed": frozenset(PERMISOS[accion].roles)})


class Nobody(BasePermission):
    def has_permission(self, request, view) -> bool:
        return False


class PermissionsByActionMixin:
    """A view set's permission per action, as the action's entry in the role table:
    ``permisos = {"create": "citas.reservar", "list": "citas.leer"}``. OPTIONS is any authenticated
    caller's; an action the table does not name is nobody's."""

    permisos: dict[str, str] = {}

    def get_permissions(self):
        accion = self.permisos.get(self.action)
        if accion is not None:
            return [puede(accion)()]
        if self.action == "metadata" or self.request.method.lower() not in self.http_method_names:
            return [IsAuthenticated()]  # OPTIONS, or a method the view refuses anyway (405)
        return [Nobody()]
