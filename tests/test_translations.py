"""Every message the API can answer has its Spanish text, and the compiled catalogs are up to date."""

import ast
import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("apps/*/locale/es/LC_MESSAGES/django.po"))


def entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry of a catalog, the header left out."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        match = re.fullmatch(r'msgid ((?:".*"\s*)+)msgstr ((?:".*"\s*)+)', text, flags=re.DOTALL)
        if match:
            msgid, msgstr = (
                "".join(ast.literal_eval(part) for part in re.findall(r'".*"', group))
                for group in match.groups()
            )
            if msgid:
                found.append((msgid, msgstr, fuzzy))
    return found


def test_there_are_catalogs():
    assert {po.parts[-5] for po in CATALOGS} >= {"accounts", "appointments", "clinic", "common"}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parts[-5])
def test_every_message_is_translated_and_none_is_a_guess(po):
    untranslated = [msgid for msgid, msgstr, fuzzy in entries(po) if not msgstr or fuzzy]
    assert untranslated == []


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parts[-5])
def test_the_compiled_catalog_says_what_the_catalog_says(po):
    with po.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    assert {msgid: catalog.gettext(msgid) for msgid, _, _ in entries(po)} == {
        msgid: msgstr for msgid, msgstr, _ in entries(po)
    }
