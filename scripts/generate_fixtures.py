#!/usr/bin/env python
"""Write synthetic demo data as the five CSV files that scripts/carga_inicial.py and load_csv read.

    .venv/bin/python scripts/generate_fixtures.py                      # the committed set, in fixtures/
    .venv/bin/python scripts/generate_fixtures.py --pacientes 5000 --out /tmp/big

The data is Spanish and made up (Faker, es_ES) and depends only on the seed: each file has its own random
stream, so asking for more patients keeps the first ones as they were. Usernames are unique across the four
files (staff and doctors carry a prefix: adm., sec., dr.) and passwords pass Django's default validators.
The first row of usuarios.csv is the development admin that scripts/dev creates. horarios.csv gives every
doctor a believable week at one centro (mornings, afternoons or a split shift), and some doctors an evening
at a second centro.
"""

import argparse
import csv
import sys
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from faker import Faker

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from apps.clinic.csv_rows import SPECS, Kind, centro_key  # noqa: E402

DEV_ADMIN = {"username": "admin", "password": "odontocare-dev-admin", "rol": "admin"}
DEFAULT_SEED = 2026
INACTIVE_SHARE = 0.1

ESPECIALIDADES = [
    "Odontología general",
    "Odontología general",
    "Ortodoncia",
    "Endodoncia",
    "Periodoncia",
    "Implantología",
    "Odontopediatría",
    "Cirugía oral y maxilofacial",
    "Prostodoncia",
    "Estética dental",
]
MARCAS = ["Sonrisa", "Perla", "Alameda", "Mediterráneo", "Bienestar", "Dentalia", "Salud Bucal", "Esmalte"]
CENTRO_NOMBRES = [
    "Clínica Dental {marca}",
    "Clínica Dental {apellido}",
    "Centro Odontológico {ciudad}",
    "Clínica Dental {marca} {ciudad}",
    "Policlínica Dental {apellido}",
]


def fakes_for(seed: int, kind: Kind) -> Faker:
    fake = Faker("es_ES")
    fake.seed_instance(f"{seed}-{kind}")
    return fake


def unique_usernames(prefix: str) -> Callable[[str, str], str]:
    """A factory of readable usernames ("dr.lucia.martin"), numbered from 2 when a name repeats."""
    taken: set[str] = set()

    def make(first_name: str, last_name: str) -> str:
        base = prefix + ".".join(filter(None, (_ascii_word(first_name), _ascii_word(last_name))))
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base}{number}"
        taken.add(candidate)
        return candidate

    return make


def _ascii_word(text: str) -> str:
    """The first word of a name, lower-case, without accents: "María José" -> "maria"."""
    first = text.split()[0] if text.split() else ""
    folded = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    return "".join(char for char in folded.lower() if char.isalnum())


def password(fake: Faker) -> str:
    # Random letters and digits (at least one of each case and a digit): never common, numeric or
    # similar to the username.
    return fake.password(length=12, special_chars=False, digits=True, upper_case=True, lower_case=True)


def persona(fake: Faker) -> tuple[str, str, str, bool]:
    """(first name, first surname, full name with both surnames, whether the person is a woman)."""
    female = fake.boolean()
    first = fake.first_name_female() if female else fake.first_name_male()
    surname, second_surname = fake.last_name(), fake.last_name()
    return first, surname, f"{first} {surname} {second_surname}", female


def telefono(fake: Faker) -> str:
    if fake.random.random() < 0.8:
        head = f"6{fake.random_int(0, 99):02d}"
    else:
        head = f"9{fake.random_int(1, 88):02d}"
    return f"+34 {head} {fake.random_int(0, 999):03d} {fake.random_int(0, 999):03d}"


def usuarios(fake: Faker, count: int) -> Iterable[dict[str, str]]:
    yield DEV_ADMIN
    usernames = {"adm": unique_usernames("adm."), "sec": unique_usernames("sec.")}
    for number in range(2, count + 1):
        rol = "admin" if number % 4 == 0 else "secretaria"
        first, surname, _, _ = persona(fake)
        username = usernames[rol[:3]](first, surname)
        yield {"username": username, "password": password(fake), "rol": rol}


