import pytest

from apps.clinic.models import Centro
from apps.clinic.tests.conftest import ROLES
from apps.clinic.tests.factories import CentroFactory

pytestmark = pytest.mark.django_db

CENTRO = {"nombre": "Clínica Dental Sol", "direccion": "Calle Mayor 12, Madrid"}
RESERVAS_POR_DEFECTO = {
    "antelacion_minima_minutos": 0,
    "horizonte_dias": 365,
    "intervalo_minutos": 15,
    "activo": True,
}


def test_admin_creates_a_centro(as_role):
    response = as_role("admin").post("/admin/centros", CENTRO, format="json")
    assert response.status_code == 201
    body = response.json()
    # The booking settings not given are the network's defaults.
    assert body == {"id_centro": body["id_centro"], **CENTRO, **RESERVAS_POR_DEFECTO}
    assert Centro.objects.filter(pk=body["id_centro"]).exists()


@pytest.mark.parametrize(
    "ajustes",
    [
        {"antelacion_minima_minutos": 120},
        {"horizonte_dias": 60},
        {"intervalo_minutos": 20},
        {"antelacion_minima_minutos": 30, "horizonte_dias": 90, "intervalo_minutos": 10},
    ],
)
def test_a_centro_has_booking_settings_of_its_own(as_role, ajustes):
    response = as_role("admin").post("/admin/centros", {**CENTRO, **ajustes}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "id_centro": response.json()["id_centro"],
        **CENTRO,
        **RESERVAS_POR_DEFECTO,
        **ajustes,
    }


def test_the_network_sets_the_defaults_of_new_centros(as_role, settings):
    settings.AGENDA_INTERVALO_MINUTOS = 20
    settings.AGENDA_HORIZONTE_DIAS = 90
    body = as_role("admin").post("/admin/centros", CENTRO, format="json").json()
    assert (body["intervalo_minutos"], body["horizonte_dias"]) == (20, 90)


