"""``Idempotency-Key`` on POST (the IETF draft's semantics): a client that retries after a timeout gets the
first answer again instead of a second record.

The same key from the same user with the same request replays the first answer (same status and body,
``Idempotent-Replayed: true``) and writes nothing; with another request it is 422; while the first is still
being answered, 409. The key is claimed by a row with a unique (user, key), committed before the work
starts, so two requests in flight at once cannot both do it. Answers of 5xx are not kept: the retry runs.
Keys are kept ``IDEMPOTENCY_KEY_HORAS`` (24 by default); ``manage.py purge_idempotency_keys`` removes older
ones.
"""

import hashlib
import re

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from apps.common.exceptions import Conflict, InvalidInput, Unprocessable
from apps.common.models import ClaveIdempotencia

HEADER = "Idempotency-Key"
VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class ClaveEnCurso(Conflict):
    code = "idempotency_key_en_curso"
    message = _("A request with this Idempotency-Key is still being answered; retry later.")


class ClaveReutilizada(Unprocessable):
    code = "idempotency_key_reutilizada"
    message = _("This Idempotency-Key was used for another request.")


class Replay(Exception):
    def __init__(self, clave: ClaveIdempotencia):
        self.clave = clave


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _cut_off(request) -> bool:
    """A body shorter than its Content-Length: the client went away while sending it (the server hands on
    what arrived). Claiming the key for it would refuse the client's complete retry as another request."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return len(request.body) < declared


def claim(request, key: str) -> ClaveIdempotencia:
    if not VALID_KEY.match(key):
        raise InvalidInput(_("An Idempotency-Key is 1 to 255 visible ASCII characters."), code="invalid")
    if _cut_off(request):
        raise InvalidInput(_("The request body is shorter than its Content-Length."), code="incomplete")
    user_id = getattr(request.user, "id_user", request.user.pk)
    huella = _fingerprint(request)
    try:
        with transaction.atomic():
            return ClaveIdempotencia.objects.create(id_user=user_id, clave=key, huella=huella)
    except IntegrityError:
        previa = ClaveIdempotencia.objects.get(id_user=user_id, clave=key)
    if previa.huella != huella:
        raise ClaveReutilizada()
    if previa.estado_http is None:
        raise ClaveEnCurso()
    raise Replay(previa)


def settle(clave: ClaveIdempotencia, response: Response) -> None:
    if response.status_code >= 500:
        clave.delete()  # not an answer to keep: the client's retry must run
        return
    clave.estado_http, clave.respuesta = response.status_code, response.data
    clave.save(update_fields=["estado_http", "respuesta"])


class IdempotentPostMixin:
    """For a view set: POSTs that carry an ``Idempotency-Key`` are done once per user and key."""

    _idempotency: ClaveIdempotencia | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated and allowed first
        key = request.headers.get(HEADER)
        if request.method == "POST" and key is not None:
            self._idempotency = claim(request, key)

    def handle_exception(self, exc):
        if isinstance(exc, Replay):
            answer = Response(exc.clave.respuesta, status=exc.clave.estado_http)
            answer["Idempotent-Replayed"] = "true"
            return answer
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idempotency is not None:
            settle(self._idempotency, response)
            self._idempotency = None
        return response
