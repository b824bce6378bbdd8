"""Role checks, chosen per action by each view. Object ownership is the view's queryset's job."""

from rest_framework.permissions import BasePermission

from apps.common.roles import Rol


class RolePermission(BasePermission):
    allowed: frozenset[str] = frozenset()

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "rol", None) in self.allowed)


def roles(*allowed: Rol) -> type[RolePermission]:
    """A permission class that lets through the given roles only."""
    name = "Rol" + "O".join(r.value.capitalize() for r in allowed)
    return type(name, (RolePermission,), {"allowed": frozenset(allowed)})


IsAdmin = roles(Rol.ADMIN)


class PermissionsByActionMixin:
    """A view set's permission classes per action: ``permissions_by_action = {"create": [IsAdmin]}``;
    actions not listed use ``permission_classes``."""

    permissions_by_action: dict = {}

    def get_permissions(self):
        classes = self.permissions_by_action.get(self.action, self.permission_classes)
        return [permission() for permission in classes]
