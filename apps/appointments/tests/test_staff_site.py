"""citas' staff site, against an in-memory gestion: sign-in with gestion's credentials, the citas and the
agenda."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.appointments.gateway import AccesoBloqueado
from apps.appointments.models import Cita
from apps.appointments.tests.conftest import CENTRO, DOCTOR, PACIENTE, book, en
from apps.personal.models import Personal

pytestmark = pytest.mark.django_db

PASSWORD = "clave-de-gestion-2026"


@pytest.fixture
def staff(gestion_fake, client):
    """A secretaria signed in through the staff site's login form, with her gestion password."""
    gestion_fake.add_usuario("marta.sec", PASSWORD, "secretaria", id_user=41)
    response = client.post("/staff/login/?next=/staff/", {"username": "marta.sec", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    return client


def test_a_secretaria_signs_in_with_her_gestion_password_and_citas_keeps_no_password(staff, gestion_fake):
    personal = Personal.objects.get()
    assert (personal.username, personal.id_user, personal.rol) == ("marta.sec", 41, "secretaria")
    assert not personal.has_usable_password()
    assert staff.get("/staff/").status_code == 200


@pytest.mark.parametrize(
    ("username", "password", "rol"),
    [("pepe", PASSWORD, "paciente"), ("dr.luis", PASSWORD, "medico"), ("marta.sec", "otra-clave", None)],
    ids=["paciente", "medico", "wrong-password"],
)
def test_only_admin_and_secretaria_get_in(gestion_fake, client, username, password, rol):
    gestion_fake.add_usuario("marta.sec", PASSWORD, "secretaria", id_user=41)
    if rol:
        gestion_fake.add_usuario(username, password, rol, id_user=42)
    response = client.post("/staff/login/?next=/staff/", {"username": username, "password": password})
    assert response.status_code == 200  # the form again, with its error
    assert client.get("/staff/").status_code == 302
    assert not Personal.objects.filter(username=username).exists()


def test_with_gestion_down_nobody_gets_in_and_nothing_breaks(gestion_fake, client):
    gestion_fake.add_usuario("marta.sec", PASSWORD, "secretaria", id_user=41)
    gestion_fake.disponible = False
    response = client.post("/staff/login/?next=/staff/", {"username": "marta.sec", "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


def test_the_citas_list_names_patient_doctor_and_centro_and_searches_them(staff, as_role, cita_body):
    book(as_role("admin"), cita_body)
    html = staff.get("/staff/appointments/cita/").content.decode()
    assert "Paciente Prueba" in html and "Dra. Prueba" in html and "Clínica Prueba" in html
    assert "Paciente Prueba" in staff.get("/staff/appointments/cita/?q=prueba").content.decode()
    assert "Paciente Prueba" not in staff.get("/staff/appointments/cita/?q=nadie").content.decode()
    assert (
        staff.get("/staff/appointments/cita/?estado__exact=CANCELADA")
        .content.decode()
        .count("Paciente Prueba")
        == 0
    )


def test_staff_cancel_selected_citas_with_a_reason(staff, as_role, cita_body):
    cita = book(as_role("admin"), cita_body).json()
    form = {"action": "cancelar", "_selected_action": [cita["id_cita"]]}
    asked = staff.post("/staff/appointments/cita/", form)
    assert asked.status_code == 200 and "motivo" in asked.content.decode()
    done = staff.post("/staff/appointments/cita/", {**form, "motivo": "Llama el paciente"})
    assert done.status_code == 302
    stored = Cita.objects.get(pk=cita["id_cita"])
    assert (stored.estado, stored.motivo_cancelacion, stored.id_user_cancelacion) == (
        "CANCELADA",
        "Llama el paciente",
        41,
    )


def agenda_day():
    return timezone.localdate() + timedelta(days=2)


def test_the_agenda_shows_each_doctors_citas_with_the_patients_name_and_the_free_slots(
    staff, as_role, cita_body
):
    book(as_role("admin"), cita_body, fecha=en(days=2, hour=10))
    html = staff.get(f"/staff/agenda/?id_centro={CENTRO}&fecha={agenda_day()}").content.decode()
    assert 'data-id-doctor="3"' in html and 'data-id-doctor="4"' in html  # side by side
    assert "Paciente Prueba" in html
    assert 'class="hueco"' in html and "10:30 · " in html
    # Two doctors round the clock: 95 starts of 30 minutes each; the cita at 10:00 takes 09:45 to 10:15.
    assert html.count('class="hueco"') == 2 * 95 - 3


def test_a_secretaria_books_a_free_slot_for_a_patient_found_by_name(staff, gestion_fake):
    gestion_fake.add_paciente(PACIENTE, nombre="Rosa Vidal", documento="12345678Z")
    fecha = datetime.combine(agenda_day(), time(11), tzinfo=timezone.get_current_timezone()).isoformat()
    slot = {"id_centro": CENTRO, "id_doctor": DOCTOR, "fecha": fecha}
    found = staff.get("/staff/agenda/reservar/", {**slot, "buscar": "rosa"}).content.decode()
    assert "Rosa Vidal · 12345678Z" in found
    response = staff.post("/staff/agenda/reservar/", {**slot, "buscar": "rosa", "id_paciente": PACIENTE})
    assert response.status_code == 302
    cita = Cita.objects.get()
    assert (cita.id_paciente, cita.paciente_nombre, cita.id_user_registrado) == (PACIENTE, "Rosa Vidal", 41)
    assert timezone.localtime(cita.fecha).isoformat() == fecha


def test_booking_a_slot_taken_meanwhile_says_why_and_books_nothing(staff, as_role, cita_body, gestion_fake):
    taken = book(as_role("admin"), cita_body).json()
    slot = {"id_centro": CENTRO, "id_doctor": DOCTOR, "fecha": taken["fecha"], "buscar": "otro"}
    response = staff.post("/staff/agenda/reservar/", {**slot, "id_paciente": 13}, follow=True)
    assert (
        "The cita could not be booked" in response.content.decode()
        or "No se ha podido reservar" in response.content.decode()
    )
    assert Cita.objects.count() == 1


def test_a_secretaria_cancels_a_cita_from_the_agenda(staff, as_role, cita_body):
    cita = book(as_role("admin"), cita_body).json()
    response = staff.post(f"/staff/agenda/cancelar/{cita['id_cita']}/", {"motivo": "Avisa por teléfono"})
    assert response.status_code == 302
    assert Cita.objects.get().estado == "CANCELADA"


def test_no_table_of_citas_holds_a_password_or_a_hash(staff, as_role, cita_body):
    book(as_role("admin"), cita_body)
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        values = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the introspection)
            values += [str(value) for row in cursor.fetchall() for value in row if value is not None]
    assert "auth_user" not in tables
    assert not [v for v in values if PASSWORD in v or v.startswith(("argon2", "pbkdf2_", "md5$", "bcrypt"))]
    assert Personal.objects.get().password.startswith("!")  # unusable: Django's mark for "no password"


def test_a_citas_history_is_on_the_staff_site_and_nothing_is_reverted(staff, as_role, cita_body):
    cita = as_role("admin").post("/citas", cita_body, format="json", HTTP_X_REQUEST_ID="req-staff").json()
    html = staff.get(f"/staff/appointments/cita/{cita['id_cita']}/history/").content.decode()
    assert "req-staff" in html and "creada" in html


def test_while_gestion_locks_the_sign_in_the_form_answers_429(gestion_fake, client, monkeypatch):
    def locked(**kwargs):
        raise AccesoBloqueado(120)

    monkeypatch.setattr(gestion_fake, "autenticar", locked)
    response = client.post("/staff/login/?next=/staff/", {"username": "marta.sec", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert response["Content-Type"] == "application/json"
