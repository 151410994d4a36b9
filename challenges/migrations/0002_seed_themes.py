from django.db import migrations

THEMES = [
    (
        "Wellbeing",
        "wellbeing",
        "Health, social care and quality of life, including an ageing population living independently.",
    ),
    ("Homelessness", "homelessness", "Preventing homelessness and supporting people sleeping rough."),
    ("Youth unemployment", "youth-unemployment", "Helping young people into training, apprenticeships and work."),
    ("Digital citizenship", "digital-citizenship", "Digital skills, inclusion and access to online public services."),
    (
        "Transport and mobility",
        "transport-and-mobility",
        "Getting around the city: parking, buses, cycling and walking.",
    ),
    ("Air quality and net zero", "air-quality-and-net-zero", "Cleaner air, lower emissions and climate resilience."),
    ("Community safety", "community-safety", "Safer streets and neighbourhoods, working with police and partners."),
    ("Resident services", "resident-services", "Council tax, benefits, bins and the everyday services residents use."),
    ("Open data", "open-data", "Publishing and using public data to build better services."),
    ("Housing", "housing", "Good, affordable homes and well-run tenancies."),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("challenges", "Theme")
    for name, slug, description in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


class Migration(migrations.Migration):
    dependencies = [("challenges", "0001_initial")]

    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
