from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.clinic import views, views_agenda, views_interno

router = SimpleRouter(trailing_slash="")
router.register("centros", views.CentroViewSet, basename="centro")
router.register("doctores", views.DoctorViewSet, basename="doctor")
router.register("pacientes", views.PacienteViewSet, basename="paciente")
router.register("horarios", views_agenda.HorarioViewSet, basename="horario")
router.register("ausencias", views_agenda.AusenciaViewSet, basename="ausencia")

registry_urlpatterns = router.urls

internal_urlpatterns = [
    path("referencias", views_interno.ReferenciasView.as_view(), name="interno-referencias"),
    path("agenda", views_interno.AgendaView.as_view(), name="interno-agenda"),
    path("credenciales", views_interno.CredencialesView.as_view(), name="interno-credenciales"),
]
