"""The two questionnaires we ship as templates, as plain data.

WHO-5 is a validated instrument: its items and answer options are copied character for
character from `shared/instruments/who5-da.md` (the wording published for Danish
municipalities) and must not be changed, so the template is locked. The CHIME questions are
our own, written in plain Danish; coordinators may copy and adapt them. Both are for adults
(`min_age` 18): the instrument file states no age for this wording, and the recovery questions
are written for adults (evaluation.audience).

`install_templates` takes the model classes as arguments so the data migration can pass its
historical models; it is also safe to call on a live database.
"""

WHO5_NAME = "WHO-5 Trivselsindeks"
CHIME_NAME = "Recovery i hverdagen (CHIME)"

WHO5 = {
    "name": WHO5_NAME,
    "phase": "both",
    "intro": (
        "Svar ud fra, hvordan du har haft det de sidste 2 uger. "
        "Vælg for hvert udsagn det svar, der passer bedst."
    ),
    "attribution": (
        "WHO-5 Trivselsindeks er udviklet af Psykiatrisk Forskningsenhed, Psykiatrisk Center "
        "Nordsjælland, Hillerød, for WHO. Det må bruges frit og uændret med kildeangivelse, "
        "til ikke-kommercielle formål (WHO's udgave fra 2024: CC BY-NC-SA 3.0 IGO). "
        "Den danske ordlyd er den, der er udgivet til kommunerne af Kommunernes "
        "Landsforening (KL)."
    ),
    "scale": [
        {"score": 5, "label": "Hele tiden"},
        {"score": 4, "label": "Det meste af tiden"},
        {"score": 3, "label": "Lidt mere end halvdelen af tiden"},
        {"score": 2, "label": "Lidt mindre end halvdelen af tiden"},
        {"score": 1, "label": "Lidt af tiden"},
        {"score": 0, "label": "På intet tidspunkt"},
    ],
    "scoring": "who5",
    "locked": True,
    # who5-da.md states no age for this wording: adults only.
    "min_age": 18,
    "items": [
        {"number": 1, "text": "I de sidste 2 uger har jeg været glad og i godt humør"},
        {"number": 2, "text": "I de sidste 2 uger har jeg følt mig rolig og afslappet"},
        {"number": 3, "text": "I de sidste 2 uger har jeg følt mig aktiv og energisk"},
        {"number": 4, "text": "I de sidste 2 uger er jeg vågnet frisk og udhvilet"},
        {
            "number": 5,
            "text": (
                "I de sidste 2 uger har min dagligdag været fyldt med ting der interesserer mig"
            ),
        },
    ],
}

CHIME = {
    "name": CHIME_NAME,
    "phase": "both",
    "intro": (
        "Svar ud fra, hvordan du har haft det de sidste 2 uger. Der er ingen rigtige eller "
        "forkerte svar. Vi gemmer ikke, hvem der har svaret — men i en lille gruppe kan det, "
        "du skriver med egne ord, afsløre, hvem du er. Skriv derfor ikke navne."
    ),
    "attribution": (
        "Skrevet af projektet ud fra CHIME-rammen for personlig recovery (forbundethed, håb, "
        "identitet, mening og handlekraft; Leamy m.fl., 2011). Spørgsmålene er ikke et "
        "valideret spørgeskema og må frit kopieres og tilpasses."
    ),
    "scale": [
        {"score": 4, "label": "I meget høj grad"},
        {"score": 3, "label": "I høj grad"},
        {"score": 2, "label": "I nogen grad"},
        {"score": 1, "label": "I lav grad"},
        {"score": 0, "label": "Slet ikke"},
    ],
    "scoring": "mean",
    "locked": False,
    # Written for adults in recovery.
    "min_age": 18,
    "items": [
        {
            "number": 1,
            "text": "Jeg har mennesker i mit liv, som jeg kan tale med om det, der er svært.",
            "domain": "connectedness",
        },
        {
            "number": 2,
            "text": "Jeg føler mig ofte alene med mine problemer.",
            "domain": "connectedness",
            "reverse_scored": True,
        },
        {
            "number": 3,
            "text": "Jeg tror på, at mit liv kan blive bedre.",
            "domain": "hope",
        },
        {
            "number": 4,
            "text": "Jeg har noget at se frem til.",
            "domain": "hope",
        },
        {
            "number": 5,
            "text": "Jeg ser mig selv som mere end mine problemer.",
            "domain": "identity",
        },
        {
            "number": 6,
            "text": "Jeg laver ting i min hverdag, som giver mening for mig.",
            "domain": "meaning",
        },
        {
            "number": 7,
            "text": "Jeg kan selv gøre noget for at få det bedre.",
            "domain": "empowerment",
        },
        {
            "number": 8,
            "text": "Jeg har indflydelse på de beslutninger, der handler om mig.",
            "domain": "empowerment",
        },
        {
            "number": 9,
            "text": "Er der andet, du vil fortælle os? Skriv ikke navne.",
            "kind": "text",
        },
    ],
}

TEMPLATES = (WHO5, CHIME)

_QUESTIONNAIRE_FIELDS = (
    "phase",
    "intro",
    "attribution",
    "scale",
    "scoring",
    "locked",
    "min_age",
)


def item_fields(item: dict) -> dict:
    """An item's data with the model's defaults filled in."""
    return {
        "number": item["number"],
        "text": item["text"],
        "kind": item.get("kind", "scale"),
        "reverse_scored": item.get("reverse_scored", False),
        "domain": item.get("domain", ""),
    }


def install_templates(Questionnaire, Item) -> list:  # noqa: N803 — model classes
    """Create the shipped templates (organisation None) unless a template of that name exists.

    Idempotent: an existing template is left exactly as it is (it may have been edited since),
    and its items are only created together with a new questionnaire. Returns the template
    questionnaires, new or existing, in `TEMPLATES` order.
    """
    # An early migration's historical model lacks the fields added since (min_age).
    known = {field.name for field in Questionnaire._meta.get_fields()}
    questionnaires = []
    for template in TEMPLATES:
        questionnaire, created = Questionnaire.objects.get_or_create(
            name=template["name"],
            organisation=None,
            defaults={field: template[field] for field in _QUESTIONNAIRE_FIELDS if field in known},
        )
        if created:
            Item.objects.bulk_create(
                Item(questionnaire=questionnaire, **item_fields(item)) for item in template["items"]
            )
        questionnaires.append(questionnaire)
    return questionnaires
