"""The screening rules in the admin: drafts, option order, shown-when conditions, combination
rules, scores, flags, test cases, the publish confirmation with what changes, the preview,
and the locks on published versions."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from screening.diff import clause_words, questionnaire_diff
from screening.models import (
    Clause,
    Flag,
    Option,
    Question,
    Questionnaire,
    Requirement,
    Rule,
    Score,
    ScoreBand,
    ScreeningOutcome,
    ScreeningTestCase,
    SeverityBand,
    Step,
)
from screening.rules import live_rules
from screening.services import questionnaire_copy
from tests.screening.helpers import V1_DOCUMENT, V2, V2_DOCUMENT, v2_answers
from tests.security.test_staff import make_staff

pytestmark = pytest.mark.django_db

LOCKED = "Published versions cannot be changed — make a draft copy."
V2_CASES = len(V2_DOCUMENT["test_cases"])
V1_CASES = len(V1_DOCUMENT["test_cases"])


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def words_of(response) -> str:
    """The page's text as a person reads it: no tags, single spaces."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def v1_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(version=1)


def v2_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(version=2)


@pytest.fixture
def draft():
    return questionnaire_copy(source=v2_questionnaire())


@pytest.fixture
def reviewer(client, django_user_model):
    client.force_login(make_staff(django_user_model, "reviewer", "Clinical reviewer"))
    return client


@pytest.fixture(params=["superuser", "reviewer"])
def staff(request, admin_client, client, django_user_model):
    """The admin as a superuser and as a clinical reviewer: both edit the rules."""
    if request.param == "superuser":
        return admin_client
    client.force_login(make_staff(django_user_model, "reviewer", "Clinical reviewer"))
    return client


def admin_url(model, view, *args):
    return reverse(f"admin:screening_{model._meta.model_name}_{view}", args=args)


def _management(prefix: str, total: int, initial: int) -> dict:
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial,
            f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}


def _clause_fields(clause: Clause) -> dict:
    return {
        "id": clause.pk, "order": clause.order, "kind": clause.kind,
        "question": clause.question_id or "", "values": clause.values,
        "score": clause.score_id or "", "number": "" if clause.number is None else clause.number,
    }


def question_post_data(
    question: Question, changes: dict | None = None, *, conditions: list[dict] | None = None,
    delete_conditions: bool = False,
) -> dict:
    """The Question change form as the browser would send it, with option ``changes``
    (option value → {field: new value}) and new "shown only when" ``conditions``
    ({kind, question (a Question), values})."""
    changes = changes or {}
    data = {
        "step": question.step_id, "order": question.order, "key": question.key,
        "text_en": question.text, "help_text_en": question.help_text,
        "dimension": question.dimension, "score": question.score_id or "", "_save": "Save",
    }
    if question.required:
        data["required"] = "on"
    if question.multiple:
        data["multiple"] = "on"
    options = list(question.options.order_by("order", "pk"))
    data.update(_management("options", len(options), len(options)))
    for i, option in enumerate(options):
        fields = {
            "id": option.pk, "question": question.pk, "order": option.order,
            "value": option.value, "label_en": option.label, "points": option.points,
            "min_level": option.min_level, "crisis": option.crisis,
            "flags": [flag.pk for flag in option.flags.all()],
            "requirement": option.requirement_id or "",
            "requirement_status": option.requirement_status,
            "exclusive": option.exclusive,
            "age_min": "" if option.age_min is None else option.age_min,
            "age_max": "" if option.age_max is None else option.age_max,
            "explanation_en": option.explanation,
        }
        fields.update(changes.get(option.value, {}))
        for flag in ("crisis", "exclusive"):
            if fields.pop(flag):
                fields[flag] = "on"
        data.update({f"options-{i}-{name}": value for name, value in fields.items()})
    existing = list(question.shown_when.order_by("order", "pk"))
    new = conditions or []
    data.update(_management("shown_when", len(existing) + len(new), len(existing)))
    for i, clause in enumerate(existing):
        fields = _clause_fields(clause)
        fields.pop("score"), fields.pop("number")
        fields["shown_question"] = question.pk
        if delete_conditions:
            fields["DELETE"] = "on"
        data.update({f"shown_when-{i}-{name}": value for name, value in fields.items()})
    for i, condition in enumerate(new, start=len(existing)):
        data.update({
            f"shown_when-{i}-order": condition.get("order", i),
            f"shown_when-{i}-kind": condition["kind"],
            f"shown_when-{i}-question": condition["question"].pk,
            f"shown_when-{i}-values": condition["values"],
        })
    return data


def rule_post_data(
    *, questionnaire=None, rule: Rule | None = None, conditions: list[dict] | None = None,
    **fields,
) -> dict:
    """The combination rule form: its fields and conditions ({kind, question or score,
    values or number}); existing conditions of ``rule`` are kept."""
    data = {"_save": "Save"}
    if rule is not None:
        data.update({
            "order": rule.order, "key": rule.key, "name_en": rule.name,
            "min_level": rule.min_level, "explanation_en": rule.explanation,
            "flags": [flag.pk for flag in rule.flags.all()],
        })
        if rule.crisis:
            data["crisis"] = "on"
    else:
        data.update({"questionnaire": questionnaire.pk, "order": 99, "min_level": "",
                     "explanation_en": "", "flags": []})
    # Translated fields are edited as their English column (screening/translation.py).
    data.update({f"{name}_en" if name in ("name", "explanation") else name: value
                 for name, value in fields.items()})
    existing = list(rule.clauses.order_by("order", "pk")) if rule is not None else []
    new = conditions or []
    data.update(_management("clauses", len(existing) + len(new), len(existing)))
    for i, clause in enumerate(existing):
        values = _clause_fields(clause) | {"rule": rule.pk}
        data.update({f"clauses-{i}-{name}": value for name, value in values.items()})
    for i, condition in enumerate(new, start=len(existing)):
        data.update({
            f"clauses-{i}-order": i, f"clauses-{i}-kind": condition["kind"],
            f"clauses-{i}-question": condition["question"].pk if "question" in condition else "",
            f"clauses-{i}-values": condition.get("values", ""),
            f"clauses-{i}-score": condition["score"].pk if "score" in condition else "",
            f"clauses-{i}-number": condition.get("number", ""),
        })
    return data


def question_of(questionnaire, key) -> Question:
    return Question.objects.get(questionnaire=questionnaire, key=key)


# --------------------------------------------------------------------------- pages load


