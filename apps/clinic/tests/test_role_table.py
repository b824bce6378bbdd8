"""gestion does what the role table says: every role on every route of the table, allowed or 403."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import AusenciaFactory, HorarioFactory, PacienteFactory
from apps.common.roles import PERMISOS

pytestmark = pytest.mark.django_db

ROUTES = [
    (accion, ruta)
    for accion, regla in PERMISOS.items()
    for ruta in regla.rutas
    if ruta.split()[1].startswith(("/admin/", "/interno/"))
]


@pytest.fixture
def ids():
    horario = HorarioFactory()
    return {
        "usuario": UserFactory(rol="secretaria").pk,
        "centros": horario.centro_id,
        "doctores": horario.doctor_id,
        "pacientes": PacienteFactory(user=None).pk,
        "horarios": horario.pk,
        "ausencias": AusenciaFactory().pk,
    }


def test_the_table_covers_every_route_of_gestion():
    assert len(ROUTES) == 36


@pytest.mark.parametrize("rol", ROLES)
@pytest.mark.parametrize(("accion", "ruta"), ROUTES, ids=[f"{accion}:{ruta}" for accion, ruta in ROUTES])
def test_each_role_is_let_in_or_refused_as_the_table_says(as_role, ids, accion, ruta, rol):
    method, path = ruta.split()
    if "{id}" in path:
        path = path.replace("{id}", str(ids[path.split("/")[2]]))
    response = as_role(rol).generic(method, path, data="{}", content_type="application/json")
    allowed = rol in PERMISOS[accion].roles
    assert response.status_code != 401
    assert (response.status_code == 403) == (not allowed), (response.status_code, response.content[:200])
