from rest_framework.routers import SimpleRouter

from apps.appointments.views import CitaViewSet

router = SimpleRouter(trailing_slash="")
router.register("citas", CitaViewSet, basename="cita")

urlpatterns = router.urls
