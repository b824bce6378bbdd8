import pytest

from apps.accounts.tests.factories import UserFactory
from apps.clinic.models import Horario
from apps.clinic.tests.factories import CentroFactory, DoctorFactory, HorarioFactory, PacienteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    """Signed in through the staff site's own login form."""
    staff = UserFactory(rol="admin", password="staff-secret-2026")
    response = client.post(
        "/staff/login/?next=/staff/", {"username": staff.username, "password": "staff-secret-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/staff/"
    return client


@pytest.mark.parametrize(
    "model",
    [
        "accounts/user",
        "clinic/centro",
        "clinic/doctor",
        "clinic/paciente",
        "clinic/horario",
        "clinic/ausencia",
    ],
)
def test_staff_loads_each_changelist(staff_client, model):
    response = staff_client.get(f"/staff/{model}/")
    assert response.status_code == 200


def test_staff_searches_doctors_and_patients(staff_client):
    DoctorFactory(nombre="Dra. Irene Soler")
    DoctorFactory(nombre="Dr. Pablo Ruiz")
    PacienteFactory(nombre="Tomás Pizarro")
    PacienteFactory(nombre="Lucía Gómez")
    doctors = staff_client.get("/staff/clinic/doctor/?q=irene").content.decode()
    patients = staff_client.get("/staff/clinic/paciente/?q=pizarro").content.decode()
    assert "Dra. Irene Soler" in doctors and "Dr. Pablo Ruiz" not in doctors
    assert "Tomás Pizarro" in patients and "Lucía Gómez" not in patients


def test_user_change_page_shows_the_password_read_only_and_masked(staff_client):
    user = UserFactory()
    html = staff_client.get(f"/staff/accounts/user/{user.pk}/change/").content.decode()
    assert '<div disabled aria-describedby="id_password_helptext" id="id_password">' in html
    assert 'name="password"' not in html
    assert user.password.split("$")[-1] not in html


@pytest.mark.parametrize("rol", ["medico", "paciente", "servicio"])
def test_a_user_whose_role_has_no_staff_site_is_sent_to_the_login_page(client, rol):
    client.force_login(UserFactory(rol=rol))
    assert client.get("/staff/clinic/paciente/").status_code == 302


def test_a_deactivated_admin_is_sent_to_the_login_page(client):
    client.force_login(UserFactory(rol="admin", is_active=False))
    assert client.get("/staff/").status_code == 302


def test_a_secretaria_created_through_the_api_signs_in_and_sees_patients_only(client, client_for):
    admin = client_for(UserFactory(rol="admin"))
    body = {"username": "marta.sec", "password": "clave-secreta-2026", "rol": "secretaria"}
    assert admin.post("/admin/usuario", body, format="json").status_code == 201
    response = client.post(
        "/staff/login/?next=/staff/", {"username": "marta.sec", "password": body["password"]}
    )
    assert response.status_code == 302
    index = client.get("/staff/").content.decode()
    assert "/staff/clinic/paciente/" in index
    for other in (
        "/staff/clinic/centro/",
        "/staff/clinic/doctor/",
        "/staff/accounts/user/",
        "/staff/clinic/horario/",
    ):
        assert other not in index
        assert client.get(other).status_code == 403
    assert client.get("/staff/clinic/paciente/").status_code == 200
    assert client.get("/staff/clinic/paciente/add/").status_code == 200


def test_on_the_staff_site_a_role_never_becomes_or_stops_being_servicio(staff_client):
    servicio, secretaria = UserFactory(rol="servicio"), UserFactory(rol="secretaria")
    form = {"username": secretaria.username, "rol": "servicio", "is_active": "on"}
    refused = staff_client.post(f"/staff/accounts/user/{secretaria.pk}/change/", form)
    assert refused.status_code == 200  # the form again: not a choice
    secretaria.refresh_from_db()
    assert secretaria.rol == "secretaria"
    staff_client.post(
        f"/staff/accounts/user/{servicio.pk}/change/", {**form, "username": servicio.username, "rol": "admin"}
    )
    servicio.refresh_from_db()
    assert servicio.rol == "servicio"
    promoted = staff_client.post(f"/staff/accounts/user/{secretaria.pk}/change/", {**form, "rol": "admin"})
    assert promoted.status_code == 302
    secretaria.refresh_from_db()
    assert secretaria.rol == "admin"


def test_the_staff_action_deactivates_patients_and_records_when(staff_client):
    from apps.clinic.models import Paciente

    paciente = PacienteFactory()
    response = staff_client.post(
        "/staff/clinic/paciente/", {"action": "desactivar", "_selected_action": [paciente.pk]}
    )
    assert response.status_code == 302
    changed = Paciente.objects.get(pk=paciente.pk)
    assert changed.estado == "INACTIVO"
    assert changed.actualizado > paciente.actualizado


def test_a_form_over_the_upload_limit_is_413_json(client, settings):
    # The staff site is plain Django: its oversized form reaches Django's 400 handler, not DRF's.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/staff/login/", {"username": "a" * 2000, "password": "x"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "payload_too_large"


def horario_form(doctor, centro, inicio: str, fin: str, dia: int = 1) -> dict[str, str]:
    return {
        "doctor": str(doctor.pk),
        "centro": str(centro.pk),
        "dia_semana": str(dia),
        "hora_inicio": inicio,
        "hora_fin": fin,
        "vigente_desde": "",
        "vigente_hasta": "",
    }


def test_staff_adds_a_range_in_hh_mm_and_an_overlap_is_refused_on_the_form(staff_client):
    existing = HorarioFactory(hora_inicio=9 * 60, hora_fin=14 * 60)
    added = staff_client.post(
        "/staff/clinic/horario/add/", horario_form(existing.doctor, existing.centro, "16:00", "24:00")
    )
    assert added.status_code == 302
    assert Horario.objects.filter(hora_inicio=16 * 60, hora_fin=24 * 60).count() == 1
    refused = staff_client.post(
        "/staff/clinic/horario/add/", horario_form(existing.doctor, CentroFactory(), "13:00", "15:00")
    )
    assert refused.status_code == 200
    assert "El doctor ya trabaja a esa hora" in refused.content.decode()
    assert Horario.objects.count() == 2


def test_a_doctors_page_shows_its_ranges_inline_in_hh_mm(staff_client):
    horario = HorarioFactory(hora_inicio=9 * 60 + 30, hora_fin=24 * 60)
    html = staff_client.get(f"/staff/clinic/doctor/{horario.doctor_id}/change/").content.decode()
    assert 'value="09:30"' in html and 'value="24:00"' in html


@pytest.mark.parametrize("model", ["centro", "doctor", "paciente"])
def test_the_staff_site_never_deletes_centros_doctors_or_patients(staff_client, model):
    record = {"centro": CentroFactory, "doctor": DoctorFactory, "paciente": PacienteFactory}[model]()
    changelist = staff_client.get(f"/staff/clinic/{model}/")
    assert "delete_selected" not in changelist.content.decode()
    assert staff_client.get(f"/staff/clinic/{model}/{record.pk}/delete/").status_code == 403
    assert staff_client.post(f"/staff/clinic/{model}/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert type(record).objects.filter(pk=record.pk).exists()


def test_a_records_history_is_on_the_staff_site(staff_client):
    paciente = PacienteFactory()
    staff_client.post("/staff/clinic/paciente/", {"action": "desactivar", "_selected_action": [paciente.pk]})
    history = staff_client.get(f"/staff/clinic/paciente/{paciente.pk}/history/")
    assert history.status_code == 200
    assert "admin" in history.content.decode()  # the staff member's role, who deactivated it
