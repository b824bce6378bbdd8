"""citas does what the role table says: every role on every route of the table, allowed or 403."""

import pytest

from apps.appointments.tests.conftest import ROLES, book
from apps.common.roles import PERMISOS

pytestmark = pytest.mark.django_db

ROUTES = [
    (accion, ruta)
    for accion, regla in PERMISOS.items()
    for ruta in regla.rutas
    if ruta.split()[1].startswith("/citas")
]


def test_the_table_covers_every_route_of_citas():
    assert len(ROUTES) == 15


@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize(("accion", "ruta"), ROUTES, ids=[f"{accion}:{ruta}" for accion, ruta in ROUTES])
def test_each_role_is_let_in_or_refused_as_the_table_says(
    as_role, gestion_fake, cita_body, accion, ruta, rol
):
    cita = book(as_role("admin"), cita_body).json()
    method, path = ruta.split()
    path = path.replace("{id}", str(cita["id_cita"]))
    response = as_role(rol).generic(method, path, data="{}", content_type="application/json")
    allowed = rol in PERMISOS[accion].roles
    assert response.status_code != 401
    assert (response.status_code == 403) == (not allowed), (response.status_code, response.content[:200])