@pytest.mark.parametrize(
    ("ajustes", "attr"),
    [
        ({"intervalo_minutos": 4}, "intervalo_minutos"),
        ({"intervalo_minutos": 121}, "intervalo_minutos"),
        ({"horizonte_dias": 0}, "horizonte_dias"),
        ({"antelacion_minima_minutos": -1}, "antelacion_minima_minutos"),
    ],
)
def test_booking_settings_out_of_range_are_400(as_role, ajustes, attr):
    response = as_role("admin").post("/admin/centros", {**CENTRO, **ajustes}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == attr
    assert not Centro.objects.exists()


def test_admin_changes_a_centros_slot_interval(as_role):
    centro = CentroFactory()
    response = as_role("admin").patch(f"/admin/centros/{centro.pk}", {"intervalo_minutos": 30}, format="json")
    assert response.status_code == 200
    centro.refresh_from_db()
    assert centro.intervalo_minutos == 30


@pytest.mark.parametrize(("rol", "status"), [(None, 401)] + [(r, 403) for r in ROLES if r != "admin"])
def test_only_admin_creates_centros(as_role, rol, status):
    response = as_role(rol).post("/admin/centros", CENTRO, format="json")
    assert response.status_code == status
    assert not Centro.objects.exists()


@pytest.mark.parametrize("rol", ROLES)
def test_every_role_reads_the_centro_directory(as_role, rol):
    centro = CentroFactory()
    client = as_role(rol)
    listing = client.get("/admin/centros")
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert client.get(f"/admin/centros/{centro.pk}").json()["nombre"] == centro.nombre


def test_anonymous_cannot_read_centros(as_role):
    assert as_role(None).get("/admin/centros").status_code == 401


def test_unknown_centro_is_404_json(as_role):
    response = as_role("admin").get("/admin/centros/999")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_same_name_and_address_in_other_case_is_a_409_duplicate(as_role):
    admin = as_role("admin")
    admin.post("/admin/centros", CENTRO, format="json")
    shouting = {k: v.upper() for k, v in CENTRO.items()}
    response = admin.post("/admin/centros", shouting, format="json")
    assert response.status_code == 409
    error = response.json()["errors"][0]
    assert error["code"] == "centro_duplicado"
    assert error["detail"] == "Ya existe un centro con este nombre y esta dirección."
    assert Centro.objects.count() == 1


def test_the_longest_name_and_address_are_accepted_even_when_case_folding_lengthens_them(as_role):
    # "ß" folds to "ss" and the ligature "ﬃ" to "ffi": the folded text is longer than the columns.
    longest = {"nombre": "ß" * 200, "direccion": "ﬃ" * 300}
    admin = as_role("admin")
    assert admin.post("/admin/centros", longest, format="json").status_code == 201
    capitals = {**longest, "nombre": "\u1e9e" * 200}  # capital sharp s, also folded to "ss"
    assert admin.post("/admin/centros", capitals, format="json").status_code == 409


def test_missing_field_is_400_naming_it(as_role):
    response = as_role("admin").post("/admin/centros", {"nombre": "Solo nombre"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "direccion"


def test_bulk_create_creates_all(as_role):
    items = [{"nombre": f"Clínica {i}", "direccion": f"Calle {i}"} for i in range(3)]
    response = as_role("admin").post("/admin/centros", items, format="json")
    assert response.status_code == 201
    assert [c["nombre"] for c in response.json()] == ["Clínica 0", "Clínica 1", "Clínica 2"]


def test_bulk_create_with_one_invalid_item_writes_nothing_and_names_it(as_role):
    items = [CENTRO, {"nombre": "Sin dirección"}, {"nombre": "Otra", "direccion": "Calle 2"}]
    response = as_role("admin").post("/admin/centros", items, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["1.direccion"]
    assert not Centro.objects.exists()


@pytest.mark.parametrize(
    ("items", "attrs"),
    [
        ([{"nombre": "Sin dirección"}, CENTRO], ["0.direccion"]),
        ([1, CENTRO, 2], ["0.non_field_errors", "2.non_field_errors"]),
        ([None, CENTRO], ["0"]),
    ],
)
def test_every_bad_item_is_named_by_its_index_as_a_string_the_first_included(as_role, items, attrs):
    response = as_role("admin").post("/admin/centros", items, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == attrs
    assert not Centro.objects.exists()


def test_bulk_create_with_a_duplicate_writes_nothing_and_names_each_bad_index(as_role):
    CentroFactory(**CENTRO)
    items = [{"nombre": "Nueva", "direccion": "Calle 1"}, CENTRO, {"nombre": "Nueva", "direccion": "calle 1"}]
    response = as_role("admin").post("/admin/centros", items, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["attr"], e["code"]) for e in errors] == [
        ("1.nombre", "centro_duplicado"),
        ("2.nombre", "centro_duplicado"),
    ]
    assert Centro.objects.count() == 1


def test_bulk_create_of_a_thousand_centros_succeeds(as_role):
    items = [{"nombre": f"Clínica {i}", "direccion": f"Avenida {i}"} for i in range(1000)]
    response = as_role("admin").post("/admin/centros", items, format="json")
    assert response.status_code == 201
    assert Centro.objects.count() == 1000


def test_bulk_create_is_bounded(as_role):
    items = [{"nombre": f"Clínica {i}", "direccion": f"Avenida {i}"} for i in range(1001)]
    response = as_role("admin").post("/admin/centros", items, format="json")
    assert response.status_code == 400
    assert not Centro.objects.exists()


def test_empty_bulk_is_400(as_role):
    assert as_role("admin").post("/admin/centros", [], format="json").status_code == 400


def test_admin_changes_a_centro(as_role):
    centro = CentroFactory()
    response = as_role("admin").patch(f"/admin/centros/{centro.pk}", {"direccion": "Nueva 1"}, format="json")
    assert response.status_code == 200
    centro.refresh_from_db()
    assert centro.direccion == "Nueva 1"


def test_changing_a_centro_into_a_duplicate_is_409(as_role):
    CentroFactory(**CENTRO)
    other = CentroFactory()
    response = as_role("admin").patch(f"/admin/centros/{other.pk}", CENTRO, format="json")
    assert response.status_code == 409


@pytest.mark.parametrize("rol", [r for r in ROLES if r != "admin"])
def test_only_admin_changes_centros(as_role, rol):
    centro = CentroFactory()
    response = as_role(rol).patch(f"/admin/centros/{centro.pk}", {"nombre": "X"}, format="json")
    assert response.status_code == 403
    assert Centro.objects.get(pk=centro.pk).nombre == centro.nombre


def test_put_is_not_offered(as_role):
    centro = CentroFactory()
    assert as_role("admin").put(f"/admin/centros/{centro.pk}", CENTRO, format="json").status_code == 405


def test_list_is_paginated_searchable_and_ordered_by_id(as_role):
    for name in ["Beta", "Alfa", "Gamma"]:
        CentroFactory(nombre=f"Clínica {name}")
    admin = as_role("admin")
    page = admin.get("/admin/centros?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert [c["nombre"] for c in page["results"]] == ["Clínica Beta", "Clínica Alfa"]
    assert admin.get("/admin/centros?search=gamma").json()["count"] == 1
    ordered = admin.get("/admin/centros?ordering=nombre").json()["results"]
    assert [c["nombre"] for c in ordered] == ["Clínica Alfa", "Clínica Beta", "Clínica Gamma"]


@pytest.mark.parametrize("page_size", ["100000", "0", "null", "-1", "2.5"])
def test_a_page_size_out_of_bounds_or_not_a_number_is_400(as_role, page_size):
    CentroFactory.create_batch(3)
    response = as_role("admin").get(f"/admin/centros?page_size={page_size}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "page_size"
    assert len(as_role("admin").get("/admin/centros?page_size=200").json()["results"]) == 3


def test_paths_work_with_a_trailing_slash(as_role):
    admin = as_role("admin")
    assert admin.post("/admin/centros/", CENTRO, format="json").status_code == 201
    assert admin.get("/admin/centros/").status_code == 200


@pytest.mark.parametrize(("field", "value"), [("direccion", 0), ("nombre", ["Sol"]), ("nombre", True)])
def test_text_fields_take_text_only(as_role, field, value):
    response = as_role("admin").post("/admin/centros", {**CENTRO, field: value}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == field
    assert not Centro.objects.exists()
