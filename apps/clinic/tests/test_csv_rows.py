from pathlib import Path

import pytest

from apps.clinic.csv_rows import LOAD_ORDER, CsvFileError, Kind, SeenKeys, read_rows, username_key


def write(folder: Path, kind: Kind, text: str, encoding: str = "utf-8") -> Path:
    path = folder / kind.filename
    path.write_text(text, encoding=encoding)
    return path


def test_files_load_in_the_order_their_references_need():
    assert LOAD_ORDER == (Kind.USUARIOS, Kind.CENTROS, Kind.DOCTORES, Kind.PACIENTES, Kind.HORARIOS)
    assert [kind.filename for kind in LOAD_ORDER] == [
        "usuarios.csv",
        "centros.csv",
        "doctores.csv",
        "pacientes.csv",
        "horarios.csv",
    ]


def test_a_valid_row_comes_back_trimmed(tmp_path):
    path = write(
        tmp_path,
        Kind.DOCTORES,
        "nombre,especialidad,username,password\n"
        " Dra. Lucía Martín , Ortodoncia ,  lucia.martin ,clave-segura-2026\n",
    )

    [row] = read_rows(path, Kind.DOCTORES)

    assert row.ok and row.line == 2
    assert row.data == {
        "nombre": "Dra. Lucía Martín",
        "especialidad": "Ortodoncia",
        "username": "lucia.martin",
        "password": "clave-segura-2026",
    }


def test_a_password_is_taken_exactly_as_written(tmp_path):
    path = write(tmp_path, Kind.USUARIOS, "username,password,rol\nana, espacio al final ,secretaria\n")

    [row] = read_rows(path, Kind.USUARIOS)

    assert row.data["password"] == " espacio al final "


def test_a_missing_column_is_an_error_naming_the_file_and_the_column(tmp_path):
    path = write(tmp_path, Kind.PACIENTES, "nombre,estado,username,password\nAna,ACTIVO,ana,clave-segura-1\n")

    with pytest.raises(CsvFileError) as raised:
        list(read_rows(path, Kind.PACIENTES))

    assert raised.value.file == "pacientes.csv"
    assert "telefono" in str(raised.value)
    assert "pacientes.csv" in str(raised.value)


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(CsvFileError, match=r"centros\.csv"):
        list(read_rows(tmp_path / "centros.csv", Kind.CENTROS))


def test_columns_may_come_in_any_order_and_extra_ones_are_ignored(tmp_path):
    path = write(
        tmp_path, Kind.CENTROS, "direccion,notas,Nombre\nCalle Mayor 1,abierto sábados,Clínica Sol\n"
    )

    [row] = read_rows(path, Kind.CENTROS)

    assert row.data == {"nombre": "Clínica Sol", "direccion": "Calle Mayor 1"}


def test_an_unknown_rol_is_reported_with_its_file_and_line(tmp_path):
    path = write(
        tmp_path,
        Kind.USUARIOS,
        "username,password,rol\nadmin,odontocare-dev-admin,admin\npepe,clave-segura-2,medico\n",
    )

    good, bad = read_rows(path, Kind.USUARIOS)

    assert good.ok
    assert (bad.file, bad.line, bad.data) == ("usuarios.csv", 3, None)
    assert bad.error == "rol must be one of admin, secretaria"


def test_a_rol_is_recognised_whatever_its_letter_case(tmp_path):
    path = write(tmp_path, Kind.USUARIOS, "username,password,rol\nana,clave-segura-2,Secretaria\n")

    [row] = read_rows(path, Kind.USUARIOS)

    assert row.data["rol"] == "secretaria"


def test_a_bad_estado_is_reported(tmp_path):
    path = write(
        tmp_path,
        Kind.PACIENTES,
        "nombre,telefono,estado,username,password\nAna Ruiz,+34 612 345 678,BAJA,ana.ruiz,clave-segura-3\n",
    )

    [row] = read_rows(path, Kind.PACIENTES)

    assert not row.ok and row.line == 2
    assert row.error == "estado must be one of ACTIVO, INACTIVO"


def test_an_empty_estado_means_activo(tmp_path):
    path = write(
        tmp_path,
        Kind.PACIENTES,
        "nombre,telefono,estado,username,password\nAna Ruiz,+34 612 345 678,,ana.ruiz,clave-segura-3\n",
    )

    [row] = read_rows(path, Kind.PACIENTES)

    assert row.data["estado"] == "ACTIVO"


