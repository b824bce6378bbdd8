from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.appointments.views import CitaViewSet, DisponibilidadView

router = SimpleRouter(trailing_slash="")
router.register("citas", CitaViewSet, basename="cita")

urlpatterns = [
    path("citas/disponibilidad", DisponibilidadView.as_view(), name="disponibilidad"),
    *router.urls,
]
