"""`manage.py questionnaire export|import`: the rules as one document, in and out."""

import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from screening import engine
from screening.documents import shipped_document
from screening.models import Flag, Questionnaire
from screening.services import testcases_run

pytestmark = pytest.mark.django_db


def export(*args) -> dict:
    stdout = io.StringIO()
    call_command("questionnaire", "export", *args, stdout=stdout)
    return json.loads(stdout.getvalue())


def import_text(text: str) -> str:
    stdout = io.StringIO()
    call_command("questionnaire", "import", "-", stdin=io.StringIO(text), stdout=stdout)
    return stdout.getvalue()


def import_error(text: str) -> tuple[CommandError, str]:
    """Import that must fail with an input error: the error, and what reached stdout."""
    before = Questionnaire.objects.count()
    flags = Flag.objects.count()
    stdout = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("questionnaire", "import", "-", stdin=io.StringIO(text), stdout=stdout)
    assert caught.value.returncode == 2
    assert Questionnaire.objects.count() == before  # nothing written
    assert Flag.objects.count() == flags
    return caught.value, stdout.getvalue()


def normalised(document: dict, *, flags: bool = True) -> dict:
    """The document as the engine reads and writes it, version and notes left out (and flags,
    which all versions share, with ``flags=False``)."""
    data = engine.Questionnaire.from_dict(document).to_dict()
    data["version"] = 0
    data["notes"] = ""
    if not flags:
        del data["flags"]
    return data


# --------------------------------------------------------------------------- export


def test_export_defaults_to_the_latest_published_version_as_json():
    document = export()
    assert document["format"] == "iop-navigator/questionnaire"
    assert document["version"] == 2
    assert normalised(document) == normalised(shipped_document(2))


def test_export_version_1_matches_its_shipped_copy():
    # flags are shared: version 1 shows their current (version 2) notes
    assert normalised(export("--questionnaire-version", "1"), flags=False) == normalised(
        shipped_document(1), flags=False
    )
    assert export("--questionnaire-version", "1", "--format", "json")["version"] == 1


def test_export_is_indented_utf8_json():
    document = shipped_document(2)
    document["steps"][0]["title"] = "Tu seguridad — “ahora” ≥ 1"
    import_text(json.dumps(document))
    stdout = io.StringIO()
    call_command("questionnaire", "export", "--questionnaire-version", "3", stdout=stdout)
    text = stdout.getvalue()
    assert text.startswith("{\n  \"format\": ")
    assert '"title": "Tu seguridad — “ahora” ≥ 1"' in text  # written as is, not \\u escapes
    stdout = io.StringIO()
    call_command("questionnaire", "export", "--questionnaire-version", "3", "--format", "fhir",
                 stdout=stdout)
    assert '"text": "Tu seguridad — “ahora” ≥ 1"' in stdout.getvalue()


def test_export_unknown_version_is_an_input_error():
    stdout = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("questionnaire", "export", "--questionnaire-version", "99", stdout=stdout)
    assert caught.value.returncode == 2
    assert "no questionnaire version 99" in str(caught.value)
    assert "versions: 1, 2" in str(caught.value)
    assert stdout.getvalue() == ""


def test_export_unknown_format_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("questionnaire", "export", "--format", "xml", stdout=io.StringIO())


def test_an_action_is_required():
    with pytest.raises(CommandError, match="export,import"):
        call_command("questionnaire", stdout=io.StringIO())


def test_export_without_a_published_version_says_so():
    Questionnaire.objects.update(status="draft")
    with pytest.raises(CommandError, match="No questionnaire version is published"):
        call_command("questionnaire", "export", stdout=io.StringIO())


# --------------------------------------------------------------------------- import


def test_json_round_trip_creates_an_equal_draft():
    original = export("--questionnaire-version", "2")
    output = import_text(json.dumps(original))
    assert "Created draft version 3; the file's version 2 is not used." in output
    draft = Questionnaire.objects.get(version=3)
    assert draft.status == Questionnaire.Status.DRAFT
    assert draft.published_at is None
    assert "Imported from standard input (where it was version 2)." in draft.notes

    again = export("--questionnaire-version", "3")
    assert again["version"] == 3
    assert normalised(again) == normalised(original)
    # test cases are compared by to_dict too; check they are really there
    assert again["test_cases"] == original["test_cases"]
    assert len(again["test_cases"]) > 0


def test_import_reports_counts():
    document = shipped_document(2)
    output = import_text(json.dumps(document))
    assert (
        f"{len(document['questions'])} questions, {len(document['rules'])} combination rules, "
        f"{len(document['scores'])} scores, {len(document['test_cases'])} test cases."
    ) in output
    assert "Nothing is published" in output
    assert "Warning" not in output