def centros(fake: Faker, count: int) -> Iterable[dict[str, str]]:
    # A chain may have several centros of one name; name and address together are unique.
    seen: set[str] = set()
    while len(seen) < count:
        ciudad = fake.city()
        pattern = fake.random_element(CENTRO_NOMBRES)
        nombre = pattern.format(marca=fake.random_element(MARCAS), apellido=fake.last_name(), ciudad=ciudad)
        direccion = f"{fake.street_name()} {fake.building_number()}, {fake.postcode()} {ciudad}"
        key = centro_key(nombre, direccion)
        if key not in seen:
            seen.add(key)
            yield {"nombre": nombre, "direccion": direccion}


def doctores(fake: Faker, count: int) -> Iterable[dict[str, str]]:
    make_username = unique_usernames("dr.")
    for _ in range(count):
        first, surname, full_name, female = persona(fake)
        yield {
            "nombre": f"{'Dra.' if female else 'Dr.'} {full_name}",
            "especialidad": fake.random_element(ESPECIALIDADES),
            "username": make_username(first, surname),
            "password": password(fake),
        }


def pacientes(fake: Faker, count: int) -> Iterable[dict[str, str]]:
    make_username = unique_usernames("")
    for _ in range(count):
        first, surname, full_name, _ = persona(fake)
        yield {
            "nombre": full_name,
            "telefono": telefono(fake),
            "estado": "INACTIVO" if fake.random.random() < INACTIVE_SHARE else "ACTIVO",
            "username": make_username(first, surname),
            "password": password(fake),
        }


GENERATORS = {
    Kind.USUARIOS: usuarios,
    Kind.CENTROS: centros,
    Kind.DOCTORES: doctores,
    Kind.PACIENTES: pacientes,
}

# Weekly shifts as (weekdays, start, end) ranges; a split shift is two ranges a day.
TURNOS = [
    [((1, 2, 3, 4, 5), "09:00", "14:00")],
    [((1, 2, 3, 4), "15:00", "20:00")],
    [((1, 2, 3, 4, 5), "09:00", "13:30"), ((1, 2, 3, 4), "16:00", "19:00")],
    [((1, 3, 5), "08:30", "15:00")],
]
TARDE_EN_OTRO_CENTRO = ((2,), "16:00", "20:00")  # only for doctors who work mornings only


def horarios(
    fake: Faker, doctores: list[dict[str, str]], centros: list[dict[str, str]]
) -> Iterable[dict[str, str]]:
    """Each doctor's week at a centro named once (horarios.csv names centros by name), and for some of the
    doctors who work mornings an evening at another centro."""
    nombres = [centro["nombre"] for centro in centros]
    unicos = [nombre for nombre in nombres if nombres.count(nombre) == 1]
    if not unicos:
        return
    for index, doctor in enumerate(doctores):
        centro = unicos[index % len(unicos)]
        turno = TURNOS[index % len(TURNOS)]
        semana = [(centro, rango) for rango in turno]
        if turno is TURNOS[0] and len(unicos) > 1 and fake.random.random() < 0.5:
            semana.append((unicos[(index + 1) % len(unicos)], TARDE_EN_OTRO_CENTRO))
        for nombre, (dias, inicio, fin) in semana:
            for dia in dias:
                yield {
                    "doctor": doctor["username"],
                    "centro": nombre,
                    "dia_semana": str(dia),
                    "hora_inicio": inicio,
                    "hora_fin": fin,
                    "vigente_desde": "",
                    "vigente_hasta": "",
                }


def write_csv(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, str]]) -> int:
    written = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            written += 1
    return written


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    def count(text: str) -> int:
        value = int(text)
        if value < 0:
            raise argparse.ArgumentTypeError("must be 0 or more")
        return value

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=REPO_ROOT / "fixtures", help="folder (default: fixtures/)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    parser.add_argument("--usuarios", type=count, default=4, help="rows, the dev admin included (default 4)")
    parser.add_argument("--centros", type=count, default=5, help="default 5")
    parser.add_argument("--doctores", type=count, default=12, help="default 12")
    parser.add_argument("--pacientes", type=count, default=40, help="default 40")
    args = parser.parse_args(argv)
    if args.usuarios < 1:
        parser.error("--usuarios must be at least 1: the first row is the admin that loads the rest")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    made = {}
    for kind, generate in GENERATORS.items():
        made[kind] = list(generate(fakes_for(args.seed, kind), getattr(args, kind.value)))
    made[Kind.HORARIOS] = list(
        horarios(fakes_for(args.seed, Kind.HORARIOS), made[Kind.DOCTORES], made[Kind.CENTROS])
    )
    for kind, rows in made.items():
        path = args.out / kind.filename
        written = write_csv(path, SPECS[kind].columns, rows)
        print(f"{path}: {written} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
