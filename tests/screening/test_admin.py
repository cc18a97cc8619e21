"""The screening rules in the admin: drafts, option order, test cases, publishing, locks."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from screening import default_questionnaire as v1
from screening.models import (
    Flag,
    Option,
    Question,
    Questionnaire,
    Requirement,
    ScreeningOutcome,
    ScreeningTestCase,
    SeverityBand,
    Step,
)
from screening.rules import live_rules
from screening.services import questionnaire_copy

pytestmark = pytest.mark.django_db

LOCKED = "Published versions cannot be changed — make a draft copy."


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def v1_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(version=v1.VERSION)


@pytest.fixture
def draft():
    return questionnaire_copy(source=v1_questionnaire())


def admin_url(model, view, *args):
    return reverse(f"admin:screening_{model._meta.model_name}_{view}", args=args)


def question_post_data(question: Question, changes: dict | None = None) -> dict:
    """The Question change form as the browser would send it, with option ``changes``
    (option value → {field: new value})."""
    changes = changes or {}
    data = {
        "step": question.step_id, "order": question.order, "key": question.key,
        "text": question.text, "help_text": question.help_text,
        "dimension": question.dimension, "_save": "Save",
    }
    if question.required:
        data["required"] = "on"
    if question.multiple:
        data["multiple"] = "on"
    options = list(question.options.order_by("order", "pk"))
    data.update({
        "options-TOTAL_FORMS": len(options), "options-INITIAL_FORMS": len(options),
        "options-MIN_NUM_FORMS": 0, "options-MAX_NUM_FORMS": 1000,
    })
    for i, option in enumerate(options):
        fields = {
            "id": option.pk, "question": question.pk, "order": option.order,
            "value": option.value, "label": option.label, "points": option.points,
            "min_level": option.min_level, "crisis": option.crisis,
            "flags": [flag.pk for flag in option.flags.all()],
            "requirement": option.requirement_id or "",
            "requirement_status": option.requirement_status,
            "explanation": option.explanation,
        }
        fields.update(changes.get(option.value, {}))
        if fields.pop("crisis"):
            fields["crisis"] = "on"
        data.update({f"options-{i}-{name}": value for name, value in fields.items()})
    return data


# --------------------------------------------------------------------------- pages load


@pytest.mark.parametrize(
    "model",
    [Questionnaire, Question, Requirement, SeverityBand, Flag, ScreeningTestCase, ScreeningOutcome],
)
def test_admin_changelist_loads(admin_client, model, draft):
    ScreeningOutcome.objects.create(
        date=timezone.localdate(), questionnaire_version=1, level="iop", crisis=False,
    )
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    "model", [Questionnaire, Question, Requirement, SeverityBand, Flag, ScreeningTestCase]
)
def test_admin_add_form_loads(admin_client, model, draft):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("published", [True, False], ids=["published", "draft"])
@pytest.mark.parametrize("model", [Question, Requirement, SeverityBand])
def test_admin_versioned_change_form_loads(admin_client, model, published, draft):
    questionnaire = v1_questionnaire() if published else draft
    obj = model.objects.filter(questionnaire=questionnaire).first()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert (LOCKED in text_of(response)) is published


@pytest.mark.parametrize("model", [Flag, ScreeningTestCase])
def test_admin_unversioned_change_form_loads(admin_client, model):
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_admin_questionnaire_change_forms_load(admin_client, draft):
    for questionnaire in (v1_questionnaire(), draft):
        response = admin_client.get(admin_url(Questionnaire, "change", questionnaire.pk))
        assert response.status_code == 200
        body = text_of(response)
        assert f"?questionnaire__id__exact={questionnaire.pk}" in body
        assert admin_url(Questionnaire, "copy", questionnaire.pk) in body
        assert admin_url(Questionnaire, "testcases", questionnaire.pk) in body
        publish_url = admin_url(Questionnaire, "publish", questionnaire.pk)
        assert (publish_url in body) is (not questionnaire.is_published)


def test_admin_outcome_change_form_is_view_only(admin_client):
    outcome = ScreeningOutcome.objects.create(
        date=timezone.localdate(), questionnaire_version=1, level="iop", crisis=True,
        unmet_requirements=["transport"],
    )
    response = admin_client.get(admin_url(ScreeningOutcome, "change", outcome.pk))
    assert response.status_code == 200
    assert 'name="level"' not in response.content.decode()
    response = admin_client.post(
        admin_url(ScreeningOutcome, "change", outcome.pk),
        {"date": "2000-01-01", "questionnaire_version": 1, "level": "php"},
    )
    assert response.status_code == 403
    outcome.refresh_from_db()
    assert outcome.level == "iop"


# --------------------------------------------------------------------------- outcomes


def test_admin_outcome_add_refused(admin_client):
    assert admin_client.get(admin_url(ScreeningOutcome, "add")).status_code == 403


def test_admin_outcome_delete_only_for_superusers(admin_client, client, django_user_model):
    outcome = ScreeningOutcome.objects.create(
        date=timezone.localdate(), questionnaire_version=1, level="iop", crisis=False,
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
            date=today, questionnaire_version=1, level=level, crisis=crisis,
        )
    response = admin_client.get(admin_url(ScreeningOutcome, "changelist"))
    assert response.context["level_summary"] == [
        ("Intensive outpatient (IOP)", 2), ("Partial hospitalization (PHP)", 1),
    ]
    assert response.context["crisis_count"] == 1
    filtered = admin_client.get(admin_url(ScreeningOutcome, "changelist") + "?level__exact=php")
    assert filtered.context["level_summary"] == [("Partial hospitalization (PHP)", 1)]


# --------------------------------------------------------------------------- options


def test_admin_option_order_violation_refused_naming_option(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="frequency")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"daily": {"points": 0}}),
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "Option 'daily' has fewer points (0)" in body
    assert Option.objects.get(question=question, value="daily").points == 4


def test_admin_option_lower_min_level_refused(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="withdrawal_danger")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"now": {"min_level": "iop"}}),
    )
    assert response.status_code == 200
    assert "Option 'now' has a lower minimum level" in text_of(response)


def test_admin_option_reorder_by_order_field_checked(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="consequences")
    # Putting "serious" (3 points) before "some" (1 point) breaks the order.
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"serious": {"order": 1}, "some": {"order": 2}}),
    )
    assert response.status_code == 200
    assert "Option 'some' has fewer points (1)" in text_of(response)


def test_admin_option_valid_change_saved(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="frequency")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"daily": {"points": 5, "label": "Every day"}}),
    )
    assert response.status_code == 302, text_of(response)[:3000]
    daily = Option.objects.get(question=question, value="daily")
    assert (daily.points, daily.label) == (5, "Every day")


def test_admin_option_requirement_without_status_refused(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="housing")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"yes": {"requirement_status": ""}}),
    )
    assert response.status_code == 200
    assert "Choose the status this answer gives the requirement." in text_of(response)
    assert Option.objects.get(question=question, value="yes").requirement_status == "met"


def test_admin_option_requirement_of_other_version_refused(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="housing")
    v1_requirement = Requirement.objects.get(questionnaire__version=v1.VERSION, key="transport")
    response = admin_client.post(
        admin_url(Question, "change", question.pk),
        question_post_data(question, {"yes": {"requirement": v1_requirement.pk}}),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)
    option = Option.objects.get(question=question, value="yes")
    assert option.requirement.questionnaire_id == draft.pk


def test_admin_question_step_of_other_version_is_a_form_error(admin_client, draft):
    question = Question.objects.get(questionnaire=draft, key="frequency")
    data = question_post_data(question)
    data["step"] = Step.objects.get(questionnaire__version=v1.VERSION, key="use").pk
    response = admin_client.post(admin_url(Question, "change", question.pk), data)
    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)


def test_admin_question_add_with_step_of_other_version_is_a_form_error(admin_client, draft):
    other_draft = questionnaire_copy(source=v1_questionnaire())
    data = {
        "questionnaire": draft.pk,
        "step": Step.objects.get(questionnaire=other_draft, key="use").pk,
        "order": 9, "key": "new_question", "text": "A new question?", "required": "on",
        "options-TOTAL_FORMS": 1, "options-INITIAL_FORMS": 0,
        "options-MIN_NUM_FORMS": 0, "options-MAX_NUM_FORMS": 1000,
        "options-0-order": 0, "options-0-value": "no", "options-0-label": "No",
        "options-0-points": 0,
    }
    response = admin_client.post(admin_url(Question, "add"), data)
    assert response.status_code == 200
    assert "Choose a step of the same questionnaire version." in text_of(response)
    assert not Question.objects.filter(key="new_question").exists()


# --------------------------------------------------------------------------- locks


def test_admin_published_question_read_only(admin_client):
    question = Question.objects.get(questionnaire__version=v1.VERSION, key="frequency")
    url = admin_url(Question, "change", question.pk)
    response = admin_client.get(url)
    body = response.content.decode()
    assert LOCKED in text_of(response)
    assert 'name="text"' not in body
    assert 'name="options-0-points"' not in body
    response = admin_client.post(
        url, question_post_data(question, {"daily": {"points": 0}}) | {"text": "Changed?"}
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.text != "Changed?"
    assert Option.objects.get(question=question, value="daily").points == 4


def test_admin_published_questionnaire_read_only(admin_client):
    questionnaire = v1_questionnaire()
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
    assert 'name="steps-0-title"' in body
    assert 'name="requirements-0-applies_to"' in body


def test_admin_published_rows_cannot_be_deleted(admin_client):
    band = SeverityBand.objects.filter(questionnaire__version=v1.VERSION).first()
    response = admin_client.post(admin_url(SeverityBand, "delete", band.pk), {"post": "yes"})
    assert response.status_code == 403
    assert SeverityBand.objects.filter(pk=band.pk).exists()
    questionnaire = v1_questionnaire()
    response = admin_client.post(
        admin_url(Questionnaire, "delete", questionnaire.pk), {"post": "yes"}
    )
    assert response.status_code == 403


def test_admin_draft_questionnaire_can_be_deleted(admin_client, draft):
    response = admin_client.post(admin_url(Questionnaire, "delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Questionnaire.objects.filter(pk=draft.pk).exists()
    assert not Question.objects.filter(questionnaire_id=draft.pk).exists()


def test_admin_flag_used_by_published_version_cannot_be_deleted(admin_client):
    used = Flag.objects.get(key="emergency")
    unused = Flag.objects.create(key="spare", name="Spare")
    assert admin_client.get(admin_url(Flag, "delete", used.pk)).status_code == 403
    assert admin_client.post(admin_url(Flag, "delete", unused.pk), {"post": "yes"}).status_code \
        == 302
    assert not Flag.objects.filter(pk=unused.pk).exists()


# --------------------------------------------------------------------------- copy, test, publish


def test_admin_copy_button_makes_a_draft(admin_client):
    source = v1_questionnaire()
    response = admin_client.post(admin_url(Questionnaire, "copy", source.pk))
    copy = Questionnaire.objects.get(version=source.version + 1)
    assert response.status_code == 302
    assert response["Location"] == admin_url(Questionnaire, "change", copy.pk)
    assert copy.status == Questionnaire.Status.DRAFT
    assert copy.questions.count() == source.questions.count()


def test_admin_copy_button_refuses_get(admin_client):
    source = v1_questionnaire()
    assert admin_client.get(admin_url(Questionnaire, "copy", source.pk)).status_code == 405
    assert Questionnaire.objects.count() == 1


def test_admin_copy_action(admin_client):
    source = v1_questionnaire()
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "make_draft_copy", "_selected_action": [source.pk]}, follow=True,
    )
    assert response.status_code == 200
    assert Questionnaire.objects.filter(based_on=source, status="draft").count() == 1
    assert "was made from version 1" in text_of(response)


def test_admin_run_test_cases_action_v1_all_pass(admin_client):
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "run_test_cases", "_selected_action": [v1_questionnaire().pk]},
    )
    assert response.status_code == 200
    body = text_of(response)
    assert "27 test cases passed, 0 failed." in body
    assert "FAIL" not in body


def test_admin_test_cases_page_shows_expected_and_actual(admin_client, draft):
    ScreeningTestCase.objects.create(
        name="Expect PHP for no use", answers=v1.BASE_ANSWERS, expected_level="php",
    )
    response = admin_client.get(admin_url(Questionnaire, "testcases", draft.pk))
    assert response.status_code == 200
    body = text_of(response)
    assert "27 test cases passed, 1 failed." in body
    assert "expected php, got self_help" in body


def test_admin_publish_refused_when_a_test_case_fails(admin_client, draft):
    ScreeningTestCase.objects.create(
        name="Expect PHP for no use", answers=v1.BASE_ANSWERS, expected_level="php",
    )
    response = admin_client.post(
        admin_url(Questionnaire, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]}, follow=True,
    )
    body = text_of(response)
    assert "was not published" in body
    assert "Test case “Expect PHP for no use” fails: expected php, got self_help" in body
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.DRAFT
    assert live_rules().version == v1.VERSION


def test_admin_publish_each_reason_shown(admin_client, draft):
    SeverityBand.objects.filter(questionnaire=draft, level="php").delete()
    response = admin_client.post(admin_url(Questionnaire, "publish", draft.pk), follow=True)
    body = text_of(response)
    assert "Rules problem: No band covers 9 points." in body
    assert "Rules problem: No band covers 11 points." in body
    draft.refresh_from_db()
    assert not draft.is_published


def test_admin_publish_succeeds_and_live_rules_switch(admin_client, draft):
    assert live_rules().version == v1.VERSION
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


@pytest.mark.parametrize(
    ("answers", "code_message"),
    [
        ('["no"]', "Write the answers as a JSON object"),
        ('{"safety": 1}', "The answer to safety must be text or a list of text."),
        ('{"substances": ["alcohol", 2]}', "The answer to substances must be text"),
    ],
)
def test_admin_test_case_answers_must_be_object_of_text(admin_client, answers, code_message):
    response = admin_client.post(admin_url(ScreeningTestCase, "add"), {
        "name": "Bad answers", "answers": answers, "expected_level": "iop", "is_active": "on",
    })
    assert response.status_code == 200
    assert code_message in text_of(response)
    assert not ScreeningTestCase.objects.filter(name="Bad answers").exists()


def test_admin_test_case_valid_answers_saved(admin_client):
    response = admin_client.post(admin_url(ScreeningTestCase, "add"), {
        "name": "Good answers", "answers": '{"safety": "no", "substances": ["alcohol"]}',
        "expected_level": "iop", "is_active": "on",
    })
    assert response.status_code == 302
    assert ScreeningTestCase.objects.get(name="Good answers").answers["safety"] == "no"


def test_admin_test_case_run_against_published(admin_client):
    cases = ScreeningTestCase.objects.order_by("name")[:3]
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_published", "_selected_action": [c.pk for c in cases],
    })
    assert response.status_code == 200
    assert "3 test cases passed, 0 failed." in text_of(response)


def test_admin_test_case_run_against_latest_draft(admin_client, draft):
    Option.objects.filter(question__questionnaire=draft, question__key="frequency",
                          value="daily").update(points=7)
    case = ScreeningTestCase.objects.get(name="Daily use, can't cut down")
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_draft", "_selected_action": [case.pk],
    })
    body = text_of(response)
    assert f"Version {draft.version} (Draft)" in body
    assert "0 test cases passed, 1 failed." in body
    assert "expected iop, got php" in body


def test_admin_test_case_run_against_draft_without_draft_warns(admin_client):
    case = ScreeningTestCase.objects.first()
    response = admin_client.post(admin_url(ScreeningTestCase, "changelist"), {
        "action": "run_against_draft", "_selected_action": [case.pk],
    }, follow=True)
    assert "There is no such version yet." in text_of(response)
