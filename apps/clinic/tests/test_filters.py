"""gestion's list filters are built once per class: each request's FilterSet still has filters of its own."""

import pytest
from django.http import QueryDict

from apps.accounts.filters import UserFilter
from apps.accounts.models import User
from apps.clinic.filters import AusenciaFilter, CentroFilter, DoctorFilter, HorarioFilter, PacienteFilter
from apps.clinic.models import Ausencia, Centro, Doctor, Horario, Paciente
from apps.common.tests.filtersets import assert_filters_of_their_own

FILTROS = [
    (DoctorFilter, Doctor, "especialidad=Ortodoncia&activo=true"),
    (CentroFilter, Centro, "activo=false"),
    (PacienteFilter, Paciente, "estado=ACTIVO"),
    (HorarioFilter, Horario, "id_doctor=3&dia_semana=2"),
    (AusenciaFilter, Ausencia, "id_centro=2&desde=2031-03-03T09:00:00Z"),
    (UserFilter, User, "rol=medico&is_active=true"),
]


@pytest.mark.parametrize(("filterset", "model", "query"), FILTROS)
def test_each_request_filters_with_filters_and_a_form_of_its_own(filterset, model, query):
    primero = filterset(data=QueryDict(query), queryset=model.objects.all())
    segundo = filterset(data=QueryDict(""), queryset=model.objects.all())
    assert primero.is_valid() and segundo.is_valid(), primero.errors
    assert_filters_of_their_own(primero, segundo)
    assert primero.form.fields is not segundo.form.fields
    for name, field in primero.form.fields.items():
        # Each form's field is its own, a shallow copy: what it was built with (its widget) is shared.
        assert field is not segundo.form.fields[name]
        assert field.widget is segundo.form.fields[name].widget
    assert set(primero.form.cleaned_data) == set(primero.filters)
    # What one request asked does not leak into the next one's query.
    assert "WHERE" in str(primero.qs.query) and "WHERE" not in str(segundo.qs.query)
