from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.notifications.calendario import calendario
from apps.notifications.feeds import calendario_owner, citas_del_calendario


def feed_url(request, token: str) -> str:
    path = reverse("calendario-feed", kwargs={"token": token})
    return (
        f"{settings.CALENDARIO_ORIGEN.rstrip('/')}{path}"
        if settings.CALENDARIO_ORIGEN
        else request.build_absolute_uri(path)
    )


@require_GET
def feed(request, token: str) -> HttpResponse:
    """The iCalendar feed behind a private URL: no bearer token, the URL is the credential."""
    actor = calendario_owner(token)
    if actor is None:
        raise Http404
    cuerpo = calendario(citas_del_calendario(actor), nombre=f"OdontoCare · {actor.username}")
    response = HttpResponse(cuerpo, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="citas.ics"'
    return response