def test_imported_draft_test_cases_all_pass():
    import_text(json.dumps(export("--questionnaire-version", "2")))
    draft = Questionnaire.objects.get(version=3)
    results = testcases_run(questionnaire=draft)
    assert results
    failed = [(result.name, result.problems, result.error) for result in results
              if not result.passed]
    assert failed == []


def test_export_of_a_draft_by_version():
    import_text(json.dumps(shipped_document(1)))
    assert Questionnaire.objects.get(version=3).status == "draft"
    assert normalised(export("--questionnaire-version", "3"), flags=False) == normalised(
        shipped_document(1), flags=False
    )
    # the default is still the latest published version
    assert export()["version"] == 2
    fhir = export("--questionnaire-version", "3", "--format", "fhir")
    assert fhir["status"] == "draft"
    assert fhir["version"] == "3"


def test_import_from_a_file(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(shipped_document(2), ensure_ascii=False), encoding="utf-8")
    stdout = io.StringIO()
    call_command("questionnaire", "import", str(path), stdout=stdout)
    assert "Created draft version 3" in stdout.getvalue()
    assert f"Imported from {path}" in Questionnaire.objects.get(version=3).notes


def test_import_without_a_version_number_takes_the_next_one():
    document = shipped_document(2)
    del document["version"]
    output = import_text(json.dumps(document))
    assert "Created draft version 3." in output
    assert normalised(export("--questionnaire-version", "3")) == normalised(shipped_document(2))


def test_existing_flags_keep_their_note_and_a_different_note_is_warned_about():
    document = shipped_document(2)
    flag = next(item for item in document["flags"] if item["note"])
    kept = Flag.objects.get(key=flag["key"]).note
    flag["note"] = "A different note from the file."
    output = import_text(json.dumps(document))
    warnings = [line for line in output.splitlines() if line.startswith("Warning")]
    assert len(warnings) == 1
    assert repr(flag["key"]) in warnings[0]
    assert Flag.objects.get(key=flag["key"]).note == kept


def test_a_new_flag_is_created():
    document = shipped_document(2)
    document["flags"].append({"key": "brand_new", "name": "Brand new", "note": "Hello.",
                              "note_kind": "tip"})
    document["rules"][0]["flags"].append("brand_new")
    import_text(json.dumps(document))
    assert Flag.objects.get(key="brand_new").note == "Hello."


# --------------------------------------------------------------------------- bad input


def test_import_not_json():
    error, stdout = import_error("{not json")
    assert "standard input is not valid JSON" in str(error)
    assert "line 1" in str(error)
    assert stdout == ""


def test_import_a_list():
    error, _ = import_error(json.dumps([shipped_document(2)]))
    assert "must hold one questionnaire document (a JSON object), not a list" in str(error)


def test_import_wrong_format():
    document = shipped_document(2)
    document["format"] = "hsds/service"
    error, _ = import_error(json.dumps(document))
    assert "not a questionnaire document" in str(error)
    assert "'hsds/service'" in str(error)


def test_import_unsupported_format_version():
    document = shipped_document(2)
    document["format_version"] = 9
    error, _ = import_error(json.dumps(document))
    assert "format version 9 is not supported" in str(error)


def test_import_rule_that_is_not_upward_closed():
    document = shipped_document(2)
    document["rules"].append({
        "key": "medical_no", "name": "Not upward-closed",
        "when": [{"question": "medical", "includes_any": ["no"]}],
        "flags": ["medical_review"],
    })
    error, _ = import_error(json.dumps(document))
    message = str(error)
    assert "Rule 'medical_no'" in message
    assert "not upward-closed" in message


def test_import_lists_every_problem():
    document = shipped_document(2)
    document["rules"].append({
        "key": "medical_no", "when": [{"question": "medical", "includes_any": ["no"]}],
        "flags": ["medical_review"],
    })
    document["rules"].append({"key": "nothing", "when": [{"score": "audit_c", "at_least": 1}]})
    error, _ = import_error(json.dumps(document))
    message = str(error)
    assert "(2 problems)" in message
    assert "  - Rule 'medical_no'" in message
    assert "  - Rule 'nothing' changes nothing." in message


def test_import_wrong_shape_is_named():
    document = copy.deepcopy(shipped_document(2))
    document["questions"][0]["options"] = "yes or no"
    error, _ = import_error(json.dumps(document))
    assert "question 'suicide_thoughts'" in str(error)
    assert "must be a list" in str(error)


def test_import_unreadable_file(tmp_path):
    missing = tmp_path / "missing.json"
    before = Questionnaire.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("questionnaire", "import", str(missing), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert f"Cannot read {missing}" in str(caught.value)
    assert Questionnaire.objects.count() == before


def test_import_not_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"notes": "caf\u00e9"}'.encode("latin-1"))
    with pytest.raises(CommandError) as caught:
        call_command("questionnaire", "import", str(path), stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert "not UTF-8" in str(caught.value)
