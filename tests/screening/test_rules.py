"""The rules the live screening reads from the database are the shipped documents: version 2
live, version 1 still published and reproducible."""

import pytest

from screening.models import Questionnaire
from screening.rules import live_rules, pages_of, published_rules, rules_build
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


def test_pages_split_a_step_before_a_question_shown_by_an_answer_on_it():
    pages = pages_of(V2)
    assert [page.key for page in pages] == [
        "safety", "about", "use", "use-2", "withdrawal", "health", "situation",
    ]
    use, use_2 = pages[2], pages[3]
    assert use.question_keys == ("substances",)
    assert use_2.question_keys[:4] == (
        "frequency", "alcohol_frequency", "alcohol_quantity", "alcohol_binge",
    )
    assert use_2.intro == "" and use.intro
    assert pages[0].question_keys == (
        "suicide_thoughts", "suicide_behavior", "harm_others", "danger_now",
    )
    assert "age_group" not in pages[0].question_keys  # never with the danger questions
    assert [page.key for page in pages_of(V1)] == [
        "safety", "use", "withdrawal", "health", "situation",
    ]
