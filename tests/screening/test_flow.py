"""The screening flow (screening.flow) without views or a database: which page comes next,
the back link's page, the progress count, and the typed session."""

from hypothesis import given, settings
from hypothesis import strategies as st

from screening import flow
from screening.flow import CHECK_PAGE, EXTRAS_PAGE, ScreeningSession
from screening.rules import Rules
from tests.screening.helpers import V2, v2_answers

RULES = Rules(questionnaire=V2)
DRINKING = ["alcohol_frequency", "alcohol_quantity", "alcohol_binge"]


def stored(answers: dict) -> dict:
    """Answers as the session keeps them: a list of values per question."""
    return {key: list(value) if isinstance(value, list) else [value]
            for key, value in answers.items()}


def walk(answers: dict) -> list[str]:
    """Every page a person with these answers passes through, from the first."""
    seen = [flow.pages(RULES, {})[0]]
    while seen[-1] != CHECK_PAGE:
        seen.append(flow.next_page(RULES, answers, seen[-1]))
        assert len(seen) < 60
    return seen


def test_pages_are_one_per_question_shown_then_the_extras_page():
    alcohol = flow.pages(RULES, stored(v2_answers()))
    assert alcohol == [q.key for q in V2.questions] + [EXTRAS_PAGE]
    cannabis = flow.pages(RULES, stored(v2_answers(substances=["cannabis"])))
    assert not set(DRINKING) & set(cannabis)
    assert "frequency" in cannabis
    assert cannabis[-1] == EXTRAS_PAGE


def test_the_next_page_skips_questions_the_answers_hide():
    answers = stored(v2_answers(substances=["cannabis"]))
    assert flow.next_page(RULES, answers, "substances") == "frequency"
    assert flow.next_page(RULES, answers, "frequency") == "consequences"
    assert flow.next_page(RULES, answers, "readiness") == EXTRAS_PAGE
    assert flow.next_page(RULES, answers, EXTRAS_PAGE) == CHECK_PAGE


def test_a_page_with_an_earlier_question_missing_goes_back_to_it():
    answers = stored(v2_answers())
    del answers["pregnant"]
    assert flow.first_missing(RULES, answers) == "pregnant"
    assert flow.blocked_by(RULES, answers, "housing") == "pregnant"
    assert flow.blocked_by(RULES, answers, "age_group") is None  # before the gap
    assert flow.blocked_by(RULES, answers, CHECK_PAGE) == "pregnant"
    assert flow.next_page(RULES, answers, "housing") == "pregnant"


def test_a_change_from_check_your_answers_returns_there_unless_it_shows_a_new_question():
    answers = stored(v2_answers(substances=["cannabis"]))
    assert flow.next_page(RULES, answers, "transport", from_check=True) == CHECK_PAGE
    # Now alcohol too: the drinking questions appear, unanswered, and are asked first.
    answers["substances"] = ["cannabis", "alcohol"]
    assert flow.next_page(RULES, answers, "substances", from_check=True) == "alcohol_frequency"
    answers.update(stored({"alcohol_frequency": "monthly_or_less"}))
    assert flow.next_page(RULES, answers, "alcohol_frequency", from_check=True) == (
        "alcohol_quantity"
    )
    answers.update(stored({"alcohol_quantity": "1_2", "alcohol_binge": "never"}))
    assert flow.next_page(RULES, answers, "alcohol_binge", from_check=True) == CHECK_PAGE


def test_previous_page_and_progress_count_only_pages_shown():
    answers = stored(v2_answers(substances=["cannabis"]))
    seen = flow.pages(RULES, answers)
    assert flow.previous_page(RULES, answers, seen[0]) is None
    assert flow.previous_page(RULES, answers, "consequences") == "frequency"
    assert flow.previous_page(RULES, answers, CHECK_PAGE) == EXTRAS_PAGE
    assert flow.progress(RULES, answers, seen[0]) == (1, len(seen))
    assert flow.progress(RULES, answers, EXTRAS_PAGE) == (len(seen), len(seen))
    assert len(seen) == len(V2.questions) - len(DRINKING) + 1


def test_shown_instead_is_the_next_page_shown():
    answers = stored(v2_answers(substances=["cannabis"]))
    assert flow.shown_instead(RULES, answers, "alcohol_quantity") == "consequences"
    assert flow.shown_instead(RULES, answers, "nonsense") == EXTRAS_PAGE


def test_session_load_keeps_only_well_formed_answers():
    data = {
        "version": V2.version,
        "answers": {
            "age_group": ["26_64"],
            "pregnant": ["maybe"],  # not an answer of that question
            "danger_now": ["no", "yes"],  # two answers to a one-answer question
            "unknown": ["x"],
            "substances": ["alcohol", "cannabis"],
            "support": "yes",  # not a list
        },
        "extras": {"zip": "10001", "payment": 5, "nonsense": "x"},
    }
    session = ScreeningSession.load(data, RULES)
    assert session.answers == {"age_group": ["26_64"], "substances": ["alcohol", "cannabis"]}
    assert session.extras == {"zip": "10001"}
    assert ScreeningSession.load(session.dump(), RULES) == session
    assert session.engine_answers(RULES) == {
        "age_group": "26_64", "substances": ["alcohol", "cannabis"],
    }


def test_session_of_another_version_or_not_a_mapping_starts_afresh():
    for data in (None, "x", [], {"version": 99, "answers": {"age_group": ["26_64"]}}):
        session = ScreeningSession.load(data, RULES)
        assert session.version == V2.version and session.empty


ANSWER_SETS = st.fixed_dictionaries({
    question.key: (
        st.lists(st.sampled_from([o.value for o in question.options if not o.exclusive]),
                 min_size=1, max_size=3, unique=True)
        if question.multiple else st.sampled_from(question.values).map(lambda v: [v])
    )
    for question in V2.questions
})


@settings(max_examples=150, deadline=None, database=None)
@given(answers=ANSWER_SETS)
def test_walking_the_flow_visits_each_page_shown_once_in_order_then_check(answers):
    shown = flow.pages(RULES, answers)
    visited = walk(answers)
    assert visited == [*shown, CHECK_PAGE]
    numbers = [flow.progress(RULES, answers, key)[0] for key in shown]
    assert numbers == list(range(1, len(shown) + 1))
    # Back from each page is the page before it.
    assert [flow.previous_page(RULES, answers, key) for key in visited[1:]] == visited[:-1]
