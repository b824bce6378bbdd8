import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.accounts.models import User
from apps.clinic.models import Centro, Doctor, Horario, Paciente

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures"


def data_rows(name: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines[1:] if line.strip())


def counts() -> tuple[int, ...]:
    models = (User, Centro, Doctor, Paciente, Horario)
    return tuple(model.objects.count() for model in models)


def snapshot() -> tuple[list, ...]:
    """Every stored value a load could touch."""
    return (
        list(User.objects.order_by("pk").values_list("pk", "username", "password", "rol", "is_active")),
        list(Centro.objects.order_by("pk").values_list()),
        list(Doctor.objects.order_by("pk").values_list()),
        list(Paciente.objects.order_by("pk").values_list()),
        list(Horario.objects.order_by("pk").values_list()),
    )


def test_loads_the_fixtures_into_an_empty_database_and_a_second_run_changes_nothing():
    out = StringIO()
    call_command("load_csv", str(FIXTURES), stdout=out)
    users = data_rows("usuarios.csv") + data_rows("doctores.csv") + data_rows("pacientes.csv")
    expected = (
        users,
        data_rows("centros.csv"),
        data_rows("doctores.csv"),
        data_rows("pacientes.csv"),
        data_rows("horarios.csv"),
    )
    assert counts() == expected
    assert f"centros.csv: {expected[1]} created, 0 skipped, 0 failed" in out.getvalue()
    before = snapshot()

    again = StringIO()
    call_command("load_csv", str(FIXTURES), stdout=again)
    assert snapshot() == before
    assert f"pacientes.csv: 0 created, {expected[3]} skipped, 0 failed" in again.getvalue()
    assert f"horarios.csv: 0 created, {expected[4]} skipped, 0 failed" in again.getvalue()


def test_loaded_accounts_log_in_with_their_csv_password(api_client):
    call_command("load_csv", str(FIXTURES), stdout=StringIO())
    username, password = (FIXTURES / "doctores.csv").read_text().splitlines()[1].split(",")[2:4]
    response = api_client.post("/auth/login", {"username": username, "password": password}, format="json")
    assert response.status_code == 200
    assert response.json()["user"]["rol"] == "medico"


def test_bad_rows_are_reported_by_line_and_the_good_rows_load(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    (tmp_path / "usuarios.csv").write_text(
        "username,password,rol\n"
        "admin,odontocare-dev-admin,admin\n"
        "ana.sec,clave-segura-2026,secretaria\n"
        "pepe.jefe,clave-segura-2026,jefe\n"
        "ana.sec,otra-clave-2026,secretaria\n"
        "corto,123,secretaria\n",
        encoding="utf-8",
    )
    (tmp_path / "doctores.csv").write_text(
        "nombre,especialidad,username,password\n"
        "Dra. Vera Gil,Ortodoncia,vera.gil,clave-segura-2026\n"
        "Dr. Corto,Endodoncia\n",
        encoding="utf-8",
    )
    (tmp_path / "pacientes.csv").write_text(
        "nombre,telefono,estado,username,password\n"
        "Lola Mora,+34 600 111 222,ACTIVO,lola.mora,clave-segura-2026\n"
        "Rita Sol,+34 600 111 333,DORMIDA,rita.sol,clave-segura-2026\n",
        encoding="utf-8",
    )
    centro = (tmp_path / "centros.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[0]
    (tmp_path / "horarios.csv").write_text(
        "doctor,centro,dia_semana,hora_inicio,hora_fin\n"
        f"vera.gil,{centro},1,09:00,14:00\n"
        f"vera.gil,{centro},2,14:00,09:00\n"
        f"nadie,{centro},3,09:00,14:00\n"
        f"vera.gil,{centro},1,13:00,15:00\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="8 problem"):
        call_command("load_csv", str(tmp_path), stdout=StringIO(), stderr=err)
    report = err.getvalue()
    assert "usuarios.csv, line 4: rol must be one of" in report
    assert "usuarios.csv, line 5: username 'ana.sec' is already" in report
    assert "usuarios.csv, line 6: password:" in report
    assert "doctores.csv, line 3: username is empty" in report
    assert "pacientes.csv, line 3: estado must be one of" in report
    assert "horarios.csv, line 3: hora_fin must come after hora_inicio" in report
    assert "horarios.csv, line 4: doctor:" in report
    assert "horarios.csv, line 5: " in report  # overlaps line 2
    assert list(Horario.objects.values_list("doctor__nombre", "hora_inicio")) == [("Dra. Vera Gil", 9 * 60)]
    assert list(Doctor.objects.values_list("nombre", flat=True)) == ["Dra. Vera Gil"]
    assert User.objects.filter(username__in=["admin", "ana.sec", "lola.mora"]).count() == 3
    assert not User.objects.filter(username__in=["pepe.jefe", "corto", "rita.sol"]).exists()


def test_a_file_missing_a_column_is_reported_and_the_other_files_load(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    (tmp_path / "centros.csv").write_text("nombre\nClínica Sin Dirección\n", encoding="utf-8")
    (tmp_path / "horarios.csv").write_text(
        "doctor,centro,dia_semana,hora_inicio,hora_fin\n", encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_csv", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "centros.csv: line 1 lacks the column(s) direccion" in err.getvalue()
    assert not Centro.objects.exists()
    assert Paciente.objects.count() == data_rows("pacientes.csv")


def test_a_file_unreadable_past_its_first_batch_loads_none_of_its_rows(tmp_path):
    shutil.copytree(FIXTURES, tmp_path, dirs_exist_ok=True)
    rows = [f"Paciente {n},+34 600 000 {n:03d},ACTIVO,paciente.{n},clave-segura-2026" for n in range(300)]
    rows[250] = 'Paciente Roto,+34 600 999 999,ACTIVO,"roto,clave-segura-2026'  # an unclosed quote
    (tmp_path / "pacientes.csv").write_text(
        "nombre,telefono,estado,username,password\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_csv", str(tmp_path), "--batch-size", "100", stdout=StringIO(), stderr=err)
    assert "pacientes.csv: is not valid CSV at line" in err.getvalue()
    assert not Paciente.objects.exists()


@pytest.mark.parametrize("size", ["0", "-1", "x"])
def test_the_batch_size_must_be_positive(tmp_path, size):
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("load_csv", str(tmp_path), "--batch-size", size)
