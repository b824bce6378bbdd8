"""The deployable's own URLs plus a protected probe, so that authentication can be tested
the same way on both deployables."""

from django.conf import settings
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.common.urls import handler400, handler403, handler404, handler500  # noqa: F401


class ProbeView(APIView):
    def get(self, request):
        return Response({"username": request.user.username, "rol": request.user.rol})


urlpatterns = [
    path("_probe", ProbeView.as_view()),
    path("", include(f"odontocare.urls.{settings.SERVICE_NAME}")),
]