@pytest.mark.parametrize(
    "model",
    [Questionnaire, Question, Requirement, SeverityBand, Flag, ScreeningTestCase, ScreeningOutcome,
     Rule, Score],
)
def test_admin_changelist_loads(staff, model, draft):
    ScreeningOutcome.objects.create(
        date=timezone.localdate(), questionnaire_version=2, level="iop", crisis=False,
    )
    assert staff.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    "model", [Questionnaire, Question, Requirement, SeverityBand, Flag, ScreeningTestCase, Rule,
              Score]
)
def test_admin_add_form_loads(staff, model, draft):
    assert staff.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("published", [True, False], ids=["published", "draft"])
@pytest.mark.parametrize("model", [Question, Requirement, SeverityBand, Rule, Score,
                                   ScreeningTestCase])
def test_admin_versioned_change_form_loads(staff, model, published, draft):
    questionnaire = v2_questionnaire() if published else draft
    obj = model.objects.filter(questionnaire=questionnaire).first()
    response = staff.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert (LOCKED in text_of(response)) is published


def test_admin_flag_change_form_loads(staff):
    assert staff.get(admin_url(Flag, "change", Flag.objects.first().pk)).status_code == 200


def test_admin_questionnaire_change_forms_load(admin_client, draft):
    for questionnaire in (v1_questionnaire(), v2_questionnaire(), draft):
        response = admin_client.get(admin_url(Questionnaire, "change", questionnaire.pk))
        assert response.status_code == 200
        body = text_of(response)
        assert f"?questionnaire__id__exact={questionnaire.pk}" in body
        assert admin_url(Questionnaire, "copy", questionnaire.pk) in body
        assert admin_url(Questionnaire, "testcases", questionnaire.pk) in body
        assert admin_url(Questionnaire, "preview", questionnaire.pk) in body
        publish_url = admin_url(Questionnaire, "publish", questionnaire.pk)
        assert (publish_url in body) is (not questionnaire.is_published)


def test_admin_outcome_change_form_is_view_only(admin_client):
    outcome = ScreeningOutcome.objects.create(
        date=timezone.localdate(), questionnaire_version=2, level="iop", crisis=True,
        unmet_requirements=["transport"],
    )
    response = admin_client.get(admin_url(ScreeningOutcome, "change", outcome.pk))
    assert response.status_code == 200
    assert 'name="level"' not in response.content.decode()
    response = admin_client.post(
        admin_url(ScreeningOutcome, "change", outcome.pk),
        {"date": "2000-01-01", "questionnaire_version": 2, "level": "php"},
    )
    assert response.status_code == 403
    outcome.refresh_from_db()
    assert outcome.level == "iop"


# --------------------------------------------------------------------------- outcomes


def test_admin_outcome_add_refused(admin_client):
    assert admin_client.get(admin_url(ScreeningOutcome, "add")).status_code == 403


def test_admin_outcome_delete_only_for_superusers(admin_client, client, django_user_model):
    outcome = ScreeningOutcome.objects.create(
        date=timezone.localdate(), questionnaire_version=2, level="iop", crisis=False,
    )
    staff = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_screeningoutcome", "delete_screeningoutcome"]
    ))
    client.force_login(staff)
    url = admin_url(ScreeningOutcome, "delete", outcome.pk)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ScreeningOutcome.objects.filter(pk=outcome.pk).exists()
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not ScreeningOutcome.objects.filter(pk=outcome.pk).exists()


def test_admin_outcome_changelist_counts_per_level(admin_client):
    today = timezone.localdate()
    for level, crisis in [("iop", False), ("iop", True), ("php", False)]:
        ScreeningOutcome.objects.create(
            date=today, questionnaire_version=2, level=level, crisis=crisis,
        )
    response = admin_client.get(admin_url(ScreeningOutcome, "changelist"))
    assert response.context["level_summary"] == [
        ("Intensive outpatient (IOP)", 2), ("Partial hospitalization (PHP)", 1),
    ]
    assert response.context["crisis_count"] == 1
    filtered = admin_client.get(admin_url(ScreeningOutcome, "changelist") + "?level__exact=php")
    assert filtered.context["level_summary"] == [("Partial hospitalization (PHP)", 1)]


# --------------------------------------------------------------------------- options


def test_admin_option_order_violation_refused_naming_option(staff, draft):
    question = question_of(draft, "frequency")
    response = staff.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"daily": {"points": 0}}),
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Option 'daily' has fewer points (0)" in body
    assert Option.objects.get(question=question, value="daily").points == 4


def test_admin_option_lower_min_level_refused(admin_client, draft):
    question = question_of(draft, "withdrawal_danger")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"now": {"min_level": "iop"}}),
    )
    assert response.status_code == 200
    assert "Option 'now' has a lower minimum level" in text_of(response)


def test_admin_option_reorder_by_order_field_checked(admin_client, draft):
    question = question_of(draft, "consequences")
    # Putting "serious" (3 points) before "some" (1 point) breaks the order.
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"serious": {"order": 1}, "some": {"order": 2}}),
    )
    assert response.status_code == 200
    assert "Option 'some' has fewer points (1)" in text_of(response)


def test_admin_option_valid_change_saved(staff, draft):
    question = question_of(draft, "frequency")
    response = staff.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"daily": {"points": 5, "label_en": "Every day"}}),
    )
    assert response.status_code == 302, text_of(response)[:3000]
    daily = Option.objects.get(question=question, value="daily")
    assert (daily.points, daily.label) == (5, "Every day")
    # The shown-when condition the form sent back is unchanged.
    assert [str(c) for c in question.shown_when.all()] == [
        "substances includes any of alcohol,opioids,sedatives,stimulants,cannabis,other"
    ]


