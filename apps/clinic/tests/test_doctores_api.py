import pytest

from apps.accounts.models import User
from apps.clinic.models import Doctor
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import DoctorFactory

pytestmark = pytest.mark.django_db

DOCTOR = {
    "nombre": "Dra. Lucía Martín",
    "especialidad": "Ortodoncia",
    "username": "lucia.martin",
    "password": "clave-segura-2026",
}


def test_admin_creates_a_doctor_with_its_medico_user(as_role, api_client):
    response = as_role("admin").post("/admin/doctores", DOCTOR, format="json")
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="lucia.martin")
    assert body == {
        "id_doctor": body["id_doctor"],
        "id_user": user.pk,
        "nombre": "Dra. Lucía Martín",
        "especialidad": "Ortodoncia",
        "activo": True,
        "horarios": [],
    }
    assert user.rol == "medico"
    credentials = {"username": "lucia.martin", "password": DOCTOR["password"]}
    login = api_client.post("/auth/login", credentials, format="json")
    assert login.json()["user"]["id_doctor"] == body["id_doctor"]


@pytest.mark.parametrize(("rol", "status"), [(None, 401)] + [(r, 403) for r in ROLES if r != "admin"])
def test_only_admin_creates_doctors(as_role, rol, status):
    client = as_role(rol)
    assert client.post("/admin/doctores", DOCTOR, format="json").status_code == status
    assert not User.objects.filter(username=DOCTOR["username"]).exists()


def test_taken_username_is_409_and_writes_nothing(as_role):
    admin = as_role("admin")
    admin.post("/admin/doctores", DOCTOR, format="json")
    users, doctors = User.objects.count(), Doctor.objects.count()
    response = admin.post("/admin/doctores", {**DOCTOR, "username": "LUCIA.MARTIN"}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "usuario_duplicado"
    assert (User.objects.count(), Doctor.objects.count()) == (users, doctors)


def test_weak_password_is_400_on_password(as_role):
    response = as_role("admin").post("/admin/doctores", {**DOCTOR, "password": "12345678"}, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"password"}
    assert not User.objects.filter(username="lucia.martin").exists()


def test_password_never_appears_in_answers(as_role):
    admin = as_role("admin")
    created = admin.post("/admin/doctores", DOCTOR, format="json")
    listing = admin.get("/admin/doctores")
    for response in (created, listing):
        assert DOCTOR["password"] not in response.content.decode()
        assert "password" not in response.content.decode()


@pytest.mark.parametrize("rol", ROLES)
def test_every_role_reads_the_doctor_directory(as_role, rol):
    doctor = DoctorFactory()
    client = as_role(rol)
    assert client.get("/admin/doctores").status_code == 200
    assert client.get(f"/admin/doctores/{doctor.pk}").json()["id_doctor"] == doctor.pk


def test_filter_by_especialidad_ignores_case(as_role):
    DoctorFactory(especialidad="Ortodoncia")
    DoctorFactory(especialidad="Endodoncia")
    body = as_role("admin").get("/admin/doctores?especialidad=ortodoncia").json()
    assert [d["especialidad"] for d in body["results"]] == ["Ortodoncia"]


def test_bulk_doctors_with_a_repeated_username_write_nothing(as_role):
    items = [DOCTOR, {**DOCTOR, "nombre": "Otro"}]
    response = as_role("admin").post("/admin/doctores", items, format="json")
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("1.username", "usuario_duplicado")
    ]
    assert not User.objects.filter(username="lucia.martin").exists()
    assert not Doctor.objects.exists()


def test_admin_changes_a_doctor(as_role):
    doctor = DoctorFactory()
    response = as_role("admin").patch(
        f"/admin/doctores/{doctor.pk}", {"especialidad": "Periodoncia"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["especialidad"] == "Periodoncia"


@pytest.mark.parametrize("rol", [r for r in ROLES if r != "admin"])
def test_only_admin_changes_doctors(as_role, rol):
    doctor = DoctorFactory()
    response = as_role(rol).patch(f"/admin/doctores/{doctor.pk}", {"nombre": "X"}, format="json")
    assert response.status_code == 403
    assert Doctor.objects.get(pk=doctor.pk).nombre == doctor.nombre


def test_paging_through_a_non_unique_ordering_shows_every_doctor_once(as_role):
    for n in range(30):
        DoctorFactory(especialidad=("Ortodoncia", "Endodoncia")[n % 2])
    client = as_role("admin")
    seen, url = [], "/admin/doctores?ordering=-especialidad&page_size=7"
    while url:
        page = client.get(url).json()
        seen += [doctor["id_doctor"] for doctor in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(Doctor.objects.values_list("pk", flat=True))


def test_the_primary_key_breaks_ties_of_any_ordering(rf):
    from rest_framework.request import Request

    from apps.clinic.views import DoctorViewSet
    from apps.common.filters import OrderingFilter

    request = Request(rf.get("/admin/doctores", {"ordering": "-especialidad"}))
    ordering = OrderingFilter().get_ordering(request, Doctor.objects.all(), DoctorViewSet())
    assert ordering == ["-especialidad", "pk"]
