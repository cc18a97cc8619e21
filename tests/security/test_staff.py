"""Staff accounts: lockout, roles, audit history and the optional second factor."""

import html
import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from iop.models import LevelOfCare, Program
from screening.models import Flag, Option, Question, Questionnaire
from screening.services import questionnaire_copy

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-staff-password-123"


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def make_staff(django_user_model, username, *groups):
    user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def login_post(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


def admin_form_data(response) -> dict:
    """The data a browser would post back for the admin form on ``response``."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool) or getattr(field.widget, "input_type", "") == "checkbox":
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


# --------------------------------------------------------------------------- lockout


def test_five_failed_logins_lock_the_account_ip_pair_with_a_clear_message(
    client, django_user_model
):
    make_staff(django_user_model, "sam")
    for attempt in range(4):
        response = login_post(client, "sam", f"wrong-{attempt}")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in text_of(response)
    response = login_post(client, "sam", "wrong-5")
    assert response.status_code == 429
    body = text_of(response)
    assert "Too many failed sign-in attempts" in body
    assert "wait 30 minutes" in body

    # Even the right password is refused from here while the pause lasts...
    assert login_post(client, "sam", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the same account from another address is not locked (username + IP pairs).
    other = login_post(client.__class__(), "sam", PASSWORD, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_lockout_ends_after_the_cool_off(client, django_user_model):
    make_staff(django_user_model, "kim")
    for attempt in range(5):
        login_post(client, "kim", f"wrong-{attempt}")
    assert login_post(client, "kim", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=31))
    response = login_post(client, "kim", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_login_page_tells_staff_about_the_lockout(client):
    body = text_of(client.get(reverse("admin:login")))
    assert "after 5 wrong passwords in a row, signing in is paused for 30 minutes" in body


# --------------------------------------------------------------------------- roles


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(make_staff(django_user_model, "editor", "Content editor"))
    return client


@pytest.fixture
def reviewer(client, django_user_model):
    client.force_login(make_staff(django_user_model, "reviewer", "Clinical reviewer"))
    return client


@pytest.fixture
def draft():
    """A draft copy of the live (latest published) version."""
    return questionnaire_copy(
        source=Questionnaire.objects.filter(status="published").order_by("-version").first()
    )


def test_roles_exist_after_migrations():
    editor = set(Group.objects.get(name="Content editor").permissions.values_list(
        "codename", flat=True))
    reviewer = set(Group.objects.get(name="Clinical reviewer").permissions.values_list(
        "codename", flat=True))
    assert {"change_program", "add_location", "change_service", "change_levelofcare",
            "change_crisisresource", "view_historicalprogram"} <= editor
    assert {"change_question", "change_option", "change_requirement", "change_severityband",
            "change_screeningtestcase", "publish_questionnaire"} <= reviewer
    # The rule models of questionnaire version 2 (migration 0010).
    assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")
            for model in ("score", "scoreband", "rule", "clause")} <= reviewer
    assert {"view_historicalrule", "view_historicalclause", "view_historicalscore",
            "view_historicalscoreband"} <= reviewer
    rule_models = {"questionnaire", "step", "question", "option", "requirement", "severityband",
                   "flag", "screeningtestcase", "score", "scoreband", "rule", "clause",
                   "historicalscore", "historicalscoreband", "historicalrule",
                   "historicalclause"}
    assert not {c for c in editor if c.split("_", 1)[1] in rule_models}
    assert "publish_questionnaire" not in editor
    assert "change_program" not in reviewer


def test_content_editor_can_edit_programs(editor, program):
    url = reverse("admin:iop_program_change", args=[program.pk])
    response = editor.get(url)
    assert response.status_code == 200
    data = admin_form_data(response)
    data["summary_en"] = "Edited by the content editor."
    assert editor.post(url, data).status_code == 302
    program.refresh_from_db()
    assert program.summary == "Edited by the content editor."


def test_content_editor_cannot_change_or_publish_screening_rules(editor, draft):
    question = Question.objects.filter(questionnaire=draft).first()
    assert editor.get(reverse("admin:screening_question_change", args=[question.pk])
                      ).status_code == 403
    assert editor.post(reverse("admin:screening_question_change", args=[question.pk]),
                       {"text": "Changed"}).status_code == 403
    assert editor.get(reverse("admin:screening_questionnaire_changelist")).status_code == 403
    publish = reverse("admin:screening_questionnaire_publish", args=[draft.pk])
    assert editor.post(publish).status_code == 403
    response = editor.post(
        reverse("admin:screening_questionnaire_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.DRAFT
    assert Question.objects.get(pk=question.pk).text == question.text


def test_clinical_reviewer_can_edit_and_publish_rules(reviewer, draft):
    question = Question.objects.filter(questionnaire=draft).first()
    assert reviewer.get(reverse("admin:screening_question_change", args=[question.pk])
                        ).status_code == 200
    response = reviewer.post(reverse("admin:screening_questionnaire_publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Questionnaire.Status.PUBLISHED


def test_clinical_reviewer_cannot_edit_programs(reviewer, program):
    url = reverse("admin:iop_program_change", args=[program.pk])
    assert reviewer.get(url).status_code == 403
    assert reviewer.post(url, {"name": "Hijacked", "summary": "x"}).status_code == 403
    assert reviewer.get(reverse("admin:iop_program_add")).status_code == 403
    program.refresh_from_db()
    assert program.name == "Safe Harbour IOP"


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/iop/program/", "/admin/screening/questionnaire/",
             "/admin/screening/question/1/change/"],
)
def test_anonymous_users_are_sent_to_the_login_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


# --------------------------------------------------------------------------- history


def test_program_edit_is_audited_and_can_be_reverted(admin_client, admin_user, program):
    original = program.summary
    original_levels = set(program.levels.values_list("code", flat=True))
    assert original_levels and "php" not in original_levels
    before = program.history.first()  # the version to go back to
    url = reverse("admin:iop_program_change", args=[program.pk])
    data = admin_form_data(admin_client.get(url))
    data["summary_en"] = "A wrong summary typed by mistake."
    data["levels"] = [str(LevelOfCare.objects.get(code="php").pk)]
    assert admin_client.post(url, data).status_code == 302
    assert set(program.levels.values_list("code", flat=True)) == {"php"}

    latest = program.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert latest.summary == "A wrong summary typed by mistake."
    assert {row.levelofcare.code for row in latest.levels.all()} == {"php"}

    history_page = admin_client.get(reverse("admin:iop_program_history", args=[program.pk]))
    assert history_page.status_code == 200
    assert admin_user.username in text_of(history_page)

    revert_url = reverse("admin:iop_program_simple_history", args=[program.pk, before.pk])
    revert_page = admin_client.get(revert_url)
    assert revert_page.status_code == 200
    assert admin_client.post(revert_url, admin_form_data(revert_page)).status_code == 302
    program.refresh_from_db()
    assert program.summary == original
    assert set(program.levels.values_list("code", flat=True)) == original_levels
    assert program.history.first().history_user == admin_user


def test_many_to_many_rule_edits_are_in_the_history(admin_client, admin_user, draft):
    """An option's flags and a requirement's levels and services are kept with each version."""
    option = Option.objects.filter(question__questionnaire=draft).exclude(
        flags__key="emergency").first()
    option.flags.add(Flag.objects.get(key="emergency"))
    assert "emergency" in {row.flag.key for row in option.history.first().flags.all()}

    requirement = draft.requirements.first()
    old_levels = set(requirement.applies_to.values_list("code", flat=True))
    earlier = requirement.history.first()
    url = reverse("admin:screening_requirement_change", args=[requirement.pk])
    data = admin_form_data(admin_client.get(url))
    data["applies_to"] = [str(LevelOfCare.objects.get(code="outpatient").pk)]
    data["remedies"] = []
    assert admin_client.post(url, data).status_code == 302
    record = requirement.history.first()
    assert record.history_user == admin_user
    assert {row.levelofcare.code for row in record.applies_to.all()} == {"outpatient"}
    assert not record.remedies.exists()

    assert {row.levelofcare.code for row in earlier.applies_to.all()} == old_levels
    revert_url = reverse(
        "admin:screening_requirement_simple_history", args=[requirement.pk, earlier.pk]
    )
    revert_page = admin_client.get(revert_url)
    assert admin_client.post(revert_url, admin_form_data(revert_page)).status_code == 302
    assert set(requirement.applies_to.values_list("code", flat=True)) == old_levels


def test_publish_action_is_audited(admin_client, admin_user, program):
    Program.objects.filter(pk=program.pk).update(is_published=False)
    admin_client.post(
        reverse("admin:iop_program_changelist"),
        {"action": "publish", "_selected_action": [program.pk]},
    )
    latest = program.history.first()
    assert latest.is_published and latest.history_user == admin_user


def test_screening_rule_edits_are_audited(admin_client, admin_user, draft):
    from tests.screening.test_admin import question_post_data

    question = Question.objects.filter(questionnaire=draft, key="frequency").get()
    url = reverse("admin:screening_question_change", args=[question.pk])
    data = question_post_data(question)
    data["help_text_en"] = "Edited why-we-ask text."
    assert admin_client.post(url, data).status_code == 302
    record = question.history.first()
    assert record.help_text == "Edited why-we-ask text."
    assert record.history_user == admin_user
    assert admin_client.get(
        reverse("admin:screening_question_history", args=[question.pk])
    ).status_code == 200


# --------------------------------------------------------------------------- second factor


def totp_token(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def test_without_2fa_requirement_staff_sign_in_with_a_password(client, django_user_model):
    make_staff(django_user_model, "pat", "Content editor")
    response = login_post(client, "pat", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_REQUIRE_2FA=True)
def test_with_2fa_required_a_password_alone_is_not_enough(client, django_user_model):
    user = make_staff(django_user_model, "pat", "Content editor")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)  # signed in, but not verified by a device
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    login_page = client.get(reverse("admin:login"))
    assert 'name="otp_token"' in login_page.content.decode()
    # Nor can a password-only session reach the device page to add another app.
    assert client.get(reverse("admin:two_factor"))["Location"].startswith("/admin/login/")

    client.logout()
    response = login_post(client, "pat", PASSWORD)
    assert response.status_code == 200  # a code is needed: refused with a form error
    assert client.get("/admin/").status_code == 302

    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("admin:login"), {
        "username": "pat", "password": PASSWORD, "otp_device": device.persistent_id,
        "otp_token": "not-a-code", "next": "/admin/",
    })
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


@override_settings(STAFF_REQUIRE_2FA=True)
def test_with_2fa_required_staff_without_an_app_are_sent_to_set_one_up(
    client, django_user_model
):
    make_staff(django_user_model, "pat", "Content editor")
    response = login_post(client, "pat", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:two_factor")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Set up your app here before you continue" in text_of(page)
    # The rest of the admin stays closed until the app is confirmed...
    admin_page = client.get("/admin/iop/program/")
    assert admin_page.status_code == 302
    assert client.get(admin_page["Location"])["Location"] == reverse("admin:two_factor")
    # ...which signs this session in with it.
    client.post(reverse("admin:two_factor"), {"action": "add", "name": "Phone"})
    device = TOTPDevice.objects.get(user__username="pat")
    response = client.post(
        reverse("admin:two_factor"), {"action": "confirm", "token": totp_token(device)}
    )
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    assert client.get("/admin/").status_code == 200


@override_settings(STAFF_REQUIRE_2FA=True)
def test_with_2fa_required_a_totp_code_lets_staff_in(client, django_user_model):
    user = make_staff(django_user_model, "pat", "Content editor")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(reverse("admin:login"), {
        "username": "pat", "password": PASSWORD, "otp_device": device.persistent_id,
        "otp_token": totp_token(device), "next": "/admin/",
    })
    assert response.status_code == 302, text_of(response)[:2000]
    assert client.get("/admin/").status_code == 200


def test_history_of_inline_rows_is_visible_read_only(admin_client, draft):
    option = draft.questions.get(key="frequency").options.first()
    option.label = "Changed label"
    option.save()
    for name in ("historicaloption", "historicalstep"):
        response = admin_client.get(reverse(f"admin:screening_{name}_changelist"))
        assert response.status_code == 200
    assert admin_client.get(reverse("admin:iop_historicalprogramservice_changelist")
                            ).status_code == 200
    record = option.history.first()
    assert admin_client.get(
        reverse("admin:screening_historicaloption_change", args=[record.pk])
    ).status_code == 200  # view only
    assert admin_client.post(
        reverse("admin:screening_historicaloption_change", args=[record.pk]), {}
    ).status_code == 403


# --------------------------------------------------------------------------- client address


def _fail_five_times(client, username, **extra):
    for attempt in range(5):
        login_post(client, username, f"wrong-{attempt}", **extra)


def test_lockout_ignores_x_forwarded_for_by_default(client, django_user_model):
    """Without trusted proxies the header is the client's to forge: it must change nothing."""
    make_staff(django_user_model, "lee")
    for attempt in range(5):
        login_post(client, "lee", f"wrong-{attempt}", REMOTE_ADDR="10.0.0.9",
                   HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    response = login_post(client.__class__(), "lee", PASSWORD, REMOTE_ADDR="10.0.0.9",
                          HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.9"}


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_the_forwarded_client_address_is_locked_out(
    client, django_user_model
):
    make_staff(django_user_model, "lee")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client forges an entry on the left; the proxy appends the address it saw.
    _fail_five_times(client, "lee", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **proxy)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    locked = login_post(client.__class__(), "lee", PASSWORD,
                        HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy)
    assert locked.status_code == 429
    # Another person behind the same proxy is not locked out with them.
    other = login_post(client.__class__(), "lee", PASSWORD,
                       HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [(0, "203.0.113.5", "10.0.0.2"), (1, "203.0.113.5", "203.0.113.5"),
     (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"), (2, "6.6.6.6, 203.0.113.5, 10.0.0.1",
                                                  "203.0.113.5"),
     (2, "203.0.113.5", "10.0.0.2"), (1, "", "10.0.0.2"), (1, "not-an-ip", "10.0.0.2"),
     (1, "2001:db8::1", "2001:db8::1")],
)
def test_client_ip_address(rf, count, forwarded, expected):
    from iop.admin_site import client_ip_address

    request = rf.get("/admin/login/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_ip_address(request) == expected
