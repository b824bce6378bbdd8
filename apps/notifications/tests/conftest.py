# The citas fixtures: a fake gestion, clients with a role's token, a booked cita.
from apps.appointments.tests.conftest import (  # noqa: F401
    _no_gestion_unless_a_test_brings_one,
    as_role,
    cita,
    cita_body,
    gestion_fake,
)