def test_admin_option_exclusive_and_ages_are_edited(admin_client, draft):
    ages = question_of(draft, "age_group")
    response = admin_client.post(
        admin_url(Question, "change", ages.pk),
        question_post_data(ages, {"18_25": {"age_min": 18, "age_max": 24}}),
    )
    assert response.status_code == 302, text_of(response)[:3000]
    assert Option.objects.get(question=ages, value="18_25").age_max == 24
    response = admin_client.post(
        admin_url(Question, "change", ages.pk),
        question_post_data(ages, {"18_25": {"age_min": 30, "age_max": 24}}),
    )
    assert "The age range ends before it starts." in text_of(response)

    # Two answers cannot share a value.
    response = admin_client.post(
        admin_url(Question, "change", ages.pk),
        question_post_data(ages, {"18_25": {"value": "26_64"}}),
    )
    assert "Two answers have the value '26_64'; each needs its own." in text_of(response)
    response = admin_client.post(
        admin_url(Question, "change", ages.pk),
        question_post_data(ages, {"18_25": {"value": "18-25"}}),
    )
    assert "Use lower-case letters, digits and underscores only" in text_of(response)

    substances = question_of(draft, "substances")
    response = admin_client.post(
        admin_url(Question, "change", substances.pk),
        question_post_data(substances, {"none": {"exclusive": False}}),
    )
    assert response.status_code == 302
    assert not Option.objects.get(question=substances, value="none").exclusive
    # A "none of these" answer must not change the result.
    response = admin_client.post(
        admin_url(Question, "change", substances.pk),
        question_post_data(substances, {"none": {"exclusive": True, "points": 1}}),
    )
    assert response.status_code == 200
    assert "Option 'none' is a “none of these” answer, so it must not change the result" in (
        text_of(response))
    # ...and only makes sense where several answers are allowed.
    medical = question_of(draft, "medical")
    response = admin_client.post(
        admin_url(Question, "change", medical.pk),
        question_post_data(medical, {"no": {"exclusive": True}}),
    )
    assert "the question takes one answer anyway" in text_of(response)


def test_admin_option_requirement_without_status_refused(admin_client, draft):
    question = question_of(draft, "housing")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"yes": {"requirement_status": ""}}),
    )
    assert response.status_code == 200
    assert "Choose the status this answer gives the requirement." in text_of(response)
    assert Option.objects.get(question=question, value="yes").requirement_status == "met"


def test_admin_option_requirement_of_other_version_refused(admin_client, draft):
    question = question_of(draft, "housing")
    v1_requirement = Requirement.objects.get(questionnaire__version=1, key="transport")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"yes": {"requirement": v1_requirement.pk}}),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)
    option = Option.objects.get(question=question, value="yes")
    assert option.requirement.questionnaire_id == draft.pk


def test_admin_question_step_of_other_version_is_a_form_error(admin_client, draft):
    question = question_of(draft, "frequency")
    data = question_post_data(question)
    data["step"] = Step.objects.get(questionnaire__version=2, key="use").pk
    response = admin_client.post(admin_url(Question, "change", question.pk), data)
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)


def test_admin_question_add_with_step_of_other_version_is_a_form_error(admin_client, draft):
    other_draft = questionnaire_copy(source=v2_questionnaire())
    data = {
        "questionnaire": draft.pk,
        "step": Step.objects.get(questionnaire=other_draft, key="use").pk,
        "order": 9, "key": "new_question", "text_en": "A new question?", "required": "on",
        **_management("options", 1, 0), **_management("shown_when", 0, 0),
        "options-0-order": 0, "options-0-value": "no", "options-0-label_en": "No",
        "options-0-points": 0,
    }
    response = admin_client.post(admin_url(Question, "add"), data)
    assert response.status_code == 200
    assert "Choose a step of the same questionnaire version." in text_of(response)
    assert not Question.objects.filter(key="new_question").exists()


def test_admin_question_score_limited_to_its_version(admin_client, draft):
    question = question_of(draft, "alcohol_frequency")
    v2_score = Score.objects.get(questionnaire__version=2, key="audit_c")
    data = question_post_data(question) | {"score": v2_score.pk}
    response = admin_client.post(admin_url(Question, "change", question.pk), data)
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)
    question.refresh_from_db()
    assert question.score.questionnaire_id == draft.pk


def test_admin_question_key_must_stay_unique_in_its_version(admin_client, draft):
    question = question_of(draft, "housing")
    data = question_post_data(question) | {"key": "transport"}
    response = admin_client.post(admin_url(Question, "change", question.pk), data)
    assert response.status_code == 200
    assert "This version already has a question with the key “transport”." in text_of(response)


# --------------------------------------------------------------------------- shown when


def test_admin_shown_when_refuses_a_clause_that_is_not_upward_closed(staff, draft):
    housing = question_of(draft, "housing")
    data = question_post_data(housing, conditions=[
        {"kind": "includes_any", "question": question_of(draft, "medical"), "values": "no"},
    ])
    response = staff.post(admin_url(Question, "change", housing.pk), data)
    assert response.status_code == 200
    body = text_of(response)
    assert "“medical includes any of no” is not upward-closed: 'medical' takes one answer" in body
    assert "(use “medical ≥ no”)" in body
    assert not housing.shown_when.exists()


def test_admin_shown_when_accepts_an_upward_closed_clause(staff, draft):
    housing = question_of(draft, "housing")
    medical = question_of(draft, "medical")
    for kind, values in [("at_least", "yes"), ("includes_any", "yes")]:
        data = question_post_data(housing, conditions=[
            {"kind": kind, "question": medical, "values": f" {values} "},
        ], delete_conditions=True)
        response = staff.post(admin_url(Question, "change", housing.pk), data)
        assert response.status_code == 302, text_of(response)[:3000]
        clause = housing.shown_when.get()
        assert (clause.kind, clause.question, clause.values) == (kind, medical, "yes")


def test_admin_shown_when_refuses_unknown_values_naming_them(admin_client, draft):
    housing = question_of(draft, "housing")
    data = question_post_data(housing, conditions=[
        {"kind": "includes_any", "question": question_of(draft, "substances"),
         "values": "alcohol, wine, beer"},
    ])
    body = text_of(admin_client.post(admin_url(Question, "change", housing.pk), data))
    assert "“substances” has no answers “wine”, “beer”. Its answers are: none, alcohol," in body
    assert not housing.shown_when.exists()


@pytest.mark.parametrize(
    ("question", "kind", "values", "message"),
    [
        ("readiness", "at_least", "thinking",
         "“readiness ≥ thinking”: a question can only be shown depending on an earlier question."),
        ("substances", "includes_any", "none",
         "“substances includes any of none” is not upward-closed: 'none' is a “none of these” "
         "answer"),
        ("medical", "at_least", "no,yes",
         "“Answer is at least” takes one answer value."),
    ],
)
def test_admin_shown_when_other_refusals(admin_client, draft, question, kind, values, message):
    housing = question_of(draft, "housing")
    data = question_post_data(housing, conditions=[
        {"kind": kind, "question": question_of(draft, question), "values": values},
    ])
    response = admin_client.post(admin_url(Question, "change", housing.pk), data)
    assert response.status_code == 200
    assert message in text_of(response)


