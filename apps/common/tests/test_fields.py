"""Serializers built once per class: each instance still has fields of its own, bound to it."""

from rest_framework import serializers

from apps.common.fields import Serializer


class Linea(Serializer):
    texto = serializers.CharField()
    quien = serializers.SerializerMethodField()

    def get_quien(self, obj) -> str:
        return self.context["quien"]


class Documento(Serializer):
    titulo = serializers.CharField(max_length=5)
    lineas = Linea(many=True)
    etiquetas = serializers.ListField(child=serializers.CharField(max_length=3))


DATOS = {"titulo": "Hola", "lineas": [{"texto": "a"}], "etiquetas": ["x"]}


def test_each_instance_answers_with_its_own_context():
    primero = Documento(DATOS, context={"quien": "ana"})
    segundo = Documento(DATOS, context={"quien": "luis"})
    assert primero.data["lineas"][0]["quien"] == "ana"
    assert segundo.data["lineas"][0]["quien"] == "luis"


def test_fields_are_not_shared_between_instances():
    primero, segundo = Documento(), Documento()
    assert primero.fields["titulo"] is not segundo.fields["titulo"]
    assert primero.fields["titulo"].parent is primero
    assert primero.fields["lineas"].child.parent is primero.fields["lineas"]
    assert primero.fields["etiquetas"].child.parent is primero.fields["etiquetas"]
    primero.fields["titulo"].required = False
    assert Documento().fields["titulo"].required is True


def test_validation_is_the_fields_own():
    body = Documento(data={**DATOS, "titulo": "Demasiado", "etiquetas": ["larga"]})
    assert not body.is_valid()
    assert set(body.errors) == {"titulo", "etiquetas"}
    assert Documento(data=DATOS).is_valid()
