"""The demo plans' New Zealand text: providers, GPs, each culture's supports, refusals and escalation notes."""

from __future__ import annotations

IWI_PROVIDERS = {
    "Wellington": "Te Whare Tiaki",
    "Canterbury": "Te Kāhui Whānau Ora Canterbury",
    "Auckland": "Waipareira Whānau Services",
}
GPS = {
    "Wellington": "Kōwhai Medical Centre, Porirua",
    "Canterbury": "Aranui Community Health, Christchurch",
    "Auckland": "Ōtara Family Health Centre",
}
PASIFIKA = ("Samoan", "Tongan", "Fijian", "Cook Islands")
# What keeps the child close to who they are, by their culture: the objective and its informal supports
# (what, who, when, how many, unit); "{kin}" is Koro, or an uncle where there is no Koro.
BELONGING = {
    "maori": (
        "{child} knows their whakapapa and stays close to their whānau",
        [
            (
                "Kapa haka with the school rōpū",
                "The school's kapa haka tutor",
                "Thursday evenings in term",
                30,
                "session",
            ),
            ("Visits to the marae with whānau", "{kin} and the cousins", "one weekend a month", 10, "visit"),
        ],
    ),
    "pasifika": (
        "{child} stays close to their aiga, church and culture",
        [
            ("Youth group at the family's church", "The church youth leader", "Friday evenings", 40, "session"),
            ("Sunday lunch with the extended family", "{kin} and the cousins", "every second Sunday", 24, "visit"),
        ],
    ),
    "other": (
        "{child} stays close to their family and friends",
        [
            (
                "Saturday football with the local club",
                "The club's junior coach (fees waived)",
                "winter season",
                18,
                "game",
            ),
            ("Visits with the cousins", "{kin} and the cousins", "every second weekend", 24, "visit"),
        ],
    ),
}
NEED_TITLES = {
    "maori": "{child}'s connection to whānau, hapū and marae",
    "pasifika": "{child}'s connection to aiga, church and culture",
    "other": "{child}'s connection to family and friends",
}
REFUSALS = (
    "{what}: {qty} {unit}s is more than the service funds in a first year (up to 12). Reduce it, or say why more "
    "is needed."
)
RUNGS = {
    1: (
        "phone",
        "Talked it through with {cw}, who supports the plan; the funding limit stands, so it goes to planning.",
    ),
    2: (
        "conference_call",
        "Planning reconvened by conference call with {carer}, the whānau and {cw}. {carer} works "
        "nights twice a week and the whānau want the respite as planned.",
    ),
    3: ("in_person", "Case consult with the social worker and {cw}: no agreement on the respite nights."),
    4: ("video", "Planning reconvened on the consult's outcome; the whānau hold to the plan as it stands."),
    5: (
        "phone",
        "The site manager and the support-service manager discussed the plan; each holds their position. "
        "Referred for the national manager's determination.",
    ),
}
