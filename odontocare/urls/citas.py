from django.urls import include, path

from apps.common.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("", include("apps.appointments.urls")),
    path("", include("apps.common.urls")),
]
