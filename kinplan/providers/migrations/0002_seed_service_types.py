"""The service catalogue: the family-preservation services of seed 002 and the other help families need.

Administrators add types and retire old ones; this list is where a new installation starts.
"""

from django.db import migrations

FAMILY = "family_preservation"
SERVICE_TYPES = [
    ("in_home", "In-home services", FAMILY,
     "Support, education and training for parents in their own home: parenting skills, coping, managing "
     "the child's behaviour and emotional needs."),
    ("crisis_intervention", "Crisis intervention", FAMILY,
     "Immediate intervention where a child is at risk of removal, such as family violence or substance abuse, "
     "to stop the situation escalating and keep the child with the family."),
    ("respite_care", "Respite care", FAMILY,
     "A break for parents from caring for their child, with extended family, friends or a foster home, "
     "to relieve stress and prevent breakdown."),
    ("parent_support_groups", "Parent support groups", FAMILY,
     "A safe group where parents share experiences, gain knowledge and skills and build a social network."),
    ("family_group_conferencing", "Family group conferencing", FAMILY,
     "Family, extended family and others meet to make a plan for the care and protection of a child; "
     "the family is at the centre of the decisions."),
    ("kinship_care", "Kinship care support", FAMILY,
     "Support for a child living with extended family (a grandparent, an aunt) rather than in foster care."),
    ("wraparound", "Wraparound services", FAMILY,
     "A flexible range of services tailored to the family, building on its strengths."),
    ("therapeutic", "Therapeutic services", FAMILY,
     "Counselling and mental health services for children and families with emotional, psychological or "
     "behavioural difficulties."),
    ("transitional", "Transitional services", FAMILY,
     "Support from intensive services to self-sufficiency: housing, employment, education and ongoing "
     "counselling, so the gains last."),
    ("parenting_programme", "Parenting programme", FAMILY, "Parenting education and skills-building courses."),
    ("financial_assistance", "Financial assistance", "financial",
     "Grants, benefits and hardship help with food, power, rent and school costs."),
    ("budgeting", "Budgeting and financial mentoring", "financial", "Help to plan a budget and manage debt."),
    ("housing_support", "Housing support", "housing",
     "Emergency, transitional and public housing, and help to find and keep a tenancy."),
    ("education_support", "Education support", "education",
     "School attendance, learning support, early childhood education and help with school costs."),
    ("employment_support", "Employment and training", "employment",
     "Help into paid work or training, including driver licences."),
    ("alcohol_and_drug", "Alcohol and drug treatment", "health",
     "Assessment, counselling and treatment for alcohol and drug use."),
    ("mental_health", "Mental health services", "health", "Assessment, treatment and support for mental health."),
    ("family_violence", "Family violence support", "health",
     "Safety planning, advocacy and programmes for people affected by family violence."),
    ("universal_services", "Universal and community services", "universal",
     "Services open to every family: GP, Well Child Tamariki Ora, early childhood education, libraries, sport, "
     "church and marae."),
    ("cultural_connection", "Cultural support and connection", "universal",
     "Connection with whānau, hapū and iwi, language and culture."),
]


def seed(apps, schema_editor):
    ServiceType = apps.get_model("providers", "ServiceType")
    for code, name, category, description in SERVICE_TYPES:
        ServiceType.objects.get_or_create(
            code=code, defaults={"name": name, "category": category, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_catalogue_and_directory")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
