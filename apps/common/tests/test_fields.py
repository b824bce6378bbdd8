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


class Autor:
    def __init__(self, nombre: str):
        self.nombre = nombre


class Libro:
    def __init__(self, titulo: str, autor: Autor | None, paginas: int | None):
        self.titulo, self.autor, self.paginas = titulo, autor, paginas

    def resumen(self) -> str:
        return f"{self.titulo} ({self.paginas})"

    @property
    def falla(self):
        raise KeyError("no")


class AutorDeLibro(Serializer):
    titulo = serializers.CharField()
    autor_nombre = serializers.CharField(source="autor.nombre", default="anónimo")


class Ficha(Serializer):
    titulo = serializers.CharField()
    paginas = serializers.IntegerField()
    resumen = serializers.CharField()  # a method: called
    autor = serializers.CharField(source="autor.nombre", allow_null=True)  # dotted
    portada = AutorDeLibro(source="*")  # the whole object
    edicion = serializers.IntegerField(default=1)  # not there: its default
    sello = serializers.CharField(required=False)  # not there: left out
    falla = serializers.CharField(required=False)  # a property that raises KeyError: left out
    quien = serializers.SerializerMethodField()

    def get_quien(self, libro) -> str:
        return self.context["quien"]


LIBROS = [Libro("Niebla", Autor("Unamuno"), 200), Libro("Anónimo", None, None)]


def test_answers_are_drfs_own():
    for instance in [*LIBROS, {"titulo": "Dict", "paginas": 3, "resumen": "r", "autor": {"nombre": "X"}}]:
        ours = Ficha(context={"quien": "ana"})
        drf = Ficha(context={"quien": "ana"})
        assert ours.to_representation(instance) == serializers.Serializer.to_representation(drf, instance)
    rows = Ficha(LIBROS, many=True, context={"quien": "ana"}).data
    assert [row["resumen"] for row in rows] == ["Niebla (200)", "Anónimo (None)"]
    assert rows[1]["autor"] is None and rows[0]["edicion"] == 1 and "sello" not in rows[0]
    assert rows[1]["portada"] == {"titulo": "Anónimo", "autor_nombre": "anónimo"}


class Nombre(Serializer):
    nombre = serializers.CharField(source="autor.nombre", allow_null=True)


class FichaSencilla(Serializer):
    """Answers from the object alone: one plan for the class."""

    titulo = serializers.CharField()
    paginas = serializers.IntegerField(allow_null=True)
    autor = Nombre(source="*")
    edicion = serializers.IntegerField(default=1)
    sello = serializers.CharField(required=False)


def test_an_answer_from_the_object_alone_is_drfs_own_without_fields_of_its_own():
    for instance in [*LIBROS, {"titulo": "Dict", "paginas": 3, "autor": {"nombre": "X"}}]:
        ours = FichaSencilla()
        assert ours.to_representation(instance) == serializers.Serializer.to_representation(
            FichaSencilla(), instance
        )
        assert "fields" not in ours.__dict__  # the class's plan answered: no field was copied for it
    rows = FichaSencilla(LIBROS, many=True).data
    assert rows[1] == {"titulo": "Anónimo", "paginas": None, "autor": {"nombre": None}, "edicion": 1}


def test_an_instance_whose_fields_changed_answers_with_them():
    recortada = FichaSencilla(LIBROS[0])
    del recortada.fields["paginas"]
    assert "paginas" not in recortada.data
    assert "paginas" in FichaSencilla(LIBROS[0]).data


def test_a_field_that_reads_its_serializer_keeps_the_plan_per_instance():
    # Ficha's method field reads the context: each instance answers with its own fields.
    primera, segunda = Ficha(LIBROS[0], context={"quien": "ana"}), Ficha(LIBROS[0], context={"quien": "luis"})
    assert (primera.data["quien"], segunda.data["quien"]) == ("ana", "luis")
    assert "fields" in primera.__dict__
