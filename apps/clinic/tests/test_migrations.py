import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.clinic.keys import centro_key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """The tests that run after these expect every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_centros_are_rekeyed_with_the_digest():
    old = migrate([("clinic", "0001_initial")])
    old.get_model("clinic", "Centro").objects.create(
        nombre="Clínica  Sol", direccion="Calle Mayor 1", clave="clínica sol|calle mayor 1"
    )
    new = migrate([("clinic", "0002_centro_clave_digest")])
    (centro,) = new.get_model("clinic", "Centro").objects.all()
    assert centro.clave == centro_key("clínica sol", "CALLE MAYOR 1")
