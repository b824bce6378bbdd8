from django.contrib import admin
from django.urls import include, path

from apps.accounts import urls as accounts_urls
from apps.clinic import urls as clinic_urls
from apps.common.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("auth/", include(accounts_urls.auth_urlpatterns)),
    path("admin/", include(accounts_urls.registry_urlpatterns)),
    path("admin/", include(clinic_urls.registry_urlpatterns)),
    path("interno/", include(clinic_urls.internal_urlpatterns)),
    path("interno/", include(accounts_urls.internal_urlpatterns)),
    path("staff/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
    path("", include("apps.common.urls")),
]