def test_the_estado_column_may_be_left_out(tmp_path):
    path = write(
        tmp_path,
        Kind.PACIENTES,
        "nombre,telefono,username,password\nAna Ruiz,+34 612 345 678,ana.ruiz,clave-segura-3\n",
    )

    [row] = read_rows(path, Kind.PACIENTES)

    assert row.data["estado"] == "ACTIVO"


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_required_field_is_reported(tmp_path, blank):
    path = write(
        tmp_path,
        Kind.DOCTORES,
        f"nombre,especialidad,username,password\nDr. Luis Gil,{blank},luis.gil,clave-segura-4\n",
    )

    [row] = read_rows(path, Kind.DOCTORES)

    assert not row.ok and "especialidad" in row.error


def test_a_short_row_is_reported_as_missing_its_last_values(tmp_path):
    path = write(tmp_path, Kind.DOCTORES, "nombre,especialidad,username,password\nDr. Luis Gil,Endodoncia\n")

    [row] = read_rows(path, Kind.DOCTORES)

    assert not row.ok and "username" in row.error


def test_a_row_with_more_fields_than_the_header_is_reported(tmp_path):
    path = write(tmp_path, Kind.CENTROS, "nombre,direccion\nClínica Sol,Calle Mayor,1\n")

    [row] = read_rows(path, Kind.CENTROS)

    assert not row.ok and "3 fields" in row.error


def test_an_error_never_shows_the_password(tmp_path):
    path = write(
        tmp_path,
        Kind.USUARIOS,
        "username,password,rol\nana,secreto-muy-largo,jefe,sobra\nana2,secreto-muy-largo,jefe\n",
    )

    errors = [row.error for row in read_rows(path, Kind.USUARIOS)]

    assert len(errors) == 2 and all("secreto" not in error for error in errors)


def test_a_misaligned_row_never_shows_the_password_that_lands_in_a_choice_column(tmp_path):
    path = write(
        tmp_path,
        Kind.PACIENTES,
        "nombre,telefono,username,password,estado\nAna Ruiz,+34 612 345 678,ACTIVO,ana.ruiz,Zq9-secret-Pw\n",
    )

    [row] = read_rows(path, Kind.PACIENTES)

    assert not row.ok and "Zq9" not in row.error


def test_an_unclosed_quote_is_an_error_at_its_line_not_a_field_that_swallows_the_file(tmp_path):
    path = write(
        tmp_path,
        Kind.DOCTORES,
        "nombre,especialidad,username,password\n"
        "Dra. Sol,Ortodoncia,dra.sol,clave-segura-1\n"
        'Dr. Gil,Endodoncia,dr.gil,"clave-segura-2\n'
        "Dra. Mar,Periodoncia,dra.mar,clave-segura-3\n",
    )

    with pytest.raises(CsvFileError, match=r"doctores\.csv.*line 4"):
        list(read_rows(path, Kind.DOCTORES))


def test_a_byte_order_mark_does_not_hide_the_first_column(tmp_path):
    path = write(
        tmp_path, Kind.CENTROS, "nombre,direccion\nClínica Sol,Calle Mayor 1\n", encoding="utf-8-sig"
    )
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    [row] = read_rows(path, Kind.CENTROS)

    assert row.data == {"nombre": "Clínica Sol", "direccion": "Calle Mayor 1"}


def test_text_that_is_not_utf8_is_an_error_naming_the_file(tmp_path):
    path = write(tmp_path, Kind.CENTROS, "nombre,direccion\nClínica Sol,Calle Mayor 1\n", encoding="latin-1")

    with pytest.raises(CsvFileError, match=r"centros\.csv.*UTF-8"):
        list(read_rows(path, Kind.CENTROS))


def test_line_numbers_are_physical_lines_counting_the_header_blank_lines_and_line_breaks(tmp_path):
    path = write(
        tmp_path,
        Kind.CENTROS,
        "nombre,direccion\r\n"
        "Clínica Sol,Calle Mayor 1\r\n"
        "\r\n"
        ",\r\n"
        '"Clínica Luna","Calle Real 2\r\nbajo B"\r\n'
        "Clínica Mar,\r\n",
    )

    rows = list(read_rows(path, Kind.CENTROS))

    assert [(row.line, row.ok) for row in rows] == [(2, True), (5, True), (7, False)]
    assert rows[1].data["direccion"] == "Calle Real 2\r\nbajo B"
    assert rows[2].where() == "centros.csv, line 7"


