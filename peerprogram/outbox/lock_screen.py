"""What a message may show on a lock screen, and what fits in an SMS.

An SMS and an e-mail's subject line are read by whoever sees the phone. They never name a
programme, a revealing organisation name or words about mental health; the programme is named
inside the e-mail or behind the link. SMS texts keep to the GSM-7 alphabet (an en dash or a
curly quote turns the whole text into UCS-2 and halves a segment) and to two segments.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Words that tell a reader of the lock screen what the message is about (Danish and English).
REVEALING_WORDS = (
    "angst",
    "anxiety",
    "autisme",
    "autism",
    "psykisk",
    "psykiatri",
    "psychiatr",
    "mental",
    "diagnose",
    "diagnosis",
    "depression",
    "selvmord",
    "suicid",
    "familiehus",
    "misbrug",
    "sorg",
    "grief",
)

# The GSM 03.38 basic character set, and the extension characters that take two septets.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
SMS_MAX_SEGMENTS = 2


def revealing_words(text: str) -> list[str]:
    """The revealing words found in `text` (case-insensitive, also inside longer words)."""
    lowered = text.lower()
    return [word for word in REVEALING_WORDS if word in lowered]


def non_gsm7_characters(text: str) -> set[str]:
    return {char for char in text if char not in GSM7_BASIC and char not in GSM7_EXTENSION}


def sms_segments(text: str) -> int:
    """How many SMS segments `text` takes: 160/153 septets in GSM-7, 70/67 characters else."""
    if non_gsm7_characters(text):
        length, single, multi = len(text), 70, 67
    else:
        length = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, multi = 160, 153
    if length <= single:
        return 1
    return -(-length // multi)


# Typography a word processor puts in, and its GSM-7 equivalent (one curly quote would make
# the SMS UCS-2 and halve what fits).
_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def sms_free_text(text: str, *, limit: int) -> str:
    """What a coordinator wrote (a message, a reason) as an SMS may carry it: on one line,
    word-processor typography made plain GSM-7; "" when it still has characters GSM-7 lacks
    (an emoji), says something revealing on a lock screen, or takes more than `limit` septets
    — cutting free text short could change what it says, so the SMS then leaves it out."""
    plain = " ".join(text.split()).translate(_PLAIN)
    if non_gsm7_characters(plain) or revealing_words(plain):
        return ""
    septets = sum(2 if char in GSM7_EXTENSION else 1 for char in plain)
    return plain if septets <= limit else ""


def validate_sms_sender(value: str) -> None:
    """An alphanumeric SMS sender: at most 11 ASCII letters, digits or spaces, not revealing."""
    if not value:
        return
    if len(value) > 11 or not all(
        char.isascii() and (char.isalnum() or char == " ") for char in value
    ):
        raise ValidationError(_("Skriv højst 11 bogstaver (a-z) eller tal, uden æ, ø og å."))
    if value.strip().isdigit():
        raise ValidationError(_("Afsendernavnet skal indeholde mindst ét bogstav."))
    if revealing_words(value):
        raise ValidationError(
            _("Vælg et neutralt afsendernavn: det står på låseskærmen for alle, der ser telefonen.")
        )
