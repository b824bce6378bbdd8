from pathlib import Path

from tests.endpoint_docs import undocumented

DOCS = Path(__file__).resolve().parent.parent / "docs" / "endpoints.md"


def test_committed_endpoint_docs_cover_every_operation_of_both_schemas():
    assert undocumented(DOCS.read_text(encoding="utf-8")) == []


def test_a_missing_operation_is_noticed():
    text = DOCS.read_text(encoding="utf-8")
    without_delete = "\n".join(line for line in text.splitlines() if not line.startswith("## DELETE "))
    assert undocumented(without_delete) == [
        "gestion: DELETE /admin/ausencias/{id_ausencia}",
        "gestion: DELETE /admin/horarios/{id_horario}",
        "citas: DELETE /citas/calendario",
        "citas: DELETE /citas/{id_cita}",
    ]
