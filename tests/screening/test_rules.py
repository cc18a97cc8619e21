"""The rules the live screening reads from the database are the shipped documents: version 2
live, version 1 still published and reproducible."""

import pytest
from django.core.cache import cache

from iop.models import LevelOfCare
from screening import engine
from screening.models import Questionnaire
from screening.rules import (
    RULES_KEY,
    RULES_TOKEN_KEY,
    live_rules,
    pages_of,
    published_rules,
    rules_build,
    rules_cache_clear,
)
from tests.screening.helpers import V1, V2

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("version", "shipped"), [(1, V1), (2, V2)])
def test_database_copy_equals_the_shipped_document(version, shipped):
    published = Questionnaire.objects.get(version=version, status=Questionnaire.Status.PUBLISHED)
    built = rules_build(published).questionnaire
    # Flags are shared by every version and version 2's migration revised their notes, so
    # compare version 1 without them; its decisions do not depend on a note.
    if version == 1:
        assert built.questions == shipped.questions
        assert built.requirements == shipped.requirements
        assert built.bands == shipped.bands and built.extras == shipped.extras
        assert built.levels == shipped.levels
        assert {f.key for f in built.flags} == {f.key for f in shipped.flags}
    else:
        assert built == shipped
        assert built.test_cases == shipped.test_cases


def test_live_rules_are_v2_and_v1_stays_available():
    assert live_rules().version == 2
    assert live_rules().questionnaire.questions == V2.questions
    assert published_rules(1).questionnaire.questions == V1.questions
    assert published_rules(99) is None


def test_draft_versions_are_not_served(django_assert_max_num_queries):
    from screening.services import questionnaire_copy

    draft = questionnaire_copy(source=Questionnaire.objects.get(version=2))
    assert published_rules(draft.version) is None
    assert live_rules().version == 2


def test_live_rules_are_cached_after_the_first_read(django_assert_num_queries):
    live_rules()
    published_rules(1)
    with django_assert_num_queries(0):
        assert live_rules().version == 2
        assert published_rules(1).version == 1


def test_a_process_keeps_the_rules_it_read_until_they_are_cleared():
    first = live_rules()
    assert live_rules() is first  # not unpickled again from the shared cache
    LevelOfCare.objects.filter(code="iop").update(name_en="Intensive outpatient (renamed)")
    rules_cache_clear()  # as saving a level of care does
    again = live_rules()
    assert again is not first
    assert again.level_names["iop"] == "Intensive outpatient (renamed)"


@pytest.mark.parametrize("other_process", ["cleared the rules", "flushed the cache"])
def test_rules_cleared_by_another_process_are_read_again_here(other_process):
    first = live_rules()
    LevelOfCare.objects.filter(code="iop").update(name_en="Renamed elsewhere")
    # What rules_cache_clear in another process leaves in the shared cache (this process's
    # own copy is untouched), or a cache emptied outright.
    if other_process == "cleared the rules":
        cache.set(RULES_TOKEN_KEY, "a token from another process", None)
        cache.delete(RULES_KEY.format(version=first.version, language="en"))
    else:
        cache.clear()
    assert live_rules().level_names["iop"] == "Renamed elsewhere"


def test_one_question_per_page_in_step_order_with_the_step_as_caption():
    pages = pages_of(V2)
    assert [page.key for page in pages] == [question.key for question in V2.questions]
    assert all(page.question_keys == (page.key,) for page in pages)
    by_key = {page.key: page for page in pages}
    assert by_key["suicide_thoughts"].title == by_key["danger_now"].title == "Your safety"
    assert by_key["age_group"].title == "About you"  # the danger questions never share a page
    # The step's introduction is on its first page only.
    assert by_key["suicide_thoughts"].intro and not by_key["suicide_behavior"].intro
    assert by_key["substances"].intro and not by_key["frequency"].intro
    assert [page.key for page in pages_of(V1)] == [question.key for question in V1.questions]


def test_a_question_keyed_like_a_page_of_the_flow_gets_its_own_page_key():
    document = V2.to_dict()
    document["questions"][0]["key"] = "check"
    for question in document["questions"]:
        for clause in question["enable_when"]:
            if clause["question"] == "suicide_thoughts":
                clause["question"] = "check"
    pages = pages_of(engine.Questionnaire.from_dict(document))
    assert pages[0].key == "check-q" and pages[0].question_keys == ("check",)
