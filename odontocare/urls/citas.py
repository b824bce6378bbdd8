from django.urls import include, path

from apps.appointments.staff.admin import site as staff_site
from apps.common.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("", include("apps.appointments.urls")),
    path("staff/", staff_site.urls),
    path("api-auth/", include("rest_framework.urls")),
    path("", include("apps.common.urls")),
]
