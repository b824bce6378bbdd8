"""The README's table of who may do what is the role table's own."""

from pathlib import Path

from apps.common.roles import tabla_markdown

README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_shows_the_role_table_as_it_is():
    text = README.read_text(encoding="utf-8")
    shown = text.split("<!-- role table -->\n", 1)[1].split("\n<!-- /role table -->", 1)[0]
    assert shown == tabla_markdown()