def test_admin_shown_when_offers_only_question_conditions_of_this_version(admin_client, draft):
    housing = question_of(draft, "housing")
    response = admin_client.get(admin_url(Question, "change", housing.pk))
    formset = next(f.formset for f in response.context["inline_admin_formsets"]
                   if f.formset.prefix == "shown_when")
    form = formset.empty_form
    assert {value for value, _label in form.fields["kind"].choices} == {
        "", "at_least", "includes_any"}
    assert set(form.fields["question"].queryset.values_list("questionnaire", flat=True)) == {
        draft.pk}
    assert housing not in form.fields["question"].queryset
    # A question of another version is refused.
    data = question_post_data(housing, conditions=[
        {"kind": "at_least", "question": question_of(v2_questionnaire(), "medical"),
         "values": "yes"},
    ])
    assert "Select a valid choice" in text_of(
        admin_client.post(admin_url(Question, "change", housing.pk), data))


# --------------------------------------------------------------------------- combination rules


def test_admin_rule_added_in_a_draft_with_conditions(staff, draft):
    data = rule_post_data(
        questionnaire=draft, key="medical_and_daily_use", name="Medical care and daily use",
        min_level="php", flags=[Flag.objects.get(key="medical_review").pk],
        conditions=[
            {"kind": "at_least", "question": question_of(draft, "medical"), "values": "yes"},
            {"kind": "at_least", "question": question_of(draft, "frequency"), "values": "daily"},
            {"kind": "score_at_least", "score": Score.objects.get(questionnaire=draft,
                                                                   key="audit_c"), "number": 4},
        ],
    )
    response = staff.post(admin_url(Rule, "add"), data)
    assert response.status_code == 302, text_of(response)[:3000]
    rule = Rule.objects.get(questionnaire=draft, key="medical_and_daily_use")
    assert [str(c) for c in rule.clauses.all()] == [
        "medical ≥ yes", "frequency ≥ daily", "audit_c ≥ 4"]
    assert {flag.key for flag in rule.flags.all()} == {"medical_review"}


