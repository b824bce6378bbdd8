"""The role table's permission classes."""

import pytest

from apps.common.authentication import ClaimsUser
from apps.common.permissions import puede
from apps.common.roles import PERMISOS, Rol


class Asked:
    def __init__(self, rol: str):
        self.user = ClaimsUser(id_user=1, username="u", rol=rol)


@pytest.mark.parametrize("accion", sorted(PERMISOS))
def test_an_action_lets_through_the_roles_of_the_table(accion):
    permission = puede(accion)()
    allowed = {rol for rol in Rol.values if permission.has_permission(Asked(rol), None)}
    assert allowed == set(PERMISOS[accion].roles)


def test_an_action_has_one_class_made_once():
    # Views ask for their action's class on every request.
    assert puede("citas.reservar") is puede("citas.reservar")
    assert puede("citas.reservar") is not puede("citas.leer")
