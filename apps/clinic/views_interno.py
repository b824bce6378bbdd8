"""What citas asks gestion, as the service account: one call per booking, one per availability window.

The answers are the crossing data of ``apps.clinic.data``, written by its ``to_json``; their schemas come from
the same dataclasses.
"""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts import login_guard
from apps.accounts.authentication import ServiceJWTAuthentication
from apps.clinic import serializers
from apps.clinic.data import Agenda, Referencias, UsuarioRef
from apps.clinic.selectors import agenda_centro, referencias_cita
from apps.common.openapi import THROTTLED, UNAUTHORIZED
from apps.common.permissions import puede
from apps.common.roles import quien


class ReferenciasView(APIView):
    permission_classes = [puede("interno.leer")]
    authentication_classes = [ServiceJWTAuthentication]

    @extend_schema(
        summary="What booking a cita needs to know",
        operation_id="interno_referencias",
        description=(
            quien("interno.leer") + " The doctor, centro and patient of a cita in one answer (null where one "
            "does not exist), the doctor's horario at the centro (its ranges on the local week days that "
            "`[desde, hasta)` touches; all of them without the two), and the ausencias of the doctor or the "
            "centro that overlap `[desde, hasta)`. The appointments service calls it on every booking."
        ),
        parameters=[serializers.ReferenciasQuerySerializer],
        responses={200: Referencias.json_schema()},
    )
    def get(self, request):
        query = serializers.ReferenciasQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(referencias_cita(**query.validated_data).to_json())


class CredencialesView(APIView):
    permission_classes = [puede("interno.credenciales")]
    authentication_classes = [ServiceJWTAuthentication]

    @extend_schema(
        summary="Check a person's credentials",
        operation_id="interno_credenciales",
        description=quien("interno.credenciales") + " For citas' staff site, which keeps no passwords: whose "
        "these credentials are, under the same failed-login policy as every login, counted for the address "
        "the person signs in from (`direccion`). 401 when they are wrong, 429 with Retry-After while locked.",
        request=serializers.CredencialesSerializer,
        responses={200: UsuarioRef.json_schema(), 401: UNAUTHORIZED, 429: THROTTLED},
    )
    def post(self, request):
        body = serializers.CredencialesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        username, password, direccion = (
            body.validated_data[k] for k in ("username", "password", "direccion")
        )
        wait = login_guard.seconds_locked(direccion, username)
        if wait is not None:
            raise Throttled(wait=wait)
        user = authenticate(request=None, username=username, password=password)
        if user is None:
            login_guard.record_failure(direccion, username)
            raise AuthenticationFailed(code="no_active_account")
        return Response(UsuarioRef(id_user=user.pk, username=user.username, rol=user.rol).to_json())


class AgendaView(APIView):
    permission_classes = [puede("interno.leer")]
    authentication_classes = [ServiceJWTAuthentication]

    @extend_schema(
        summary="What the free slots of a centro need to know",
        operation_id="interno_agenda",
        description=(
            quien("interno.leer")
            + " For `[desde, hasta)` (at most 32 days): the centro (null if it does not "
            "exist) with its booking settings, the doctors with a horario there (optionally one doctor, or "
            "one especialidad), those horarios, and the ausencias of those doctors or the centro."
        ),
        parameters=[serializers.AgendaQuerySerializer],
        responses={200: Agenda.json_schema()},
    )
    def get(self, request):
        query = serializers.AgendaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(agenda_centro(**query.validated_data).to_json())
