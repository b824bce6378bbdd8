"""An in-memory gestion for unit tests of the booking rules."""

from dataclasses import dataclass, field

from apps.appointments.gateway.port import (
    CentroRef,
    DoctorRef,
    GestionNoDisponible,
    PacienteRef,
    Referencias,
)


@dataclass
class FakeGestion:
    doctores: dict[int, DoctorRef] = field(default_factory=dict)
    centros: dict[int, CentroRef] = field(default_factory=dict)
    pacientes: dict[int, PacienteRef] = field(default_factory=dict)
    disponible: bool = True
    calls: int = 0

    def add_doctor(
        self, id_doctor: int, nombre: str = "Dra. Prueba", especialidad: str = "Ortodoncia"
    ) -> DoctorRef:
        self.doctores[id_doctor] = DoctorRef(id_doctor, nombre, especialidad)
        return self.doctores[id_doctor]

    def add_centro(self, id_centro: int, nombre: str = "Clínica Prueba") -> CentroRef:
        self.centros[id_centro] = CentroRef(id_centro, nombre)
        return self.centros[id_centro]

    def add_paciente(
        self, id_paciente: int, nombre: str = "Paciente Prueba", estado: str = "ACTIVO"
    ) -> PacienteRef:
        self.pacientes[id_paciente] = PacienteRef(id_paciente, nombre, estado)
        return self.pacientes[id_paciente]

    def referencias(self, *, id_doctor: int, id_centro: int, id_paciente: int) -> Referencias:
        self.calls += 1
        if not self.disponible:
            raise GestionNoDisponible("gestion is down (fake)")
        return Referencias(
            doctor=self.doctores.get(id_doctor),
            centro=self.centros.get(id_centro),
            paciente=self.pacientes.get(id_paciente),
        )
