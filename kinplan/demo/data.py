"""The demo data set: fictional organisations, staff and families (any likeness is coincidence)."""

from __future__ import annotations

DEMO_PASSWORD = "kinplan-demo-2026"

AGENCY = "Oranga Whānau Kinplan Demo Agency"
SUPPORT_SERVICE = "Permanent Caregiver Support Service"

# site name, region, [(team name, supervisor, [workers])], site manager
SITES = [
    (
        "Te Whanganui-a-Tara Wellington",
        "Wellington",
        "mere.site",
        [
            ("Whānau Care East", "hemi.sup", ["aroha.sw", "james.sw", "sione.sw"]),
            ("Whānau Care West", "karen.sup", ["tama.sw", "lucy.sw", "priya.sw"]),
        ],
    ),
    (
        "Ōtautahi Christchurch",
        "Canterbury",
        "fiona.site",
        [
            ("Tamariki Ora North", "rawiri.sup", ["kiri.sw", "liam.sw", "mele.sw"]),
            ("Tamariki Ora South", "grace.sup", ["ngaire.sw", "oliver.sw", "ana.sw"]),
        ],
    ),
    (
        "Tāmaki Makaurau South Auckland",
        "Auckland",
        "tevita.site",
        [
            ("Kāinga Team 1", "moana.sup", ["wiremu.sw", "chen.sw", "losa.sw"]),
            ("Kāinga Team 2", "david.sup", ["hana.sw", "ravi.sw", "sofia.sw"]),
        ],
    ),
]
SUPPORT_STAFF = [
    ("ruth.psm", "support_manager"),
    ("pita.pcw", "support_caseworker"),
    ("emma.pcw", "support_caseworker"),
]
NATIONAL_MANAGER = "helen.national"
ADMINISTRATOR = "admin"

FIRST_NAMES = {
    "female": [
        "Aroha",
        "Mere",
        "Ngaio",
        "Kiri",
        "Hine",
        "Anahera",
        "Mereana",
        "Ātaahua",
        "Marama",
        "Sophie",
        "Olivia",
        "Charlotte",
        "Isla",
        "Grace",
        "Losa",
        "Mele",
        "Sina",
        "Leilani",
        "Mei",
        "Priya",
        "Ana",
        "Zoë",
        "Renée",
        "Søs",
        "Ngāwai",
    ],
    "male": [
        "Tāmati",
        "Wiremu",
        "Hemi",
        "Rāwiri",
        "Nikau",
        "Tama",
        "Manaia",
        "Kahu",
        "Oliver",
        "Jack",
        "Noah",
        "Liam",
        "Sione",
        "Tevita",
        "Malakai",
        "Ravi",
        "Chen",
        "Mateo",
        "Søren",
        "José",
        "Te Ariki",
        "Pita",
        "Ihaia",
        "Ronan",
        "Kauri",
    ],
}
FAMILY_NAMES = [
    "Ngata",
    "Parata",
    "Tūhoe",
    "Whānau",
    "Te Rangi",
    "Horomona",
    "Wihongi",
    "Tāwhai",
    "Poutama",
    "Smith",
    "Williams",
    "Brown",
    "Wilson",
    "Taylor",
    "Anderson",
    "Thompson",
    "Fa'asāvalu",
    "Tuilagi",
    "Taufa",
    "Latu",
    "Singh",
    "Patel",
    "Wang",
    "Nguyen",
    "Müller",
    "Ó Briain",
    "Hēnare",
    "Kōtuku",
    "Māhutonga",
    "Rēweti",
    "Pōmare",
    "Tautahi",
]
ETHNICITIES = [
    "Māori",
    "NZ European",
    "Māori; NZ European",
    "Samoan",
    "Tongan",
    "Māori; Cook Islands Māori",
    "Indian",
    "Chinese",
    "Māori; Samoan",
    "NZ European; Dutch",
    "Fijian",
    "Vietnamese",
]
LANGUAGES = ["English", "English", "English", "te reo Māori", "Samoan", "Tongan", "Hindi", "Mandarin", "English"]
STREETS = [
    "Rata Street",
    "Kowhai Road",
    "Tōtara Avenue",
    "Harbour View Road",
    "Pōhutukawa Drive",
    "Main Road",
    "Kauri Crescent",
    "Miro Place",
    "Hill Street",
    "Matai Lane",
]
SUMMARIES = [
    "Notification from school about repeated absences and a child arriving hungry. "
    "Family engaged well at the first visit.",
    "Police family violence referral. Mother and children staying with grandparents while a safety plan is made.",
    "Parent in residential treatment for alcohol use; children in kinship care with their aunt.",
    "Housing instability: family living in a car after eviction. Working on emergency housing and income support.",
    "Concerns about a baby's weight gain; young parent with limited support. Whānau hui planned.",
    "Caregiver (grandmother) intends to provide a permanent home; planning for discharge of custody orders.",
    "Teenager refusing to return home after conflict; staying with an uncle. Family group conference requested.",
    "Parent's mental health has declined; father asking for help with routines and respite.",
]
