"""Every string the portal shows has a translation in each of its languages: no message of any
catalogue is left untranslated or marked fuzzy (a guess from an older string)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUES = sorted(BASE_DIR.glob("locale/*/LC_MESSAGES/django.po")) + sorted(
    BASE_DIR.glob("notifications/locale/*/LC_MESSAGES/django.po")
)
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def entries(path: Path):
    """(msgid, flags, translations) of each message of a catalogue, the header excepted."""
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            keyword = line.split(" ", 1)[0]
            if not line.startswith('"'):
                current = keyword
                fields[current] = ""
            if current is not None:
                fields[current] += "".join(STRING.findall(line))
        if fields.get("msgid", "") == "" and "msgctxt" not in fields:
            continue  # the header
        translations = [value for key, value in fields.items() if key.startswith("msgstr")]
        yield fields.get("msgid", ""), flags, translations


def test_there_is_a_catalogue_for_every_language():
    languages = {path.parts[-3] for path in CATALOGUES}
    assert languages == {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_every_message_is_translated(path):
    missing = [
        msgid
        for msgid, flags, translations in entries(path)
        if "fuzzy" in flags or not translations or not all(translations)
    ]
    assert missing == [], f"{len(missing)} untranslated or fuzzy, e.g. {missing[:3]}"
