"""Reference list of iwi a person may affiliate with; administrators can add more."""

from django.db import migrations

IWI = [
    ("Ngāpuhi", "Te Tai Tokerau"), ("Te Rarawa", "Te Tai Tokerau"), ("Te Aupōuri", "Te Tai Tokerau"),
    ("Ngāti Kahu", "Te Tai Tokerau"), ("Ngāti Kurī", "Te Tai Tokerau"), ("Ngāti Whātua", "Tāmaki Makaurau"),
    ("Waikato-Tainui", "Waikato"), ("Ngāti Maniapoto", "Waikato"), ("Ngāti Hauā", "Waikato"),
    ("Ngāti Raukawa", "Waikato / Manawatū"), ("Ngāti Tūwharetoa", "Taupō"), ("Te Arawa", "Rotorua"),
    ("Ngāti Awa", "Bay of Plenty"), ("Ngāi Te Rangi", "Bay of Plenty"), ("Ngāti Ranginui", "Bay of Plenty"),
    ("Ngāi Tūhoe", "Te Urewera"), ("Whakatōhea", "Bay of Plenty"), ("Te Whānau-ā-Apanui", "East Coast"),
    ("Ngāti Porou", "East Coast"), ("Rongowhakaata", "Tairāwhiti"), ("Ngāti Kahungunu", "Hawke's Bay"),
    ("Rangitāne", "Manawatū / Wairarapa"), ("Te Āti Awa", "Taranaki / Wellington"), ("Ngāti Ruanui", "Taranaki"),
    ("Ngā Rauru Kītahi", "Taranaki"), ("Ngāti Tama", "Taranaki"), ("Ngāti Mutunga", "Taranaki"),
    ("Muaūpoko", "Horowhenua"), ("Ngāti Toa Rangatira", "Porirua"), ("Ngāi Tahu", "Te Waipounamu"),
    ("Moriori", "Rēkohu / Chatham Islands"),
]


def seed(apps, schema_editor):
    Iwi = apps.get_model("cases", "Iwi")
    for name, region in IWI:
        Iwi.objects.get_or_create(name=name, defaults={"region": region})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
