"""The questionnaire as a FHIR R4 Questionnaire (screening/fhir.py and `questionnaire export
--format fhir`), validated with the R4 (4.0.1) models of fhir.resources."""

import copy
import datetime as dt
import io
import json

import fhir.resources
import pytest
from django.core.management import call_command
from fhir.resources.questionnaire import Questionnaire as FhirQuestionnaire

from screening import engine
from screening.documents import shipped_document
from screening.fhir import (
    ENABLE_WHEN_EXPRESSION,
    ITEM_CONTROL,
    OPTION_EXCLUSIVE,
    ORDINAL_VALUE,
    FhirExportError,
    questionnaire_to_fhir,
)

BASE = "https://iop-navigator.example/fhir"
ALCOHOL_ITEMS = ("alcohol_frequency", "alcohol_quantity", "alcohol_binge")
ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string",
    "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}


def test_the_library_validates_fhir_r4():
    assert fhir.resources.__fhir_version__ == "4.0.1"


def validated(resource: dict) -> FhirQuestionnaire:
    """Parse with the FHIR R4 model (types, cardinality, choice types, unknown elements), then
    check the Questionnaire invariants the model does not (que-1, -2, -4, -6, -7, -12)."""
    model = FhirQuestionnaire.parse_obj(resource)
    assert json.loads(model.json()) == resource  # nothing dropped or reshaped
    items = {}

    def walk(item_list):
        for item in item_list:
            assert item["type"] in ITEM_TYPES
            assert item["linkId"] not in items, f"linkId {item['linkId']} twice"  # que-2
            items[item["linkId"]] = item
            if item["type"] == "group":
                assert item.get("item")  # que-1
            if item["type"] == "display":
                assert "item" not in item and "required" not in item  # que-1, que-6
                assert "repeats" not in item
            if "answerOption" in item:
                assert item["type"] in ("choice", "open-choice")  # que-4
            if len(item.get("enableWhen", [])) > 1:
                assert item["enableBehavior"] in ("all", "any")  # que-12
            walk(item.get("item", []))

    walk(resource["item"])
    for item in items.values():
        for condition in item.get("enableWhen", []):
            target = items[condition["question"]]
            codings = [option["valueCoding"] for option in target["answerOption"]]
            assert condition["answerCoding"] in [
                {"system": c["system"], "code": c["code"]} for c in codings
            ]
    return model


def questions_of(resource: dict) -> dict[str, dict]:
    return {
        item["linkId"]: item
        for group in resource["item"] for item in group["item"] if item["type"] == "choice"
    }


# --------------------------------------------------------------------------- the command