def test_admin_rule_refuses_a_condition_that_is_not_upward_closed(staff, draft):
    rule = Rule.objects.get(questionnaire=draft, key="alcohol_withdrawal_signs")
    data = rule_post_data(rule=rule, conditions=[
        {"kind": "includes_any", "question": question_of(draft, "medical"), "values": "no"},
    ])
    response = staff.post(admin_url(Rule, "change", rule.pk), data)
    assert response.status_code == 200
    assert "“medical includes any of no” is not upward-closed" in text_of(response)
    assert rule.clauses.count() == 2


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ([], "A combination rule needs at least one condition."),
        ([{"kind": "at_least", "question": "medical", "values": "maybe"}],
         "“medical” has no answer “maybe”. Its answers are: no, yes."),
        ([{"kind": "score_at_least", "number": 3}], "Choose the score this condition looks at."),
        ([{"kind": "at_least", "values": "yes"}],
         "Choose the question this condition looks at."),
    ],
)
def test_admin_rule_other_refusals(admin_client, draft, conditions, message):
    for condition in conditions:
        if "question" in condition:
            condition["question"] = question_of(draft, condition["question"])
    data = rule_post_data(questionnaire=draft, key="new_rule", name="New rule",
                          min_level="iop", conditions=conditions)
    response = admin_client.post(admin_url(Rule, "add"), data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Rule.objects.filter(key="new_rule").exists()


def test_admin_rule_that_changes_nothing_refused(admin_client, draft):
    data = rule_post_data(questionnaire=draft, key="new_rule", name="New rule", conditions=[
        {"kind": "at_least", "question": question_of(draft, "medical"), "values": "yes"}])
    assert "This rule changes nothing." in text_of(admin_client.post(admin_url(Rule, "add"), data))


def test_admin_published_rule_is_read_only(staff):
    rule = Rule.objects.get(questionnaire__version=2, key="alcohol_withdrawal_signs")
    url = admin_url(Rule, "change", rule.pk)
    response = staff.get(url)
    body = response.content.decode()
    assert LOCKED in text_of(response)
    assert 'name="name"' not in body
    assert 'name="clauses-0-values"' not in body
    assert "Substances" in text_of(response) or "substances" in text_of(response)
    response = staff.post(url, rule_post_data(rule=rule, name="Changed?"))
    assert response.status_code == 403
    rule.refresh_from_db()
    assert rule.name != "Changed?"
    assert staff.post(admin_url(Rule, "delete", rule.pk), {"post": "yes"}).status_code == 403


def test_admin_rules_of_a_draft_can_be_deleted(admin_client, draft):
    rule = Rule.objects.filter(questionnaire=draft).first()
    response = admin_client.post(admin_url(Rule, "delete", rule.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Rule.objects.filter(pk=rule.pk).exists()


def test_admin_question_used_by_a_rule_condition_is_protected(admin_client, draft):
    medical = question_of(draft, "medical")
    response = admin_client.post(admin_url(Question, "delete", medical.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "of the combination rule" in text_of(response)
    assert Question.objects.filter(pk=medical.pk).exists()


# --------------------------------------------------------------------------- scores


def score_post_data(score: Score, band_changes: dict | None = None) -> dict:
    data = {"order": score.order, "key": score.key, "name_en": score.name,
            "instrument": score.instrument, "help_text_en": score.help_text, "_save": "Save"}
    bands = list(score.bands.order_by("min_points"))
    data.update(_management("bands", len(bands), len(bands)))
    for i, band in enumerate(bands):
        fields = {"id": band.pk, "score": score.pk, "min_points": band.min_points,
                  "max_points": band.max_points, "label_en": band.label, "meaning_en": band.meaning,
                  "min_level": band.min_level, "flags": [flag.pk for flag in band.flags.all()]}
        fields.update((band_changes or {}).get(band.min_points, {}))
        data.update({f"bands-{i}-{name}": value for name, value in fields.items()})
    return data


def test_admin_score_bands_are_edited_in_a_draft(staff, draft):
    score = Score.objects.get(questionnaire=draft, key="audit_c")
    response = staff.post(admin_url(Score, "change", score.pk), score_post_data(
        score, {8: {"min_level": "iop", "flags": [Flag.objects.get(key="medical_review").pk]}}
    ))
    assert response.status_code == 302, text_of(response)[:3000]
    band = score.bands.get(min_points=8)
    assert band.min_level == "iop"
    assert {flag.key for flag in band.flags.all()} == {"medical_review"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({4: {"max_points": 8}}, "The bands 4–8 and 8–12 overlap"),
        ({4: {"min_level": "php"}}, "a higher score must never mean less care"),
        ({4: {"min_points": 7, "max_points": 5}}, "“To points” must not be below “from points”."),
    ],
)
def test_admin_score_band_refusals(admin_client, draft, changes, message):
    score = Score.objects.get(questionnaire=draft, key="audit_c")
    response = admin_client.post(admin_url(Score, "change", score.pk),
                                 score_post_data(score, changes))
    assert response.status_code == 200
    assert message in text_of(response)


def test_admin_published_score_is_read_only(admin_client):
    score = Score.objects.get(questionnaire__version=2, key="audit_c")
    response = admin_client.get(admin_url(Score, "change", score.pk))
    assert LOCKED in text_of(response)
    assert 'name="bands-0-min_points"' not in response.content.decode()
    assert admin_client.post(admin_url(Score, "change", score.pk),
                             score_post_data(score)).status_code == 403


def test_admin_score_used_by_questions_is_protected(admin_client, draft):
    score = Score.objects.get(questionnaire=draft, key="audit_c")
    response = admin_client.post(admin_url(Score, "delete", score.pk), {"post": "yes"})
    assert response.status_code == 200
    assert Score.objects.filter(pk=score.pk).exists()


# --------------------------------------------------------------------------- flags


def test_admin_flag_edits_note_kind_order_and_ranking(staff):
    flag = Flag.objects.get(key="naloxone")
    url = admin_url(Flag, "change", flag.pk)
    page = text_of(staff.get(url))
    assert "Evening sessions" in page and "Telehealth" in page
    response = staff.post(url, {
        "name_en": flag.name, "note_en": "Carry naloxone.", "note_kind": "safety", "order": 3,
        "rank_services": [s.pk for s in flag.rank_services.all()], "rank_populations": [],
        "rank_features": ["telehealth", "evening"],
    })
    assert response.status_code == 302, text_of(response)[:3000]
    flag.refresh_from_db()
    assert (flag.note, flag.note_kind, flag.order) == ("Carry naloxone.", "safety", 3)
    assert flag.rank_features == ["evening", "telehealth"]
    response = staff.post(url, {"name_en": flag.name, "note_kind": "tip", "order": 0,
                                "rank_features": ["helicopter"]})
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)


def test_admin_flag_used_by_published_version_cannot_be_deleted(admin_client):
    used = Flag.objects.get(key="emergency")
    unused = Flag.objects.create(key="spare", name="Spare")
    assert admin_client.get(admin_url(Flag, "delete", used.pk)).status_code == 403
    assert admin_client.post(admin_url(Flag, "delete", unused.pk), {"post": "yes"}).status_code \
        == 302
    assert not Flag.objects.filter(pk=unused.pk).exists()


def test_admin_flag_used_only_by_a_published_rule_cannot_be_deleted(admin_client, draft):
    flag = Flag.objects.create(key="rule_only", name="Rule only")
    Rule.objects.filter(questionnaire=draft).first().flags.add(flag)
    band = ScoreBand.objects.filter(score__questionnaire=draft).first()
    other = Flag.objects.create(key="band_only", name="Band only")
    band.flags.add(other)
    Questionnaire.objects.filter(pk=draft.pk).update(status="published",
                                                     published_at=timezone.now())
    for used in (flag, other):
        assert admin_client.get(admin_url(Flag, "delete", used.pk)).status_code == 403
        assert "published versions use it" in text_of(
            admin_client.get(admin_url(Flag, "change", used.pk)))


# --------------------------------------------------------------------------- locks


def test_admin_published_question_read_only(admin_client):
    question = question_of(v2_questionnaire(), "frequency")
    url = admin_url(Question, "change", question.pk)
    response = admin_client.get(url)
    body = response.content.decode()
    assert LOCKED in text_of(response)
    assert 'name="text"' not in body
    assert 'name="options-0-points"' not in body
    assert 'name="shown_when-0-values"' not in body
    response = admin_client.post(
        url, question_post_data(question, {"daily": {"points": 0}}) | {"text_en": "Changed?"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text != "Changed?"
    assert Option.objects.get(question=question, value="daily").points == 4


def test_admin_published_questionnaire_read_only(admin_client):
    questionnaire = v2_questionnaire()
    url = admin_url(Questionnaire, "change", questionnaire.pk)
    response = admin_client.get(url)
    body = response.content.decode()
    assert LOCKED in text_of(response)
    assert 'name="notes"' not in body
    assert 'name="bands-0-level"' not in body
    assert admin_client.post(url, {"notes": "Changed"}).status_code == 403
    questionnaire.refresh_from_db()
    assert questionnaire.notes != "Changed"


def test_admin_draft_questionnaire_editable_with_inlines(admin_client, draft):
    response = admin_client.get(admin_url(Questionnaire, "change", draft.pk))
    body = response.content.decode()
    assert 'name="notes"' in body
    assert 'name="bands-0-level"' in body
    assert 'name="steps-0-title_en"' in body
    assert 'name="requirements-0-applies_to"' in body
    assert "problems to fix" not in text_of(response)  # a copy of v2 is consistent


def test_admin_draft_questionnaire_lists_whole_version_problems(staff, draft):
    SeverityBand.objects.filter(questionnaire=draft, level="php").delete()
    Option.objects.filter(question__questionnaire=draft, question__key="substances",
                          value="none").update(points=2)
    body = text_of(staff.get(admin_url(Questionnaire, "change", draft.pk)))
    assert "This draft has" in body and "problems to fix before it can be published" in body
    assert "No band covers 9 points." in body
    assert "Option 'none' of 'substances' is a “none of these” answer" in body


def test_admin_published_rows_cannot_be_deleted(admin_client):
    band = SeverityBand.objects.filter(questionnaire__version=2).first()
    response = admin_client.post(admin_url(SeverityBand, "delete", band.pk), {"post": "yes"})
    assert response.status_code == 403
    assert SeverityBand.objects.filter(pk=band.pk).exists()
    response = admin_client.post(
        admin_url(Questionnaire, "delete", v2_questionnaire().pk), {"post": "yes"}
    )
    assert response.status_code == 403


def test_admin_draft_questionnaire_can_be_deleted(admin_client, draft):
    response = admin_client.post(admin_url(Questionnaire, "delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Questionnaire.objects.filter(pk=draft.pk).exists()
    assert not Question.objects.filter(questionnaire_id=draft.pk).exists()
    assert not Rule.objects.filter(questionnaire_id=draft.pk).exists()
    assert not Score.objects.filter(questionnaire_id=draft.pk).exists()


# --------------------------------------------------------------------------- copy, test, publish


def test_admin_copy_button_makes_a_draft(admin_client):
    source = v2_questionnaire()
    response = admin_client.post(admin_url(Questionnaire, "copy", source.pk))
    copy = Questionnaire.objects.get(version=source.version + 1)
    assert response.status_code == 302
    assert response["Location"] == admin_url(Questionnaire, "change", copy.pk)
    assert copy.status == Questionnaire.Status.DRAFT
    assert copy.questions.count() == source.questions.count()
    assert copy.rules.count() == source.rules.count()


def test_admin_copy_button_refuses_get(admin_client):
    source = v2_questionnaire()
    assert admin_client.get(admin_url(Questionnaire, "copy", source.pk)).status_code == 405
    assert Questionnaire.objects.count() == 2


def test_admin_copy_action(admin_client):
    source = v2_questionnaire()
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "make_draft_copy", "_selected_action": [source.pk]}, follow=True,
    )
    assert response.status_code == 200
    assert Questionnaire.objects.filter(based_on=source, status="draft").count() == 1
    assert "was made from version 2" in text_of(response)


@pytest.mark.parametrize(("version", "count"), [(1, V1_CASES), (2, V2_CASES)])
def test_admin_run_test_cases_action_all_pass(admin_client, version, count):
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "run_test_cases",
         "_selected_action": [Questionnaire.objects.get(version=version).pk]},
    )
    assert response.status_code == 200
    body = text_of(response)
    assert f"{count} test cases passed, 0 failed." in body
    assert "FAIL" not in body


def test_admin_test_cases_page_shows_level_names(staff, draft):
    ScreeningTestCase.objects.create(
        questionnaire=draft, name="Expect PHP for light drinking", answers=v2_answers(),
        expected_level="php", expected_flags=["naloxone"],
    )
    response = staff.get(admin_url(Questionnaire, "testcases", draft.pk))
    assert response.status_code == 200
    body = text_of(response)
    assert f"{V2_CASES} test cases passed, 1 failed." in body
    assert ("Expected Partial hospitalization (PHP), got Education and early intervention"
            in body)
    assert "Expected flags missing: " in body
    assert "<td>Intensive outpatient (IOP)</td>" in body
    assert "<td>iop</td>" not in body and "got self_help" not in body


def test_admin_publish_refused_when_a_test_case_fails(admin_client, draft):
    ScreeningTestCase.objects.create(
        questionnaire=draft, name="Expect PHP for light drinking", answers=v2_answers(),
        expected_level="php",
    )
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]}, follow=True,
    )
    body = text_of(response)
    assert "was not published" in body
    assert ("Test case “Expect PHP for light drinking” fails: expected Partial hospitalization "
            "(PHP), got Education and early intervention") in body
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.DRAFT
    assert live_rules().version == 2


