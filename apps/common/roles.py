"""The roles, and who may do what: one table that the permission classes, the schema descriptions, the
README's table and the role tests all read."""

from dataclasses import dataclass, field

from django.db import models


class Rol(models.TextChoices):
    ADMIN = "admin", "Administrador"
    MEDICO = "medico", "Médico"
    SECRETARIA = "secretaria", "Secretaría"
    PACIENTE = "paciente", "Paciente"
    # Internal, read-only account that citas uses to query gestion.
    SERVICIO = "servicio", "Servicio"


ADMIN, MEDICO, SECRETARIA, PACIENTE, SERVICIO = (
    Rol.ADMIN,
    Rol.MEDICO,
    Rol.SECRETARIA,
    Rol.PACIENTE,
    Rol.SERVICIO,
)
CUALQUIER_ROL = (ADMIN, SECRETARIA, MEDICO, PACIENTE, SERVICIO)


@dataclass(frozen=True)
class Regla:
    """Who may call one endpoint: ``roles``, and for some of them the records they reach (``alcance``);
    outside that scope a record is not found (404)."""

    rutas: tuple[str, ...]
    roles: tuple[Rol, ...]
    alcance: dict[Rol, str] = field(default_factory=dict)

    def quien(self) -> str:
        """The roles in words, as the schema and the README give them."""
        roles = ", ".join(
            f"{rol} ({self.alcance[rol]})" if rol in self.alcance else str(rol) for rol in self.roles
        )
        return f"Roles: {roles}."


PERMISOS: dict[str, Regla] = {
    "usuarios.crear": Regla(("POST /admin/usuario",), (ADMIN,)),
    "usuarios.leer": Regla(("GET /admin/usuario", "GET /admin/usuario/{id}"), (ADMIN,)),
    "usuarios.cambiar": Regla(("PATCH /admin/usuario/{id}",), (ADMIN,)),
    "centros.crear": Regla(("POST /admin/centros",), (ADMIN,)),
    "centros.leer": Regla(
        ("GET /admin/centros", "GET /admin/centros/{id}", "GET /admin/centros/{id}/historial"), CUALQUIER_ROL
    ),
    "centros.cambiar": Regla(("PATCH /admin/centros/{id}",), (ADMIN,)),
    "doctores.crear": Regla(("POST /admin/doctores",), (ADMIN,)),
    "doctores.leer": Regla(
        ("GET /admin/doctores", "GET /admin/doctores/{id}", "GET /admin/doctores/{id}/historial"),
        CUALQUIER_ROL,
    ),
    "doctores.cambiar": Regla(("PATCH /admin/doctores/{id}",), (ADMIN,)),
    "pacientes.crear": Regla(("POST /admin/pacientes",), (ADMIN, SECRETARIA)),
    "pacientes.leer": Regla(
        ("GET /admin/pacientes", "GET /admin/pacientes/{id}", "GET /admin/pacientes/{id}/historial"),
        (ADMIN, SECRETARIA, MEDICO, SERVICIO, PACIENTE),
        {PACIENTE: "its own record"},
    ),
    "pacientes.cambiar": Regla(("PATCH /admin/pacientes/{id}",), (ADMIN, SECRETARIA)),
    "pacientes.dar_usuario": Regla(("POST /admin/pacientes/{id}/usuario",), (ADMIN, SECRETARIA)),
    "agenda.crear": Regla(("POST /admin/horarios", "POST /admin/ausencias"), (ADMIN,)),
    "agenda.leer": Regla(
        (
            "GET /admin/horarios",
            "GET /admin/horarios/{id}",
            "GET /admin/ausencias",
            "GET /admin/ausencias/{id}",
            "GET /admin/horarios/{id}/historial",
            "GET /admin/ausencias/{id}/historial",
        ),
        (ADMIN, SECRETARIA, SERVICIO, MEDICO),
        {MEDICO: "its own, and its centros' ausencias"},
    ),
    "agenda.cambiar": Regla(
        (
            "PATCH /admin/horarios/{id}",
            "DELETE /admin/horarios/{id}",
            "PATCH /admin/ausencias/{id}",
            "DELETE /admin/ausencias/{id}",
        ),
        (ADMIN,),
    ),
    "interno.leer": Regla(("GET /interno/referencias", "GET /interno/agenda"), (SERVICIO, ADMIN)),
    "interno.credenciales": Regla(("POST /interno/credenciales",), (SERVICIO,)),
    "interno.revocaciones": Regla(("GET /interno/revocaciones",), (SERVICIO, ADMIN)),
    "citas.disponibilidad": Regla(("GET /citas/disponibilidad",), CUALQUIER_ROL),
    "citas.reservar": Regla(
        ("POST /citas",),
        (PACIENTE, SECRETARIA, ADMIN),
        {PACIENTE: "for itself", SECRETARIA: "for any patient"},
    ),
    "citas.leer": Regla(
        ("GET /citas", "GET /citas/{id}", "GET /citas/{id}/historial"),
        (ADMIN, SECRETARIA, MEDICO, PACIENTE),
        {MEDICO: "its own", PACIENTE: "its own"},
    ),
    "citas.cambiar": Regla(("PUT /citas/{id}",), (PACIENTE, SECRETARIA, ADMIN), {PACIENTE: "its own"}),
    "citas.eliminar": Regla(("DELETE /citas/{id}",), (ADMIN,)),
    "citas.eliminadas": Regla(("GET /citas/eliminadas",), (ADMIN,)),
    "citas.confirmar": Regla(
        ("POST /citas/{id}/confirmar",), (PACIENTE, SECRETARIA, ADMIN), {PACIENTE: "its own"}
    ),
    "citas.llegada": Regla(("POST /citas/{id}/llegada",), (SECRETARIA, ADMIN)),
    "citas.completar": Regla(
        ("POST /citas/{id}/completar",), (MEDICO, SECRETARIA, ADMIN), {MEDICO: "its own"}
    ),
    "citas.no_asistio": Regla(("POST /citas/{id}/no-asistio",), (SECRETARIA, ADMIN)),
    "citas.notificaciones": Regla(("GET /citas/{id}/notificaciones",), (SECRETARIA, ADMIN)),
    "citas.calendario": Regla(
        ("GET /citas/calendario", "DELETE /citas/calendario"),
        (ADMIN, SECRETARIA, MEDICO, PACIENTE),
        {MEDICO: "its own citas", PACIENTE: "its own citas"},
    ),
    "staff.gestion": Regla(("/staff/ on gestion",), (ADMIN, SECRETARIA), {SECRETARIA: "patients only"}),
    "staff.citas": Regla(("/staff/ on citas",), (ADMIN, SECRETARIA)),
}


def quien(accion: str) -> str:
    return PERMISOS[accion].quien()


def tabla_markdown() -> str:
    """The table of who may do what, as the README shows it."""
    lines = ["| method & path | who |", "|---|---|"]
    for regla in PERMISOS.values():
        paths = ", ".join(f"`{ruta}`" for ruta in regla.rutas)
        lines.append(f"| {paths} | {regla.quien().removeprefix('Roles: ').removesuffix('.')} |")
    return "\n".join(lines)
