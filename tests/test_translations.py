"""The English catalogue: complete, compiled, and used once a visitor picks English.

The msgids are Danish (the default language); locale/en/LC_MESSAGES/django.po holds the
English text and django.mo, committed beside it, is what Django reads at run time.
"""

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "django.po"
MO_FILE = CATALOGUE / "django.mo"

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
CONTINUATION = re.compile(r'^"(.*)"\s*$')


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The key GNUTranslations uses: the context, EOT, then the msgid."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(0)), text)


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader: flags, context, multi-line strings and plural forms.

    Obsolete entries (#~) are left out, as msgfmt leaves them out of the .mo.
    """
    entries: list[Entry] = []
    entry: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None
    awaiting_msgid = False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flags, target = set(), None
            continue
        if line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword = KEYWORD.match(line)
        if keyword:
            name, index, text = keyword.group(1), keyword.group(2), unescape(keyword.group(3))
            if name == "msgctxt" or (name == "msgid" and not awaiting_msgid):
                entry = Entry(line=number, flags=flags)
                entries.append(entry)
                flags = set()
            assert entry is not None, f"{path}:{number}: {raw!r}"
            awaiting_msgid = name == "msgctxt"
            if name.startswith("msgstr"):
                target = ("msgstr", int(index or 0))
                entry.msgstr[target[1]] = text
            else:
                target = (name, 0)
                setattr(entry, name, text)
            continue
        continuation = CONTINUATION.match(line)
        assert continuation and entry is not None and target, f"{path}:{number}: {raw!r}"
        text = unescape(continuation.group(1))
        if target[0] == "msgstr":
            entry.msgstr[target[1]] += text
        else:
            setattr(entry, target[0], getattr(entry, target[0]) + text)
    return entries


def mo_catalogue(path: Path) -> dict:
    with path.open("rb") as mo:
        return dict(gettext.GNUTranslations(mo)._catalog)


def test_the_parser_reads_multi_line_strings_plurals_and_flags(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"Hej %(name)s, "\n"\\"du\\"."\n'
        'msgstr "Hello %(name)s."\n\n'
        'msgctxt "dag"\nmsgid "%(count)d gang"\nmsgid_plural "%(count)d gange"\n'
        'msgstr[0] "%(count)d time"\nmsgstr[1] ""\n"%(count)d times"\n\n'
        '#~ msgid "Gammel"\n#~ msgstr "Old"\n',
        encoding="utf-8",
    )
    header, greeting, plural = parse_po(po)
    assert header.msgid == "" and header.msgstr == {0: "Language: en\n"}
    assert greeting.msgid == 'Hej %(name)s, "du".'
    assert greeting.flags == {"fuzzy", "python-format"}
    assert plural.key == "dag\x04%(count)d gang"
    assert plural.msgid_plural == "%(count)d gange"
    assert plural.msgstr == {0: "%(count)d time", 1: "%(count)d times"}


def test_every_message_has_an_english_translation_and_none_is_fuzzy():
    entries = parse_po(PO_FILE)
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]
    assert len(messages) > 100

    fuzzy = [f"line {entry.line}: {entry.msgid}" for entry in messages if "fuzzy" in entry.flags]
    untranslated = [
        f"line {entry.line}: {entry.msgid}"
        for entry in messages
        if not all(text.strip() for text in entry.msgstr.values())
        or len(entry.msgstr) != (2 if entry.msgid_plural is not None else 1)
    ]
    assert not fuzzy, "Fuzzy entries:\n" + "\n".join(fuzzy)
    assert not untranslated, "Untranslated entries:\n" + "\n".join(untranslated)


def test_translations_keep_every_placeholder_and_tag():
    placeholder = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
    wrong = []
    for entry in parse_po(PO_FILE)[1:]:
        for form, text in entry.msgstr.items():
            # The plural form follows msgid_plural (a singular may leave the count out).
            source = entry.msgid_plural if form and entry.msgid_plural is not None else entry.msgid
            if sorted(placeholder.findall(text)) != sorted(placeholder.findall(source)):
                wrong.append(f"line {entry.line}: {entry.msgid!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_committed_mo_holds_exactly_the_po_translations():
    """Runs without gettext's tools, so a stale .mo fails wherever the suite runs."""
    expected = {}
    for entry in parse_po(PO_FILE):
        # msgfmt rewrites the header (it drops POT-Creation-Date), so only messages count.
        if "fuzzy" in entry.flags or not entry.msgid:
            continue
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected.update({(entry.key, n): text for n, text in entry.msgstr.items()})
    compiled = mo_catalogue(MO_FILE)
    assert "Language: en" in compiled.pop("")
    assert compiled == expected


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_committed_mo_is_what_msgfmt_makes_of_the_po(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(PO_FILE)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert mo_catalogue(MO_FILE) == mo_catalogue(fresh), (
        "locale/en/LC_MESSAGES/django.mo is out of date: run "
        "`python manage.py compilemessages -l en` and commit the .mo"
    )


def test_choosing_english_translates_the_public_pages_and_the_admin(client, org_a):
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="da">' in html and "Find et peer-forløb" in html

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Find a peer course</h1>" in html
    assert "Need help now?" in html and "Accessibility statement" in html
    assert "Find et peer-forløb" not in html

    html = client.get(reverse("admin:login")).content.decode()
    assert '<html lang="en"' in html
    assert "Peer programmes – coordinator" in html
    assert "Username" in html and "Log in" in html
    assert "Brugernavn" not in html