def test_admin_publish_each_reason_shown(admin_client, draft):
    SeverityBand.objects.filter(questionnaire=draft, level="php").delete()
    response = admin_client.post(admin_url(Questionnaire, "publish", draft.pk), follow=True)
    body = text_of(response)
    assert "Rules problem: No band covers 9 points." in body
    assert "Rules problem: No band covers 11 points." in body
    draft.refresh_from_db()
    assert not draft.is_published


def test_admin_publish_succeeds_and_live_rules_switch(admin_client, draft):
    assert live_rules().version == 2
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]}, follow=True,
    )
    assert f"Version {draft.version} is published" in text_of(response)
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.published_at is not None
    assert live_rules().version == draft.version


def test_admin_publish_button_succeeds(admin_client, draft):
    response = admin_client.post(admin_url(Questionnaire, "publish", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert live_rules().version == draft.version


def test_admin_publish_confirmation_then_post_publishes(staff, draft):
    url = admin_url(Questionnaire, "publish", draft.pk)
    change_form = text_of(staff.get(admin_url(Questionnaire, "change", draft.pk)))
    assert f'href="{url}"' in change_form  # the Publish button leads to the confirmation
    page = staff.get(url)
    assert page.status_code == 200
    body = text_of(page)
    assert "What changes against version 2" in body
    assert "Nothing in the rules differs" in body
    assert "None gives a different result." in body
    assert f"{V2_CASES} test cases passed, 0 failed." in body
    assert f'value="Yes, publish version {draft.version}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    draft.refresh_from_db()
    assert not draft.is_published  # looking publishes nothing
    response = staff.post(url)
    assert response.status_code == 302
    assert response["Location"] == admin_url(Questionnaire, "change", draft.pk)
    draft.refresh_from_db()
    assert draft.is_published
    assert live_rules().version == draft.version
    # Asking again only says so.
    again = staff.get(url, follow=True)
    assert f"Version {draft.version} is already published." in text_of(again)


def test_admin_publish_confirmation_shows_problems_without_the_button(admin_client, draft):
    SeverityBand.objects.filter(questionnaire=draft, level="php").delete()
    body = text_of(admin_client.get(admin_url(Questionnaire, "publish", draft.pk)))
    assert "This version cannot be published yet:" in body
    assert "Rules problem: No band covers 9 points." in body
    assert "Yes, publish version" not in body
    assert "Severity bands" in body
    assert "Partial hospitalization (PHP)" in body  # the band that went, by name


def test_admin_publish_confirmation_needs_the_publish_permission(client, django_user_model,
                                                                  draft):
    user = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="view_questionnaire"))
    client.force_login(user)
    assert client.get(admin_url(Questionnaire, "publish", draft.pk)).status_code == 403


def test_admin_publish_diff_shows_a_rule_added_in_the_draft(admin_client, draft):
    response = admin_client.post(admin_url(Rule, "add"), rule_post_data(
        questionnaire=draft, key="medical_and_strong_withdrawal",
        name="Medical care and strong withdrawal", min_level="residential",
        conditions=[
            {"kind": "at_least", "question": question_of(draft, "medical"), "values": "yes"},
            {"kind": "at_least", "question": question_of(draft, "withdrawal"),
             "values": "strong"},
        ],
    ))
    assert response.status_code == 302, text_of(response)[:3000]
    diff = questionnaire_diff(draft=draft, live=v2_questionnaire())
    rules = diff.section("Combination rules")
    assert [item.key for item in rules.added] == ["medical_and_strong_withdrawal"]
    assert "at least Residential treatment" in rules.added[0].summary
    assert not rules.removed and not rules.changed
    body = text_of(admin_client.get(admin_url(Questionnaire, "publish", draft.pk)))
    assert "Medical care and strong withdrawal" in body
    assert ("When the answer to “Do you have a health condition that needs close medical care "
            "every day?” is “Yes” and the answer to") in body
    assert "then: at least Residential treatment" not in body  # words, not codes:
    assert "at least Residential treatment." in body