def test_a_username_repeated_in_a_file_is_reported_on_its_second_line(tmp_path):
    path = write(
        tmp_path,
        Kind.PACIENTES,
        "nombre,telefono,estado,username,password\n"
        "Ana Ruiz,+34 612 345 678,ACTIVO,ana.ruiz,clave-segura-3\n"
        "Ana Ríos,+34 612 345 679,ACTIVO,Ana.Ruiz,clave-segura-5\n"
        "Ana Roca,+34 612 345 680,ACTIVO,\uff41na.ruiz,clave-segura-6\n",  # a full-width "a"
    )

    first, second, third = read_rows(path, Kind.PACIENTES)

    assert first.ok
    assert second.line == 3 and "pacientes.csv line 2" in second.error
    assert third.line == 4 and "pacientes.csv line 2" in third.error


def test_a_username_repeated_across_the_files_of_one_load_is_reported(tmp_path):
    usuarios = write(tmp_path, Kind.USUARIOS, "username,password,rol\nana,clave-segura-2,secretaria\n")
    doctores = write(
        tmp_path,
        Kind.DOCTORES,
        "nombre,especialidad,username,password\nDra. Ana Gil,Periodoncia,ana,clave-segura-6\n",
    )
    seen = SeenKeys()

    [usuario] = read_rows(usuarios, Kind.USUARIOS, seen)
    [doctor] = read_rows(doctores, Kind.DOCTORES, seen)

    assert usuario.ok
    assert not doctor.ok and "usuarios.csv line 2" in doctor.error


def test_a_centro_repeated_with_other_spacing_or_case_is_reported(tmp_path):
    path = write(
        tmp_path, Kind.CENTROS, "nombre,direccion\nClínica Sol,Calle Mayor 1\nCLÍNICA  SOL,calle mayor 1\n"
    )

    first, second = read_rows(path, Kind.CENTROS)

    assert first.ok and not second.ok and "line 2" in second.error


@pytest.mark.parametrize("username", ["ana.ruiz", " Ana.Ruiz ", "\uff41na", "\ufb01lo", "\U0001d41aB"])
def test_usernames_are_compared_as_the_user_model_stores_them(username):
    from apps.accounts.models import User

    assert username_key(username) == User.normalize_username(username)


HORARIOS_HEADER = "doctor,centro,dia_semana,hora_inicio,hora_fin,vigente_desde,vigente_hasta"


def horario_rows(tmp_path, *lines: str):
    path = tmp_path / "horarios.csv"
    path.write_text("\n".join([HORARIOS_HEADER, *lines]) + "\n", encoding="utf-8")
    return list(read_rows(path, Kind.HORARIOS))


def test_a_horario_row_names_its_doctor_and_centro_and_may_leave_out_its_dates(tmp_path):
    [row] = horario_rows(tmp_path, " dr.ana , Clínica Sol ,1,09:00,24:00,,")
    assert row.ok, row.error
    assert row.data == {
        "doctor": "dr.ana",
        "centro": "Clínica Sol",
        "dia_semana": "1",
        "hora_inicio": "09:00",
        "hora_fin": "24:00",
        "vigente_desde": "",
        "vigente_hasta": "",
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("dr.ana,Sol,0,09:00,14:00,,", "dia_semana must be a weekday"),
        ("dr.ana,Sol,lunes,09:00,14:00,,", "dia_semana must be a weekday"),
        ("dr.ana,Sol,1,9:00,14:00,,", "hora_inicio and hora_fin must be times"),
        ("dr.ana,Sol,1,09:00,24:30,,", "hora_inicio and hora_fin must be times"),
        ("dr.ana,Sol,1,14:00,09:00,,", "hora_fin must come after hora_inicio"),
        ("dr.ana,Sol,1,09:00,14:00,2027-02-30,", "must be dates as YYYY-MM-DD"),
        ("dr.ana,Sol,1,09:00,14:00,2027-03-01,2027-02-01", "vigente_hasta must not come before"),
        (",Sol,1,09:00,14:00,,", "doctor is empty"),
    ],
)
def test_a_bad_horario_row_is_reported(tmp_path, line, message):
    [row] = horario_rows(tmp_path, line)
    assert not row.ok
    assert message in row.error
    assert row.line == 2


def test_the_same_range_twice_in_a_load_is_reported(tmp_path):
    rows = horario_rows(tmp_path, "dr.ana,Sol,1,09:00,14:00,,", "DR.ANA,Sol,1,09:00,14:00,,")
    assert rows[0].ok
    assert "already used on horarios.csv line 2" in rows[1].error
