"""The database ↔ document conversion (screening.documents): one form for reading a version,
copying it, checking it and saving a document as a new version."""

import copy

import pytest

from screening import engine
from screening.documents import (
    DocumentError,
    document_check,
    document_of,
    document_save,
    engine_of,
    shipped_document,
)
from screening.models import Flag, Questionnaire

pytestmark = pytest.mark.django_db


def normalised(document: dict) -> dict:
    data = engine.Questionnaire.from_dict(document).to_dict()
    data.pop("notes")
    data["version"] = 0
    return data


def test_document_of_a_shipped_version_is_the_shipped_document():
    assert normalised(document_of(Questionnaire.objects.get(version=2))) == normalised(
        shipped_document(2))


def test_document_of_reads_in_a_constant_number_of_queries(django_assert_max_num_queries):
    v1, v2 = Questionnaire.objects.get(version=1), Questionnaire.objects.get(version=2)
    with django_assert_max_num_queries(20):
        document_of(v1)
    with django_assert_max_num_queries(20):
        document_of(v2)


def test_document_save_then_read_gives_the_same_document():
    saved = document_save(shipped_document(2))
    assert saved.status == Questionnaire.Status.DRAFT
    assert saved.version == 3
    assert normalised(document_of(saved)) == normalised(shipped_document(2))
    assert engine_of(saved).test_cases == engine.Questionnaire.from_dict(
        shipped_document(2)).test_cases


def test_document_save_does_not_change_shared_flags_unless_told():
    data = shipped_document(2)
    for flag in data["flags"]:
        if flag["key"] == "naloxone":
            flag["note"] = "Changed."
    before = Flag.objects.get(key="naloxone").note
    document_save(copy.deepcopy(data))
    assert Flag.objects.get(key="naloxone").note == before
    document_save(data, update_flags=True)
    assert Flag.objects.get(key="naloxone").note == "Changed."


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d["requirements"][0].update(remedies=["no-such-service"]), "no-such-service"),
    (lambda d: d["flags"][1].update(rank_populations=["martians"]), "martians"),
    (lambda d: d["rules"][0]["when"].append({"question": "medical", "includes_any": ["no"]}),
     "not upward-closed"),
    (lambda d: d["questions"][0].update(options="no"), "must be a list"),
    (lambda d: d.update(format="something-else"), "not a questionnaire document"),
    (lambda d: d["bands"][0].update(min_points=-1), "negative points"),
    (lambda d: d["scores"][0]["bands"][0].update(min_points=-1), "negative points"),
    (lambda d: d["questions"][4]["options"][0].update(age_min=-3), "negative age"),
    (lambda d: d["test_cases"][1].update(name=d["test_cases"][0]["name"]), "Two test cases"),
    (lambda d: d["questions"][0]["options"][0].update(value="Bad Value,x"),
     "lower-case letters"),
    (lambda d: d["rules"][0].update(key="Bad-Key"), "Rule key 'Bad-Key'"),
    (lambda d: d["questions"][0]["options"][0].update(value="v" * 41), "at most 40"),
])
def test_document_check_refuses_with_every_problem_named(change, words):
    data = shipped_document(2)
    change(data)
    count = Questionnaire.objects.count()
    with pytest.raises(DocumentError) as caught:
        document_save(data)
    assert any(words in problem for problem in caught.value.problems), caught.value.problems
    assert Questionnaire.objects.count() == count


def test_document_check_gives_the_catalogue_levels():
    checked = document_check(shipped_document(1))
    assert {level.code: level.step_down for level in checked.levels}["residential"] == "iop"
