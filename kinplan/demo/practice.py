"""The practice content of the demo: what assessments find and how plans answer it (fictional, but written
the way New Zealand social workers and whānau plan together). Used by plans.py to assess and plan the demo
families through the real services.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepT:
    what: str
    kind: str  # task | appointment | form | service
    responsible: str  # family | caregiver | worker | provider | other
    who: str = ""  # mother | father | nan | aunt | worker, or a provider's name
    instructions: str = ""
    worker_help: str = ""
    start: int | None = None  # days after the plan starts
    due: int | None = None
    timeline: str = ""
    quantity: str | None = None
    unit: str = ""
    frequency: str = ""
    cost: str | None = None  # NZ$; None with costs_money False means no cost
    funder: str = ""
    result: str = "Done as planned."
    service: str = ""  # the provider's service (a catalogue code) that prices the step


@dataclass(frozen=True)
class IntermediateT:
    title: str
    due: int  # days after the plan starts
    steps: tuple[StepT, ...]


@dataclass(frozen=True)
class NeedT:
    factor: str
    rating: str
    evidence: str
    need: str
    detail: str
    concurrent: bool
    goal: str
    goal_description: str
    goal_due: int
    intermediates: tuple[IntermediateT, ...] = field(default_factory=tuple)


NEEDS: tuple[NeedT, ...] = (
    NeedT(
        factor="housing",
        rating="high",
        evidence="A 42-day notice to leave the rental; the family has moved three times in two years.",
        need="A safe, stable home",
        detail="The landlord is selling; the family has nowhere to go at the end of next month.",
        concurrent=False,
        goal="The whānau live in a warm, dry home they can afford",
        goal_description="The children sleep in the same home every night and stay at the same school.",
        goal_due=270,
        intermediates=(
            IntermediateT(
                "Emergency accommodation is secured before the notice ends",
                45,
                (
                    StepT(
                        "Apply to Work and Income for emergency housing",
                        "form",
                        "family",
                        "mother",
                        "Bring your ID, the tenancy notice and your last bank statement to the Work and Income "
                        "office on Tuesday at 10am.",
                        "I will come with you and help fill in the form.",
                        due=10,
                        result="Application accepted; emergency housing granted for 12 weeks.",
                    ),
                    StepT(
                        "Register with Kāinga Ora for public housing",
                        "form",
                        "worker",
                        "worker",
                        "You do not need to do anything; I will send you the reference number.",
                        due=21,
                        result="Registered; priority rating B.",
                    ),
                ),
            ),
            IntermediateT(
                "The household income covers the rent",
                150,
                (
                    StepT(
                        "Budgeting sessions with the community budget service",
                        "service",
                        "provider",
                        "Whānau Budget Service",
                        "Go to the six sessions at the community centre; bring your bills and bank statements.",
                        start=14,
                        due=100,
                        quantity="6",
                        unit="session",
                        frequency="fortnightly",
                        cost="0",
                        funder="no_cost",
                        result="Budget in place; debt to the power company on a payment plan.",
                        service="budgeting",
                    ),
                    StepT(
                        "Apply for the Accommodation Supplement",
                        "form",
                        "family",
                        "mother",
                        "Fill in the form with your new rent; I can post it for you.",
                        "I will check the form before it goes.",
                        due=60,
                        result="Accommodation Supplement of $95 a week granted.",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="substance_abuse",
        rating="high",
        evidence="Mum says she drinks most evenings; the school reported her intoxicated at pick-up twice.",
        need="Mum's alcohol use",
        detail="An underlying issue: the drinking has grown since the children's father left.",
        concurrent=True,
        goal="Mum is alcohol-free and supported in her recovery",
        goal_description="Mum is sober when caring for the children and knows who to call when it gets hard.",
        goal_due=300,
        intermediates=(
            IntermediateT(
                "Mum has an alcohol and drug assessment and a treatment plan",
                60,
                (
                    StepT(
                        "Referral to the community alcohol and drug service",
                        "form",
                        "worker",
                        "worker",
                        "I will make the referral with your consent.",
                        due=7,
                        result="Referral accepted; first appointment on the 14th.",
                    ),
                    StepT(
                        "Attend the alcohol and drug assessment",
                        "appointment",
                        "family",
                        "mother",
                        "The appointment is at the health centre on Kent Street. Nan will look after the children.",
                        "I will drive you there if you want.",
                        due=21,
                        result="Assessment done; counselling recommended.",
                    ),
                ),
            ),
            IntermediateT(
                "Mum completes counselling",
                200,
                (
                    StepT(
                        "Alcohol and drug counselling",
                        "service",
                        "provider",
                        "Community Alcohol and Drug Service",
                        "Go to each weekly session. If you cannot make one, ring them the day before.",
                        start=30,
                        due=150,
                        quantity="12",
                        unit="session",
                        frequency="weekly",
                        cost="0",
                        funder="no_cost",
                        result="Completed 11 of 12 sessions.",
                        service="alcohol_and_drug",
                    ),
                    StepT(
                        "Join a peer support group",
                        "task",
                        "family",
                        "mother",
                        "Try the Wednesday evening group at the marae; your sister has offered to come with you.",
                        timeline="from the second month, weekly",
                        result="Goes most weeks with her sister.",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="mental_health",
        rating="medium",
        evidence="Dad was diagnosed with depression last year and stopped his medication in March.",
        need="Dad's mental health",
        detail="An underlying issue: when he is unwell he cannot get the children to school.",
        concurrent=True,
        goal="Dad's mental health is supported and stable",
        goal_description="Dad sees his GP regularly and has a plan for the bad days.",
        goal_due=240,
        intermediates=(
            IntermediateT(
                "Dad is back under his GP's care",
                40,
                (
                    StepT(
                        "GP appointment about medication",
                        "appointment",
                        "family",
                        "father",
                        "Book with Dr Patel at the Medical Centre and tell her you stopped the tablets.",
                        due=14,
                        result="Back on medication; review in six weeks.",
                    ),
                    StepT(
                        "Counselling through the GP's brief intervention service",
                        "service",
                        "provider",
                        "Brief Intervention Service",
                        "Five free sessions; they will ring you to book.",
                        start=14,
                        due=90,
                        quantity="5",
                        unit="session",
                        cost="0",
                        funder="no_cost",
                        result="Completed all five sessions.",
                        service="mental_health",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="domestic_violence",
        rating="high",
        evidence="Police attended two family harm callouts this year; Mum has a protection order.",
        need="Safety from family violence",
        detail="The children's father has breached the protection order once.",
        concurrent=True,
        goal="The children and Mum live free from violence",
        goal_description="Everyone at home knows the safety plan, and Mum has support she trusts.",
        goal_due=180,
        intermediates=(
            IntermediateT(
                "A safety plan is in place and everyone knows it",
                21,
                (
                    StepT(
                        "Make a safety plan with Women's Refuge",
                        "appointment",
                        "provider",
                        "Women's Refuge",
                        "The advocate will visit you at home on Thursday.",
                        due=7,
                        result="Safety plan written; the children know to go to Nan's.",
                        service="family_violence",
                    ),
                    StepT(
                        "Safety planning with the children in words they understand",
                        "task",
                        "worker",
                        "worker",
                        "I will talk with the children with you there.",
                        due=14,
                        result="Done with both children; they drew the plan.",
                    ),
                ),
            ),
            IntermediateT(
                "Mum takes part in a support programme",
                160,
                (
                    StepT(
                        "Women's Refuge support programme",
                        "service",
                        "provider",
                        "Women's Refuge",
                        "Ten group sessions on Monday mornings; childcare is provided.",
                        start=21,
                        due=120,
                        quantity="10",
                        unit="session",
                        frequency="weekly",
                        cost="0",
                        funder="no_cost",
                        result="Completed the programme.",
                        service="family_violence",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="income",
        rating="medium",
        evidence="The benefit was stopped in January; the power was disconnected for a week.",
        need="Enough money for food, power and school costs",
        detail="There is often no food in the house by the weekend.",
        concurrent=False,
        goal="The household has a steady income that covers the basics",
        goal_description="There is food in the cupboard every day and the power stays on.",
        goal_due=180,
        intermediates=(
            IntermediateT(
                "The benefit is restored and hardship help is in place",
                30,
                (
                    StepT(
                        "Apply for a hardship grant for food and power",
                        "form",
                        "family",
                        "mother",
                        "Ring Work and Income on 0800 559 009; have your bank statement ready.",
                        "I can make the call with you on speaker.",
                        due=5,
                        result="Food grant of $250 and power arrears paid.",
                    ),
                    StepT(
                        "School uniform and stationery grant",
                        "service",
                        "other",
                        "",
                        "The school office will help you fill in the form.",
                        due=30,
                        quantity="1",
                        unit="item",
                        cost="180",
                        funder="site",
                        result="Uniforms bought.",
                    ),
                ),
            ),
            IntermediateT(
                "Mum is in paid work or training",
                170,
                (
                    StepT(
                        "Meet an employment coordinator",
                        "appointment",
                        "family",
                        "mother",
                        "Ask about part-time work in school hours.",
                        due=60,
                        result="Enrolled in a retail skills course.",
                    ),
                    StepT(
                        "Driver licence lessons",
                        "service",
                        "provider",
                        "Community Driver Mentor Programme",
                        "The mentor will pick you up for each lesson.",
                        start=60,
                        quantity="8",
                        unit="hour",
                        result="Passed the restricted licence test.",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="child_development",
        rating="medium",
        evidence="The early childhood centre reports few words at three years old.",
        need="Speech and language support for the youngest",
        detail="The youngest child is not yet speaking in sentences.",
        concurrent=False,
        goal="The youngest child's speech develops on track",
        goal_description="They can tell the adults around them what they need.",
        goal_due=300,
        intermediates=(
            IntermediateT(
                "A speech-language therapist is working with the family",
                90,
                (
                    StepT(
                        "Referral to the Ministry of Education speech-language service",
                        "form",
                        "worker",
                        "worker",
                        "I will ask the early childhood centre to support the referral.",
                        due=14,
                        result="Accepted onto the waitlist.",
                    ),
                    StepT(
                        "Speech-language therapy at home",
                        "service",
                        "provider",
                        "Ministry of Education Learning Support",
                        "The therapist will visit once a fortnight and leave games to play together.",
                        start=60,
                        due=240,
                        quantity="10",
                        unit="session",
                        frequency="fortnightly",
                        cost="0",
                        funder="no_cost",
                        service="education_support",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="parenting",
        rating="medium",
        evidence="Mum says bedtimes are a battle and she shouts more than she wants to.",
        need="Routines and calm at home",
        detail="Mum wants help with the children's behaviour at bedtime and mornings.",
        concurrent=False,
        goal="Mum feels confident managing the children's behaviour",
        goal_description="Mornings and bedtimes run to a routine the children know.",
        goal_due=200,
        intermediates=(
            IntermediateT(
                "Mum completes a parenting programme",
                150,
                (
                    StepT(
                        "Incredible Years parenting programme",
                        "service",
                        "provider",
                        "Family Works",
                        "Fourteen Tuesday evening sessions; dinner and childcare are provided.",
                        start=20,
                        due=130,
                        quantity="14",
                        unit="session",
                        frequency="weekly",
                        cost="0",
                        funder="no_cost",
                        result="Completed 12 sessions; Mum says bedtimes are calmer.",
                        service="parenting_programme",
                    ),
                    StepT(
                        "Home visits from a Family Start worker",
                        "service",
                        "provider",
                        "Family Start",
                        "Your Family Start worker will visit every week to practise the routines with you.",
                        start=10,
                        timeline="weekly for six months",
                        quantity="24",
                        unit="session",
                        cost="1440",
                        funder="site",
                        service="in_home",
                    ),
                ),
            ),
        ),
    ),
    NeedT(
        factor="social_isolation",
        rating="low",
        evidence="Mum moved from Gisborne last year and knows no one nearby apart from Nan.",
        need="People to call on",
        detail="Mum has no one but Nan to ask for help.",
        concurrent=False,
        goal="Mum has a network of people she can call on",
        goal_description="At least three people Mum trusts, and she knows how to reach them.",
        goal_due=180,
        intermediates=(
            IntermediateT(
                "The whānau meets to plan support",
                60,
                (
                    StepT(
                        "Family group conference",
                        "appointment",
                        "worker",
                        "worker",
                        "Nan and your cousins are invited; the coordinator will ring you beforehand.",
                        due=45,
                        result="Whānau agreed a weekly roster of help.",
                    ),
                    StepT(
                        "Nan has the children after school on Tuesdays and Thursdays",
                        "task",
                        "caregiver",
                        "nan",
                        "Nan picks the children up from school at 3pm.",
                        timeline="twice a week",
                        quantity="2",
                        unit="session",
                        frequency="weekly",
                        cost="0",
                        funder="no_cost",
                    ),
                ),
            ),
        ),
    ),
)

# What a worker writes about a family, to make each assessment read differently.
STRENGTHS = (
    "Nan lives two streets away and has the children after school. Mum is honest about what is hard.",
    "The children are attached to both parents and to their kura. Dad coaches the under-9s rugby team.",
    "The whānau are close and turned up in numbers to the first hui. The eldest is doing well at school.",
    "Mum has kept every appointment so far. The children are warm, fed and clothed.",
)
HISTORY = (
    "Two reports of concern in 2024 about school attendance, both closed after support.",
    "The family moved from Gisborne last year. No previous involvement.",
    "A report in 2023 after a family harm callout; a safety plan was made and the case closed.",
    "Known to Family Start when the eldest was a baby; no concerns since.",
)
FAMILY_VIEWS = (
    "Mum: 'I want help with the rent and with my drinking. I don't want the kids to go anywhere.'",
    "Dad: 'We're a good family having a bad year.' Nan: 'They can stay with me whenever they need.'",
    "Mum wants the children home and is willing to do the programmes. The eldest says he misses his cousins.",
)
WORKER_VIEWS = (
    "The children are cared for, but the pressure on Mum is rising and the drinking with it.",
    "The risk is in the housing and the money; the parenting is loving when the basics are in place.",
    "Nan is the strongest protective factor; the plan should build around her.",
)
DEFERRAL_REASONS = (
    "Mum wants to settle the housing first; we will come back to this at the review.",
    "On the waitlist; the provider will contact the family in the new year.",
    "The whānau hui asked to leave this until the children are settled at school.",
)
ALTERNATIVE_GOAL = (
    "The children have a permanent home with Nan if they cannot return home",
    "Nan is assessed and supported as a permanent kinship caregiver.",
)
DISAGREEMENTS = (
    "Wants the children to stay with Nan, not go home yet.",
    "Thinks the alcohol counselling is not needed.",
)