def test_admin_publish_diff_shows_a_changed_option_and_the_test_case_it_changes(
    admin_client, draft
):
    Option.objects.filter(question__questionnaire=draft, question__key="frequency",
                          value="daily").update(points=7)
    diff = questionnaire_diff(draft=draft, live=v2_questionnaire())
    (change,) = diff.questions.changed
    assert change.key == "frequency"
    (option,) = change.options_changed
    assert option.key == "daily"
    assert [(f.label, f.before, f.after) for f in option.fields] == [("points", "4", "7")]
    cases = {case.name: case for case in diff.cases}
    case = cases["Daily use, could not cut down many times"]
    assert case.of == "both versions"
    assert case.live.level == "iop" and case.draft.level == "php"
    assert "Level: Intensive outpatient (IOP) → Partial hospitalization (PHP)" in case.changes
    assert diff.cases_compared == V2_CASES
    body = text_of(admin_client.get(admin_url(Questionnaire, "publish", draft.pk)))
    assert "Points: “4” → “7”" in body
    assert "Daily use, could not cut down many times" in body
    assert "Level: Intensive outpatient (IOP) → Partial hospitalization (PHP)" in body
    assert "This version cannot be published yet:" in body  # its own case now fails


def test_questionnaire_diff_questions_and_cases_of_either_version(draft):
    frequency = question_of(draft, "frequency")
    frequency.text = "How often, in the past month?"
    frequency.save()
    Option.objects.create(question=question_of(draft, "medical"), order=5, value="unsure",
                          label="Not sure", min_level="php")
    Option.objects.filter(question__questionnaire=draft, question__key="readiness").delete()
    question_of(draft, "readiness").delete()
    answers = v2_answers(medical="unsure")
    del answers["readiness"]
    ScreeningTestCase.objects.create(
        questionnaire=draft, name="Only in the draft", answers=answers, expected_level="php",
    )
    diff = questionnaire_diff(draft=draft, live=v2_questionnaire())
    assert [item.key for item in diff.questions.removed] == ["readiness"]
    changed = {change.key: change for change in diff.questions.changed}
    assert [(f.label, f.after) for f in changed["frequency"].fields] == [
        ("question", "How often, in the past month?")]
    assert [item.key for item in changed["medical"].options_added] == ["unsure"]
    assert "at least Partial hospitalization (PHP)" in changed["medical"].options_added[0].summary
    cases = {case.name: case for case in diff.cases}
    # Every case answers readiness, which the draft no longer has: they no longer fit it.
    assert "There is no question 'readiness'" in cases["No use in the past month"].changes[0]
    only = cases["Only in the draft"]
    assert only.of == "the draft"
    assert not only.live.fits and only.draft.level == "php"
    assert only.changes[0].startswith(
        "The answers do not fit the live version (version 2): 'unsure' is not a possible answer "
        "to 'medical'")


def test_questionnaire_diff_against_nothing_published(draft):
    diff = questionnaire_diff(draft=draft, live=None)
    assert len(diff.questions.added) == len(V2.questions)
    assert diff.live_version is None


def test_clause_words_in_plain_words():
    from screening.diff import Words

    words = Words(V2_DOCUMENT)
    assert clause_words({"question": "substances", "includes_any": ["alcohol"]}, words) == (
        "the answers to “In the past month, which of these have you used? Choose all that "
        "apply.” include “Alcohol (beer, wine or liquor)”")
    assert clause_words({"question": "frequency", "at_least": "weekly"}, words) == (
        "the answer to “In the past month, how often did you drink alcohol or use drugs?” is "
        "“About once a week” or a later answer")
    assert clause_words({"score": "audit_c", "at_least": 8}, words).endswith(
        "score is 8 or more")


# --------------------------------------------------------------------------- preview


def test_admin_preview_shows_every_page_as_a_person_sees_it(staff, draft):
    response = staff.get(admin_url(Questionnaire, "preview", draft.pk))
    assert response.status_code == 200
    body = words_of(response)
    for question in V2.questions:
        assert question.text in body, question.key
    assert "Page 1 of" in body and "Your safety" in body
    assert V2_DOCUMENT["steps"][0]["intro"] in body
    alcohol = V2.question("alcohol_frequency")
    assert alcohol.help_text and f"Why we ask: {alcohol.help_text}" in body
    assert ("Shown only when the answers to “In the past month, which of these have you used? "
            "Choose all that apply.” include “Alcohol (beer, wine or liquor)”.") in body
    assert body.count("Shown only when") == sum(1 for q in V2.questions if q.enable_when)
    page = response.content.decode()
    assert 'type="checkbox" name="preview-substances" value="alcohol" disabled' in page
    assert 'type="radio" name="preview-alcohol_frequency" value="never" disabled' in page
    assert "<form" not in page.split('id="content-main"')[1]  # nothing to send
    assert "Finding programs that fit" in body
    # Staff looking at a preview never start or change a public screening.
    assert "screening" not in staff.session and "screening_result" not in staff.session


def test_admin_preview_needs_staff_with_view_permission(client, django_user_model, draft):
    url = admin_url(Questionnaire, "preview", draft.pk)
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_staff(django_user_model, "editor", "Content editor"))
    assert client.get(url).status_code == 403
    assert client.post(url).status_code in (403, 405)


def test_admin_publish_needs_the_publish_permission(client, django_user_model, draft):
    editor = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="screening", codename__endswith="_questionnaire",
    ).exclude(codename="publish_questionnaire"))
    client.force_login(editor)
    changelist = client.get(admin_url(Questionnaire, "changelist"))
    assert 'value="publish"' not in changelist.content.decode()
    assert 'value="make_draft_copy"' in changelist.content.decode()
    client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert client.post(admin_url(Questionnaire, "publish", draft.pk)).status_code == 403
    draft.refresh_from_db()
    assert not draft.is_published
    change_form = text_of(client.get(admin_url(Questionnaire, "change", draft.pk)))
    assert admin_url(Questionnaire, "copy", draft.pk) in change_form
    assert admin_url(Questionnaire, "publish", draft.pk) not in change_form


