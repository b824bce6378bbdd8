from django.contrib import admin
from django.urls import include, path

from apps.accounts.urls import auth_urlpatterns, registry_urlpatterns
from apps.common.urls import handler400, handler403, handler404, handler500  # noqa: F401

admin.site.site_header = "OdontoCare"
admin.site.site_title = "OdontoCare staff"

urlpatterns = [
    path("auth/", include(auth_urlpatterns)),
    path("admin/", include(registry_urlpatterns)),
    path("staff/", admin.site.urls),
    path("", include("apps.common.urls")),
]
