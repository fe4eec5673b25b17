"""The 98 Danish municipalities and their official three-digit codes (kommunekoder).

Names are the short official forms without "Kommune" ("København", "Nordfyns", "Bornholm").
Christiansø (411) is administered by the state and is not a municipality, so it is left out.
The codes have been stable since the municipal reform of 1 January 2007.
"""

MUNICIPALITIES: dict[str, str] = {
    # Region Hovedstaden
    "101": "København",
    "147": "Frederiksberg",
    "151": "Ballerup",
    "153": "Brøndby",
    "155": "Dragør",
    "157": "Gentofte",
    "159": "Gladsaxe",
    "161": "Glostrup",
    "163": "Herlev",
    "165": "Albertslund",
    "167": "Hvidovre",
    "169": "Høje-Taastrup",
    "173": "Lyngby-Taarbæk",
    "175": "Rødovre",
    "183": "Ishøj",
    "185": "Tårnby",
    "187": "Vallensbæk",
    "190": "Furesø",
    "201": "Allerød",
    "210": "Fredensborg",
    "217": "Helsingør",
    "219": "Hillerød",
    "223": "Hørsholm",
    "230": "Rudersdal",
    "240": "Egedal",
    "250": "Frederikssund",
    "260": "Halsnæs",
    "270": "Gribskov",
    "400": "Bornholm",
    # Region Sjælland
    "253": "Greve",
    "259": "Køge",
    "265": "Roskilde",
    "269": "Solrød",
    "306": "Odsherred",
    "316": "Holbæk",
    "320": "Faxe",
    "326": "Kalundborg",
    "329": "Ringsted",
    "330": "Slagelse",
    "336": "Stevns",
    "340": "Sorø",
    "350": "Lejre",
    "360": "Lolland",
    "370": "Næstved",
    "376": "Guldborgsund",
    "390": "Vordingborg",
    # Region Syddanmark
    "410": "Middelfart",
    "420": "Assens",
    "430": "Faaborg-Midtfyn",
    "440": "Kerteminde",
    "450": "Nyborg",
    "461": "Odense",
    "479": "Svendborg",
    "480": "Nordfyns",
    "482": "Langeland",
    "492": "Ærø",
    "510": "Haderslev",
    "530": "Billund",
    "540": "Sønderborg",
    "550": "Tønder",
    "561": "Esbjerg",
    "563": "Fanø",
    "573": "Varde",
    "575": "Vejen",
    "580": "Aabenraa",
    "607": "Fredericia",
    "621": "Kolding",
    "630": "Vejle",
    # Region Midtjylland
    "615": "Horsens",
    "657": "Herning",
    "661": "Holstebro",
    "665": "Lemvig",
    "671": "Struer",
    "706": "Syddjurs",
    "707": "Norddjurs",
    "710": "Favrskov",
    "727": "Odder",
    "730": "Randers",
    "740": "Silkeborg",
    "741": "Samsø",
    "746": "Skanderborg",
    "751": "Aarhus",
    "756": "Ikast-Brande",
    "760": "Ringkøbing-Skjern",
    "766": "Hedensted",
    "779": "Skive",
    "791": "Viborg",
    # Region Nordjylland
    "773": "Morsø",
    "787": "Thisted",
    "810": "Brønderslev",
    "813": "Frederikshavn",
    "820": "Vesthimmerlands",
    "825": "Læsø",
    "840": "Rebild",
    "846": "Mariagerfjord",
    "849": "Jammerbugt",
    "851": "Aalborg",
    "860": "Hjørring",
}

# Letters in Danish order: Æ, Ø and Å come after Z. Anything else (space, hyphen) sorts first.
_DANISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"
_LETTER_RANK = {letter: 1000 + rank for rank, letter in enumerate(_DANISH_ALPHABET)}
_SPELLINGS = {"aa": "å", "ä": "æ", "ö": "ø"}


def danish_sort_key(text: str) -> tuple[int, ...]:
    """Sort key for Danish alphabetical order, without depending on the system's locale.

    Æ, Ø and Å follow Z, and the double letter "aa" counts as "å" wherever it appears, as
    Danish dictionaries and Dansk Sprognævn sort it: Aabenraa, Aalborg and Aarhus come last,
    after Ærø, and Faaborg-Midtfyn comes after Faxe. Case is ignored.
    """
    folded = text.casefold()
    for spelling, letter in _SPELLINGS.items():
        folded = folded.replace(spelling, letter)
    return tuple(_LETTER_RANK.get(character, ord(character)) for character in folded)


MUNICIPALITY_CHOICES: list[tuple[str, str]] = sorted(
    MUNICIPALITIES.items(), key=lambda item: danish_sort_key(item[1])
)


def municipality_name(code: str) -> str:
    """The municipality's name; a KeyError for a code that is not one of the 98."""
    return MUNICIPALITIES[code]


def is_municipality(code: object) -> bool:
    return isinstance(code, str) and code in MUNICIPALITIES


def _name_key(text: str) -> str:
    """A name folded for comparison: case, spaces, hyphens, a "Kommune" suffix and the
    spellings aa/å, ae/æ, oe/ø ignored, so "  lejre kommune" and "Hoeje Taastrup" match."""
    folded = text.casefold().strip().removesuffix("kommune")
    for spelling, letter in {**_SPELLINGS, "ae": "æ", "oe": "ø"}.items():
        folded = folded.replace(spelling, letter)
    return "".join(character for character in folded if character.isalnum())


_CODES_BY_NAME_KEY = {_name_key(name): code for code, name in MUNICIPALITIES.items()}


def municipality_code_for(value: str) -> str | None:
    """The code for a municipality written as a code or a name ("Lejre", "lejre kommune",
    "Københavns Kommune", "350"); None when it names none of the 98."""
    value = value.strip()
    if is_municipality(value):
        return value
    key = _name_key(value)
    return _CODES_BY_NAME_KEY.get(key) or _CODES_BY_NAME_KEY.get(key.removesuffix("s"))