# --------------------------------------------------------------------------- test cases


def case_post_data(questionnaire, **fields) -> dict:
    import json

    data = {"questionnaire": questionnaire.pk, "name": "A case",
            "answers": json.dumps(v2_answers()), "expected_level": "self_help",
            "expected_emergency": "unknown", "expected_flags": "[]", "is_active": "on"}
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("answers", "code_message"),
    [
        ('["no"]', "Write the answers as a JSON object"),
        ('{"danger_now": 1}', "The answer to danger_now must be text or a list of text."),
        ('{"substances": ["alcohol", 2]}', "The answer to substances must be text"),
        ('{"danger_now": "no"}', "These answers do not fit version 3: The question "
                                 "'suicide_thoughts' needs an answer."),
        ('{"safety": "no"}', "These answers do not fit version 3: There is no question "
                             "'safety'"),
    ],
)
def test_admin_test_case_answers_must_fit_the_version(admin_client, draft, answers,
                                                      code_message):
    response = admin_client.post(admin_url(ScreeningTestCase, "add"),
                                 case_post_data(draft, name="Bad answers", answers=answers))
    assert response.status_code == 200
    assert code_message in text_of(response)
    assert not ScreeningTestCase.objects.filter(name="Bad answers").exists()


def test_admin_test_case_expected_flags_must_be_known_keys(admin_client, draft):
    response = admin_client.post(admin_url(ScreeningTestCase, "add"), case_post_data(
        draft, expected_flags='["naloxone", "nope", "nada"]'))
    assert "There are no flags “nope”, “nada”. Use the keys listed under Flags." in text_of(
        response)
    response = admin_client.post(admin_url(ScreeningTestCase, "add"), case_post_data(
        draft, expected_flags='"naloxone"'))
    assert "Write the expected flags as a JSON list of flag keys" in text_of(response)
    assert not ScreeningTestCase.objects.filter(questionnaire=draft, name="A case").exists()


def test_admin_test_case_valid_case_saved_for_a_draft(staff, draft):
    response = staff.post(admin_url(ScreeningTestCase, "add"), case_post_data(
        draft, name="Good answers", expected_emergency="false",
        expected_flags='["naloxone", "naloxone"]'))
    assert response.status_code == 302, text_of(response)[:3000]
    case = ScreeningTestCase.objects.get(questionnaire=draft, name="Good answers")
    assert case.answers["suicide_thoughts"] == "no"
    assert (case.expected_emergency, case.expected_flags) == (False, ["naloxone"])


def test_admin_test_case_add_offers_only_drafts(admin_client, draft):
    response = admin_client.get(admin_url(ScreeningTestCase, "add"))
    field = response.context["adminform"].form.fields["questionnaire"]
    assert list(field.queryset) == [draft]
    response = admin_client.post(admin_url(ScreeningTestCase, "add"),
                                 case_post_data(v2_questionnaire()))
    assert "Select a valid choice" in text_of(response)


def test_admin_test_cases_filtered_by_version(admin_client, draft):
    url = admin_url(ScreeningTestCase, "changelist") + f"?questionnaire__id__exact={draft.pk}"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == V2_CASES


def test_admin_published_test_case_is_read_only(admin_client):
    case = ScreeningTestCase.objects.filter(questionnaire__version=2).first()
    url = admin_url(ScreeningTestCase, "change", case.pk)
    assert 'name="answers"' not in admin_client.get(url).content.decode()
    assert admin_client.post(url, case_post_data(v2_questionnaire())).status_code == 403


def test_admin_test_case_run_against_published(admin_client):
    cases = ScreeningTestCase.objects.filter(questionnaire__version=2).order_by("name")[:3]
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_published", "_selected_action": [c.pk for c in cases],
    })
    assert response.status_code == 200
    body = text_of(response)
    assert "Version 2 (Published)" in body
    assert "3 test cases passed, 0 failed." in body


def test_admin_test_case_run_against_own_version(admin_client):
    cases = [ScreeningTestCase.objects.filter(questionnaire__version=v).first() for v in (1, 2)]
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_own_version", "_selected_action": [c.pk for c in cases],
    })
    body = text_of(response)
    assert "Version 1 (Published)" in body and "Version 2 (Published)" in body
    assert body.count("1 test case passed, 0 failed.") == 2


def test_admin_test_case_run_against_latest_draft(admin_client, draft):
    Option.objects.filter(question__questionnaire=draft, question__key="frequency",
                          value="daily").update(points=7)
    case = ScreeningTestCase.objects.get(questionnaire=draft,
                                         name="Daily use, could not cut down many times")
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_draft", "_selected_action": [case.pk],
    })
    body = text_of(response)
    assert f"Version {draft.version} (Draft)" in body
    assert "0 test cases passed, 1 failed." in body
    assert "Expected Intensive outpatient (IOP), got Partial hospitalization (PHP)" in body


def test_admin_test_case_run_against_draft_without_draft_warns(admin_client):
    case = ScreeningTestCase.objects.first()
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_draft", "_selected_action": [case.pk],
    }, follow=True)
    assert "There is no such version yet." in text_of(response)


# --------------------------------------------------------------------------- roles


def test_clinical_reviewer_edits_rules_and_scores_but_content_editor_cannot(
    reviewer, client, django_user_model, draft
):
    rule = Rule.objects.filter(questionnaire=draft).first()
    score = Score.objects.filter(questionnaire=draft).first()
    assert reviewer.get(admin_url(Rule, "change", rule.pk)).status_code == 200
    assert reviewer.get(admin_url(Score, "change", score.pk)).status_code == 200
    assert 'name="clauses-0-values"' in reviewer.get(
        admin_url(Rule, "change", rule.pk)).content.decode()
    client.logout()
    client.force_login(make_staff(django_user_model, "editor", "Content editor"))
    for url in (admin_url(Rule, "change", rule.pk), admin_url(Score, "change", score.pk),
                admin_url(Rule, "changelist"), admin_url(Questionnaire, "preview", draft.pk)):
        assert client.get(url).status_code == 403, url



def test_admin_question_list_filters_by_step_and_shows_conditions(admin_client, draft):
    url = admin_url(Question, "changelist") + f"?questionnaire__id__exact={draft.pk}&step__key=use"
    response = admin_client.get(url)
    assert response.status_code == 200
    keys = {question.key for question in response.context["cl"].result_list}
    assert keys == {q.key for q in V2.questions if q.step == "use"}
    assert "substances includes any of alcohol" in text_of(response)