def fhir_export(*args) -> dict:
    stdout = io.StringIO()
    call_command("questionnaire", "export", "--format", "fhir", *args, stdout=stdout)
    return json.loads(stdout.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("version", [1, 2])
def test_fhir_export_of_shipped_versions_validates(version):
    resource = fhir_export("--questionnaire-version", str(version))
    model = validated(resource)
    assert model.resource_type == "Questionnaire"
    assert resource["id"] == f"iop-screening-v{version}"
    assert resource["version"] == str(version)
    assert resource["url"] == f"{BASE}/Questionnaire/iop-screening"
    assert resource["status"] == "active"  # both are published
    assert resource["date"]

    document = shipped_document(version)
    items = questions_of(resource)
    assert list(items) == [question["key"] for question in document["questions"]]
    for question in document["questions"]:
        item = items[question["key"]]
        assert item["text"] == question["text"]
        assert item["required"] is question["required"]
        assert item["repeats"] is question["multiple"]
        assert [option["valueCoding"]["code"] for option in item["answerOption"]] == [
            option["value"] for option in question["options"]
        ]
        assert [option["valueCoding"]["display"] for option in item["answerOption"]] == [
            option["label"] for option in question["options"]
        ]
        assert {option["valueCoding"]["system"] for option in item["answerOption"]} == {
            f"{BASE}/CodeSystem/{question['key']}"
        }
    steps = [step["key"] for step in document["steps"]]
    assert [group["linkId"] for group in resource["item"]] == [f"step.{key}" for key in steps]


@pytest.mark.django_db
def test_fhir_export_defaults_to_the_latest_published_version():
    resource = fhir_export()
    assert resource["version"] == "2"
    validated(resource)


@pytest.mark.django_db
def test_fhir_v2_alcohol_questions_are_shown_when_substances_include_alcohol():
    items = questions_of(fhir_export("--questionnaire-version", "2"))
    for key in ALCOHOL_ITEMS:
        assert items[key]["enableWhen"] == [{
            "question": "substances", "operator": "=",
            "answerCoding": {"system": f"{BASE}/CodeSystem/substances", "code": "alcohol"},
        }]
        assert "enableBehavior" not in items[key]
    # frequency: shown when any substance but "none" or the prescribed ones is ticked
    frequency = items["frequency"]
    assert frequency["enableBehavior"] == "any"
    assert [c["answerCoding"]["code"] for c in frequency["enableWhen"]] == [
        "alcohol", "opioids", "sedatives", "stimulants", "cannabis", "other",
    ]
    assert "enableWhen" not in items["suicide_thoughts"]


@pytest.mark.django_db
def test_fhir_v1_has_no_enable_when():
    items = questions_of(fhir_export("--questionnaire-version", "1"))
    assert not any("enableWhen" in item or "extension" in item for item in items.values())


# --------------------------------------------------------------------------- the function


def test_status_maps_to_fhir_publication_status():
    document = shipped_document(2)
    assert questionnaire_to_fhir(document, status="published")["status"] == "active"
    assert questionnaire_to_fhir(document, status="draft")["status"] == "draft"
    assert questionnaire_to_fhir(document)["status"] == "draft"
    assert "date" not in questionnaire_to_fhir(document)


def test_dates_are_fhir_date_times():
    document = shipped_document(1)
    aware = dt.datetime(2025, 3, 4, 5, 6, 7, 890, tzinfo=dt.UTC)
    assert questionnaire_to_fhir(document, date=aware)["date"] == "2025-03-04T05:06:07+00:00"
    naive = dt.datetime(2025, 3, 4, 5, 6, 7)
    assert questionnaire_to_fhir(document, date=naive)["date"] == "2025-03-04"
    validated(questionnaire_to_fhir(document, date=aware))


def test_canonical_base_names_url_and_code_systems():
    resource = questionnaire_to_fhir(shipped_document(2), canonical_base="https://x.test/f/")
    assert resource["url"] == "https://x.test/f/Questionnaire/iop-screening"
    item = questions_of(resource)["alcohol_binge"]
    assert item["answerOption"][0]["valueCoding"]["system"] == (
        "https://x.test/f/CodeSystem/alcohol_binge"
    )
    assert item["code"][0]["system"] == "https://x.test/f/CodeSystem/scores"
    validated(resource)


def test_help_text_is_a_display_child_with_the_help_item_control():
    document = shipped_document(2)
    items = questions_of(questionnaire_to_fhir(document))
    for question in document["questions"]:
        children = items[question["key"]].get("item", [])
        if not question["help_text"]:
            assert children == []
            continue
        (help_item,) = children
        assert help_item["type"] == "display"
        assert help_item["linkId"] == f"{question['key']}.help"
        assert help_item["text"] == question["help_text"]
        (control,) = help_item["extension"]
        assert control["url"] == ITEM_CONTROL
        assert control["valueCodeableConcept"]["coding"][0]["code"] == "help"


def test_score_items_have_a_code_and_ordinal_values():
    document = shipped_document(2)
    items = questions_of(questionnaire_to_fhir(document))
    for question in document["questions"]:
        item = items[question["key"]]
        if question["score"] is None:
            assert "code" not in item
            assert not any(
                ext["url"] == ORDINAL_VALUE
                for option in item["answerOption"] for ext in option.get("extension", [])
            )
            continue
        assert item["code"][0]["code"] == question["score"]
        assert [
            [ext["valueDecimal"] for ext in option["extension"] if ext["url"] == ORDINAL_VALUE]
            for option in item["answerOption"]
        ] == [[option["points"]] for option in question["options"]]
    assert items["phq_mood"]["code"][0] == {
        "system": f"{BASE}/CodeSystem/scores", "code": "phq_2", "display": "Mood score",
    }


def test_exclusive_option_is_marked():
    substances = questions_of(questionnaire_to_fhir(shipped_document(2)))["substances"]
    none = substances["answerOption"][0]
    assert none["valueCoding"]["code"] == "none"
    assert none["extension"] == [{"url": OPTION_EXCLUSIVE, "valueBoolean": True}]
    assert all("extension" not in option for option in substances["answerOption"][1:])


def with_shown_when(key: str, clauses: list[dict]) -> dict:
    document = copy.deepcopy(shipped_document(2))
    for question in document["questions"]:
        if question["key"] == key:
            question["enable_when"] = clauses
    assert not engine.validate_questionnaire(engine.Questionnaire.from_dict(document))
    return document


def test_at_least_on_a_single_choice_question_is_any_of_that_option_onwards():
    document = with_shown_when("psychosis", [{"question": "withdrawal", "at_least": "mild"}])
    resource = questionnaire_to_fhir(document)
    item = questions_of(resource)["psychosis"]
    assert item["enableBehavior"] == "any"
    assert [c["answerCoding"]["code"] for c in item["enableWhen"]] == [
        "mild", "managed_with_medication", "strong",
    ]
    assert {c["operator"] for c in item["enableWhen"]} == {"="}
    validated(resource)


def test_at_least_the_first_option_always_holds_and_is_left_out():
    document = with_shown_when("psychosis", [{"question": "withdrawal", "at_least": "none"}])
    item = questions_of(questionnaire_to_fhir(document))["psychosis"]
    assert "enableWhen" not in item and "extension" not in item


def test_single_condition_clauses_are_all_of():
    document = with_shown_when("psychosis", [
        {"question": "pregnant", "at_least": "yes"},
        {"question": "substances", "includes_any": ["stimulants"]},
    ])
    resource = questionnaire_to_fhir(document)
    item = questions_of(resource)["psychosis"]
    assert item["enableBehavior"] == "all"
    assert [(c["question"], c["answerCoding"]["code"]) for c in item["enableWhen"]] == [
        ("pregnant", "yes"), ("substances", "stimulants"),
    ]
    validated(resource)


def test_all_of_any_uses_the_sdc_enable_when_expression():
    document = with_shown_when("psychosis", [
        {"question": "substances", "includes_any": ["stimulants", "cannabis"]},
        {"question": "withdrawal", "at_least": "managed_with_medication"},
    ])
    resource = questionnaire_to_fhir(document)
    item = questions_of(resource)["psychosis"]
    assert "enableWhen" not in item and "enableBehavior" not in item
    (extension,) = item["extension"]
    assert extension["url"] == ENABLE_WHEN_EXPRESSION
    expression = extension["valueExpression"]
    assert expression["language"] == "text/fhirpath"
    assert expression["expression"] == (
        "(%resource.repeat(item).where(linkId = 'substances').answer.value.ofType(Coding)"
        ".where(code in ('stimulants' | 'cannabis')).exists())"
        " and (%resource.repeat(item).where(linkId = 'withdrawal').answer.value.ofType(Coding)"
        ".where(code in ('managed_with_medication' | 'strong')).exists())"
    )
    assert "substances includes any of stimulants, cannabis" in expression["description"]
    validated(resource)


def test_a_score_in_a_shown_when_clause_cannot_be_exported():
    document = copy.deepcopy(shipped_document(2))
    document["questions"][-1]["enable_when"] = [{"score": "audit_c", "at_least": 4}]
    with pytest.raises(FhirExportError, match="score"):
        questionnaire_to_fhir(document)


def test_a_question_without_a_listed_step_gets_its_own_group():
    document = copy.deepcopy(shipped_document(1))
    document["steps"] = document["steps"][1:]
    resource = questionnaire_to_fhir(document)
    missing = shipped_document(1)["steps"][0]["key"]
    assert resource["item"][-1]["linkId"] == f"step.{missing}"
    assert resource["item"][-1]["text"] == missing.title()
    validated(resource)


def test_an_unreadable_document_raises_the_engine_error():
    with pytest.raises(engine.QuestionnaireError):
        questionnaire_to_fhir({"format": "something/else", "version": 1, "questions": []})
