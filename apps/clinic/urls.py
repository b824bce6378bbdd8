from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.clinic import views

router = SimpleRouter(trailing_slash="")
router.register("centros", views.CentroViewSet, basename="centro")
router.register("doctores", views.DoctorViewSet, basename="doctor")
router.register("pacientes", views.PacienteViewSet, basename="paciente")

registry_urlpatterns = router.urls

internal_urlpatterns = [
    path("referencias", views.ReferenciasView.as_view(), name="interno-referencias"),
]
