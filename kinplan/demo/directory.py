"""The demo's provider directory: fictional NGOs, Iwi providers, community and government services in the
three demo regions, with what they offer and at what cost (any likeness to a real service is coincidence)."""

from __future__ import annotations

from decimal import Decimal

from kinplan.accounts.models import User
from kinplan.cases.models import Iwi
from kinplan.core.text import normalise_name
from kinplan.providers import services
from kinplan.providers.models import Provider, ServiceType

WELLINGTON = "Wellington, Porirua, Hutt Valley"
CHRISTCHURCH = "Christchurch, Canterbury"
AUCKLAND = "South Auckland, Manukau, Ōtāhuhu"
NATIONAL = "Wellington, Christchurch, South Auckland (nationwide)"

# name, kind, area, languages, cultural focus, iwi, phone, [(service code, programme, unit, unit cost, waitlist)]
PROVIDERS = [
    (
        "Family Works",
        "ngo",
        NATIONAL,
        "English",
        "",
        [],
        "0800 326 475",
        [("parenting_programme", "Incredible Years", "session", "0", "Next intake in 4 weeks")],
    ),
    (
        "Family Start",
        "ngo",
        NATIONAL,
        "English, te reo Māori",
        "",
        [],
        "0800 378 278",
        [("in_home", "Home visiting", "session", "60", "")],
    ),
    (
        "Whānau Budget Service",
        "community",
        NATIONAL,
        "English, te reo Māori, Samoan",
        "",
        [],
        "0800 345 123",
        [("budgeting", "Budgeting sessions", "session", "0", "")],
    ),
    (
        "Women's Refuge",
        "ngo",
        NATIONAL,
        "English, te reo Māori",
        "",
        [],
        "0800 733 843",
        [("family_violence", "Safety planning and support programme", "session", "0", "")],
    ),
    (
        "Community Alcohol and Drug Service",
        "government",
        NATIONAL,
        "English",
        "",
        [],
        "04 494 9170",
        [("alcohol_and_drug", "Assessment and counselling", "session", "0", "Assessment within 2 weeks")],
    ),
    (
        "Brief Intervention Service",
        "government",
        NATIONAL,
        "English",
        "",
        [],
        "04 801 0000",
        [("mental_health", "Brief counselling", "session", "0", "")],
    ),
    (
        "Ministry of Education Learning Support",
        "government",
        NATIONAL,
        "English, te reo Māori",
        "",
        [],
        "0800 622 222",
        [("education_support", "Speech-language therapy", "session", "0", "Waitlist about 8 weeks")],
    ),
    (
        "Kinship Carers Support",
        "ngo",
        NATIONAL,
        "English",
        "",
        [],
        "0800 472 637",
        [("kinship_care", "Caregiver workshops", "session", "0", "")],
    ),
    (
        "Community Driver Mentor Programme",
        "community",
        NATIONAL,
        "English",
        "",
        [],
        "0800 111 222",
        [("employment_support", "Driver licence mentoring", "hour", "0", "")],
    ),
    (
        "Te Whare Tiaki",
        "iwi",
        WELLINGTON,
        "te reo Māori, English",
        "Kaupapa Māori",
        ["Ngāti Toa Rangatira", "Te Āti Awa"],
        "04 237 4000",
        [
            ("respite_care", "Whānau respite", "night", "120", ""),
            ("wraparound", "Whānau Ora navigation", "hour", "75", ""),
            ("cultural_connection", "Reconnecting with whānau, hapū and iwi", "session", "0", ""),
        ],
    ),
    (
        "Te Kāhui Whānau Ora Canterbury",
        "iwi",
        CHRISTCHURCH,
        "te reo Māori, English",
        "Kaupapa Māori",
        ["Ngāi Tahu"],
        "03 366 4000",
        [
            ("wraparound", "Whānau Ora navigation", "hour", "75", ""),
            ("respite_care", "Weekend respite", "night", "110", ""),
        ],
    ),
    (
        "Waipareira Whānau Services",
        "iwi",
        AUCKLAND,
        "te reo Māori, English",
        "Kaupapa Māori",
        ["Ngāti Whātua"],
        "09 836 6683",
        [
            ("in_home", "Whānau in-home support", "session", "55", ""),
            ("crisis_intervention", "Crisis whānau support", "hour", "90", ""),
        ],
    ),
    (
        "Pasifika Family Services",
        "ngo",
        f"{AUCKLAND}, Porirua",
        "Samoan, Tongan, English",
        "Pasifika",
        [],
        "09 262 0000",
        [
            ("parenting_programme", "Strengthening Pasifika families", "session", "0", ""),
            ("therapeutic", "Family counselling", "session", "85", "Waitlist 3 weeks"),
        ],
    ),
    (
        "Kāinga Housing Trust",
        "community",
        f"{AUCKLAND}, {WELLINGTON}",
        "English",
        "",
        [],
        "0800 524 642",
        [("housing_support", "Transitional housing", "night", "95", "Waitlist about 6 weeks")],
    ),
    (
        "Canterbury Family Counselling",
        "ngo",
        CHRISTCHURCH,
        "English",
        "",
        [],
        "03 379 0000",
        [("therapeutic", "Child and family counselling", "session", "95", "")],
    ),
    (
        "Crisis Support Whānau",
        "ngo",
        NATIONAL,
        "English, te reo Māori",
        "",
        [],
        "0800 543 354",
        [("crisis_intervention", "After-hours crisis response", "hour", "110", "")],
    ),
]


def build_directory(*, actor: User) -> dict[str, Provider]:
    """Add the demo providers through the directory services, as the demo's administrator."""
    types = {t.code: t for t in ServiceType.objects.all()}
    iwi = {i.name: i for i in Iwi.objects.all()}
    directory = {}
    for name, kind, area, languages, focus, iwi_names, phone, offers in PROVIDERS:
        provider = services.provider_create(
            actor=actor,
            data={
                "name": name,
                "kind": kind,
                "area_served": area,
                "languages": languages,
                "cultural_focus": focus,
                "phone": phone,
                "email": f"referrals@{normalise_name(name).replace(' ', '')[:24]}.invalid",
            },
            iwi=[iwi[n] for n in iwi_names if n in iwi],
        )
        for code, programme, unit, cost, waitlist in offers:
            services.provider_service_add(
                actor=actor,
                provider=provider,
                data={
                    "service_type": types[code],
                    "name": programme,
                    "unit": unit,
                    "unit_cost": Decimal(cost),
                    "capacity_note": waitlist,
                },
            )
        directory[name] = provider
    return directory
