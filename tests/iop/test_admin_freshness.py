"""Keeping listings fresh in the admin: "last checked" filter and bulk status changes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from iop.models import Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def _changelist(admin_client, **params):
    response = admin_client.get("/admin/iop/program/", params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def test_last_checked_filter_over_never_and_both(admin_client):
    today = timezone.localdate()
    never = make_program(last_verified=None)
    stale = make_program(last_verified=today - timedelta(days=settings.VERIFY_AFTER_DAYS + 1))
    edge = make_program(last_verified=today - timedelta(days=settings.VERIFY_AFTER_DAYS))
    recent = make_program(last_verified=today)
    assert _changelist(admin_client, verification="over") == {stale}
    assert _changelist(admin_client, verification="never") == {never}
    assert _changelist(admin_client, verification="due") == {never, stale}
    assert _changelist(admin_client, verification="recent") == {edge, recent}
    body = admin_client.get("/admin/iop/program/").content.decode()
    assert "By last checked" in body and "Never" in body


def _post_action(admin_client, programs, **extra):
    return admin_client.post("/admin/iop/program/", {
        "action": "change_accepting", "_selected_action": [str(p.pk) for p in programs], **extra,
    })


def test_change_accepting_asks_first_then_changes_each_with_history(admin_client):
    first, second = make_program(accepting="yes"), make_program(accepting="yes")
    untouched = make_program(accepting="yes")
    page = _post_action(admin_client, [first, second])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Choose the new status for these 2 programs" in body
    assert "Waitlist" in body and first.name in body
    first.refresh_from_db()
    assert first.accepting == "yes"  # nothing changes before the second page

    done = _post_action(admin_client, [first, second], apply="1", accepting="waitlist",
                        accepting_note="About two weeks")
    assert done.status_code == 302
    for program in (first, second):
        program.refresh_from_db()
        assert (program.accepting, program.accepting_note) == ("waitlist", "About two weeks")
        assert program.history.first().accepting == "waitlist"
    untouched.refresh_from_db()
    assert untouched.accepting == "yes"
    messages = admin_client.get("/admin/iop/program/").content.decode()
    assert "2 programs set to “Waitlist”" in messages


@pytest.mark.parametrize("status", ["", "maybe", "<b>"])
def test_change_accepting_bad_status_asks_again(admin_client, status):
    program = make_program(accepting="yes")
    response = _post_action(admin_client, [program], apply="1", accepting=status)
    assert response.status_code == 200
    assert "Please choose a status." in response.content.decode()
    program.refresh_from_db()
    assert program.accepting == "yes"
    assert Program.objects.filter(accepting="yes").count() == 1
