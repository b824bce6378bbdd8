from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.appointments.views import CitaViewSet, DisponibilidadView
from apps.notifications.views import feed

router = SimpleRouter(trailing_slash="")
router.register("citas", CitaViewSet, basename="cita")

urlpatterns = [
    path("citas/disponibilidad", DisponibilidadView.as_view(), name="disponibilidad"),
    path("citas/calendario/<str:token>", feed, name="calendario-feed"),
    *router.urls,
]
