"""What the workspace's registration tests share: a "ved ikke" registration's answers."""

# A "ved ikke" registration's answers as the public form stores them (JSON-ready).
VED_IKKE_ANSWERS = {
    "birth_date": "1990-01-01",
    "municipality": "217",
    "reduced_mental_functioning": "unknown",
    "psychiatric_services_months": None,
    "psychiatric_services_months_unknown": True,
}
VED_IKKE_RESULT = {
    "outcome": "needs_conversation",
    "reasons": [],
    "open_questions": [
        "Nedsat psykisk funktionsevne eller psykisk sårbarhed: svaret er »ved ikke«.",
    ],
}
