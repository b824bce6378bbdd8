"""Fill citas' table directly with many citas, as a busy network would have them after a few years.

200 doctors at 50 centros (each doctor at its own centro, on Tuesdays and Thursdays at a second one), 100,000
patients, Monday to Friday 09:00-14:00 and 16:00-20:00 local time, over three years (two and a half past,
half a year to come): past citas completed, cancelled or missed, those to come booked, confirmed or
cancelled. No doctor and no patient is ever in two citas at once, so the exclusion constraints hold.
PostgreSQL loads with COPY; SQLite with executemany in large batches, in one transaction.
"""

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

DOCTORES, CENTROS, PACIENTES = 200, 50, 100_000
DIAS_PASADOS, DIAS_FUTUROS = 912, 183
TRAMOS = ((clock(9), clock(14)), (clock(16), clock(20)))
HUECO_MINUTOS = 30
DURACIONES = (15, 30, 30, 30, 45, 60)
MOTIVOS = ("Revisión", "Limpieza", "Empaste", "Endodoncia", "Ortodoncia", "Extracción", "Urgencia", "")
ESPECIALIDADES = ("Odontología general", "Ortodoncia", "Endodoncia", "Periodoncia", "Implantología")
NOMBRES = ("Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Leo", "Julia", "Daniel", "Paula", "Álvaro")
APELLIDOS = ("García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez")
PASADOS = (("COMPLETADA", 0.78), ("CANCELADA", 0.12), ("NO_ASISTIO", 0.10))
FUTUROS = (("PROGRAMADA", 0.65), ("CONFIRMADA", 0.25), ("CANCELADA", 0.10))
BATCH = 50_000

COLUMNS = (
    "fecha",
    "duracion_minutos",
    "fin",
    "motivo",
    "estado",
    "id_paciente",
    "id_doctor",
    "id_centro",
    "id_user_registrado",
    "paciente_nombre",
    "doctor_nombre",
    "doctor_especialidad",
    "centro_nombre",
    "motivo_cancelacion",
    "id_user_cancelacion",
    "cancelada",
    "creada",
    "actualizada",
)


def nombre_paciente(id_paciente: int) -> str:
    apellido = APELLIDOS[id_paciente % len(APELLIDOS)]
    segundo = APELLIDOS[(id_paciente // len(APELLIDOS)) % len(APELLIDOS)]
    return f"{NOMBRES[id_paciente % len(NOMBRES)]} {apellido} {segundo} ({id_paciente})"


def centro_del_dia(id_doctor: int, dia: date) -> int:
    propio = id_doctor % CENTROS + 1
    return (id_doctor * 7) % CENTROS + 1 if dia.isoweekday() in (2, 4) else propio


def dias_laborables(hoy: date) -> list[date]:
    primero = hoy - timedelta(days=DIAS_PASADOS)
    todos = (primero + timedelta(days=n) for n in range(DIAS_PASADOS + DIAS_FUTUROS))
    return [dia for dia in todos if dia.isoweekday() <= 5]


def huecos_del_dia(dia: date, zona: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """The day's slots, each with the end of its tramo (a cita may not run past it)."""
    huecos = []
    for desde, hasta in TRAMOS:
        inicio = datetime.combine(dia, desde, tzinfo=zona)
        fin_tramo = datetime.combine(dia, hasta, tzinfo=zona)
        while inicio < fin_tramo:
            huecos.append((inicio.astimezone(UTC), fin_tramo.astimezone(UTC)))
            inicio += timedelta(minutes=HUECO_MINUTOS)
    return huecos


def elegir(rng: random.Random, pesos: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([estado for estado, _ in pesos], weights=[peso for _, peso in pesos])[0]


def generar(total: int, *, zona: ZoneInfo, seed: int = 7) -> Iterator[tuple]:
    """``total`` citas in COLUMNS' order, by day; aware datetimes in UTC."""
    rng = random.Random(seed)  # noqa: S311 (made-up data, the same every run)
    ahora = datetime.now(UTC)
    dias = dias_laborables(ahora.astimezone(zona).date())
    jornadas = len(dias) * DOCTORES
    por_jornada, sobran = divmod(total, jornadas)
    con_una_mas = set(rng.sample(range(jornadas), sobran))
    ocupado_hasta = [datetime.min.replace(tzinfo=UTC)] * (PACIENTES + 1)
    for n_dia, dia in enumerate(dias):
        huecos = huecos_del_dia(dia, zona)
        del_dia = []
        for id_doctor in range(1, DOCTORES + 1):
            cuantas = por_jornada + ((n_dia * DOCTORES + id_doctor - 1) in con_una_mas)
            elegidos = sorted(rng.sample(range(len(huecos)), min(cuantas, len(huecos))))
            for i, n_hueco in enumerate(elegidos):
                inicio, fin_tramo = huecos[n_hueco]
                siguiente = huecos[elegidos[i + 1]][0] if i + 1 < len(elegidos) else fin_tramo
                limite = min(siguiente, fin_tramo)
                duracion = min(rng.choice(DURACIONES), int((limite - inicio).total_seconds() // 60))
                del_dia.append((inicio, duracion, id_doctor, centro_del_dia(id_doctor, dia)))
        del_dia.sort()
        for inicio, duracion, id_doctor, id_centro in del_dia:
            fin = inicio + timedelta(minutes=duracion)
            id_paciente = rng.randint(1, PACIENTES)
            while ocupado_hasta[id_paciente] > inicio:
                id_paciente = rng.randint(1, PACIENTES)
            ocupado_hasta[id_paciente] = fin
            yield fila(rng, inicio, duracion, fin, id_paciente, id_doctor, id_centro, ahora)


def fila(rng, inicio, duracion, fin, id_paciente, id_doctor, id_centro, ahora) -> tuple:
    estado = elegir(rng, PASADOS if inicio < ahora else FUTUROS)
    creada = min(inicio - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600)), ahora)
    cancelada = None
    if estado == "CANCELADA":
        cancelada = min(creada + (inicio - creada) * rng.random(), ahora)
    return (
        inicio,
        duracion,
        fin,
        rng.choice(MOTIVOS),
        estado,
        id_paciente,
        id_doctor,
        id_centro,
        rng.randint(1, 500),
        nombre_paciente(id_paciente),
        f"Dra. {APELLIDOS[id_doctor % len(APELLIDOS)]} {id_doctor}",
        ESPECIALIDADES[id_doctor % len(ESPECIALIDADES)],
        f"Clínica Dental {id_centro}",
        "Cancelada por el paciente" if cancelada else "",
        rng.randint(1, 500) if cancelada else None,
        cancelada,
        creada,
        cancelada or creada,
    )


def cargar(connection, total: int, *, zona: ZoneInfo) -> None:
    """Load ``total`` citas into citas' table through this Django connection, in one transaction."""
    from django.db import transaction

    table, columns = "appointments_cita", ", ".join(COLUMNS)
    filas = generar(total, zona=zona)
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in filas:
                    copy.write_row(row)
            return
        marks = ", ".join("?" * len(COLUMNS))
        insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (constants only)
        # The sqlite3 connection itself: Django's cursor would adapt every value in Python first.
        raw = connection.connection
        lote = []
        for row in filas:
            lote.append(tuple(_sqlite(value) for value in row))
            if len(lote) == BATCH:
                raw.executemany(insert, lote)
                lote = []
        raw.executemany(insert, lote)


def _sqlite(value):
    # As Django stores an aware datetime on SQLite: naive UTC text.
    return str(value.replace(tzinfo=None)) if isinstance(value, datetime) else value
