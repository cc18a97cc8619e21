"""Load the default questionnaire v1 (DESIGN §6), its flags and its test cases, published."""

from django.db import migrations
from django.utils import timezone

from screening import default_questionnaire as v1

FLAGS = [
    ("emergency", "Emergency", ""),
    ("adolescent", "Young person",
     "Programs for teens often include family sessions and school support. A parent, "
     "guardian or school counsellor can help you take the next step."),
    ("medical_review", "Needs a medical check",
     "Please talk with a doctor or nurse before you start or stop anything. They can make "
     "a plan that keeps you safe."),
    ("medication_info", "Medication for opioid use",
     "Medicines such as buprenorphine, methadone and naltrexone help many people with opioid "
     "use. They lower cravings and the risk of overdose. Ask a program or doctor about them. "
     "If you are pregnant, do not try to stop opioids on your own: medication and prenatal "
     "care together are the safest path for you and your baby."),
    ("no_abrupt_stop", "Sedatives: do not stop suddenly",
     "Never stop benzodiazepines or other sedatives all at once. Stopping suddenly can cause "
     "seizures. A doctor can help you lower the dose slowly and safely."),
    ("co_occurring", "Mental health too",
     "Many programs treat mental health and substance use together. Look for programs that "
     "offer mental health care."),
    ("flexible_schedule", "Needs a flexible schedule",
     "Evening and weekend programs and telehealth can fit around work, school or family."),
    ("step_down", "Stepping down from more care",
     "Coming from detox, hospital or residential care? Starting IOP soon helps you keep "
     "what you have built."),
]


def load(apps, schema_editor):
    Flag = apps.get_model("screening", "Flag")
    Questionnaire = apps.get_model("screening", "Questionnaire")
    Step = apps.get_model("screening", "Step")
    Requirement = apps.get_model("screening", "Requirement")
    Question = apps.get_model("screening", "Question")
    Option = apps.get_model("screening", "Option")
    SeverityBand = apps.get_model("screening", "SeverityBand")
    TestCase = apps.get_model("screening", "ScreeningTestCase")
    LevelOfCare = apps.get_model("iop", "LevelOfCare")
    Service = apps.get_model("iop", "Service")

    flags = {}
    for key, name, note in FLAGS:
        flags[key], _ = Flag.objects.update_or_create(key=key, defaults={"name": name, "note": note})

    if Questionnaire.objects.filter(version=v1.VERSION).exists():
        return
    questionnaire = Questionnaire.objects.create(
        version=v1.VERSION, status="draft", notes="Default questionnaire (DESIGN §6)."
    )
    steps = {}
    for order, step in enumerate(v1.STEPS):
        steps[step["key"]] = Step.objects.create(
            questionnaire=questionnaire, key=step["key"], title=step["title"],
            intro=step["intro"], order=order,
        )
    levels = {level.code: level for level in LevelOfCare.objects.all()}
    services = {service.slug: service for service in Service.objects.all()}
    requirements = {}
    for order, data in enumerate(v1.REQUIREMENTS):
        requirement = Requirement.objects.create(
            questionnaire=questionnaire, key=data["key"], name=data["name"],
            help_text=data["help_text"], escalation_level=data["escalation_level"] or "",
            order=order,
        )
        requirement.applies_to.set([levels[code] for code in data["applies_to"]])
        requirement.remedies.set([services[slug] for slug in data["remedies"]])
        requirements[data["key"]] = requirement
    for data in v1.QUESTIONS:
        question = Question.objects.create(
            questionnaire=questionnaire, step=steps[data["step"]], key=data["key"],
            order=data["order"], text=data["text"], help_text=data["help_text"],
            multiple=data["multiple"], required=data["required"],
            dimension=data["dimension"].split(" ", 1)[0],
        )
        for order, opt in enumerate(data["options"]):
            option = Option.objects.create(
                question=question, order=order, value=opt["value"], label=opt["label"],
                points=opt["points"], min_level=opt["min_level"] or "", crisis=opt["crisis"],
                requirement=requirements.get(opt["requirement"]),
                requirement_status=opt["requirement_status"] or "",
                explanation=opt["explanation"],
            )
            option.flags.set([flags[key] for key in opt["flags"]])
    for low, high, level in v1.BANDS:
        SeverityBand.objects.create(
            questionnaire=questionnaire, min_points=low, max_points=high, level=level
        )
    for case in v1.TEST_CASES:
        TestCase.objects.update_or_create(
            name=case["name"],
            defaults={
                "answers": case["answers"], "expected_level": case["expected_level"],
                "expected_crisis": case["expected_crisis"], "note": case["note"],
            },
        )
    questionnaire.status = "published"
    questionnaire.published_at = timezone.now()
    questionnaire.save()


def unload(apps, schema_editor):
    """Remove what `load` added. Children first: a question protects its step and an option
    its requirement, so deleting the questionnaire alone would raise ProtectedError."""
    Questionnaire = apps.get_model("screening", "Questionnaire")
    versions = Questionnaire.objects.filter(version=v1.VERSION)
    apps.get_model("screening", "Option").objects.filter(
        question__questionnaire__in=versions
    ).delete()
    for name in ("Question", "Requirement", "Step", "SeverityBand"):
        apps.get_model("screening", name).objects.filter(questionnaire__in=versions).delete()
    versions.delete()
    apps.get_model("screening", "ScreeningTestCase").objects.all().delete()
    apps.get_model("screening", "Flag").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0001_initial"),
        ("iop", "0002_load_reference_data"),
    ]
    operations = [migrations.RunPython(load, unload)]
