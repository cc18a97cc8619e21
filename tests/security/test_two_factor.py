"""Each staff member sets up, confirms and removes their own authenticator app."""

import re
from base64 import b32encode

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security.test_headers import assert_strict_csp
from tests.security.test_staff import make_staff, text_of, totp_token

pytestmark = pytest.mark.django_db

PAGE = "/admin/two-factor/"


@pytest.fixture
def alice(client, django_user_model):
    client.force_login(make_staff(django_user_model, "alice", "Content editor"))
    return client


@pytest.fixture
def bob_device(django_user_model):
    bob = make_staff(django_user_model, "bob", "Clinical reviewer")
    return TOTPDevice.objects.create(user=bob, name="Bob's secret phone", confirmed=False)


def test_page_url_and_link_in_the_admin(alice):
    assert reverse("admin:two_factor") == PAGE
    assert f'href="{PAGE}"' in alice.get("/admin/").content.decode()


def test_page_needs_a_staff_login(client, django_user_model):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(django_user_model.objects.create_user("visitor", password="x" * 14))
    assert client.get(PAGE).status_code == 302


def test_add_shows_qr_code_and_key_then_confirm_with_a_code(alice):
    page = alice.get(PAGE)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert_strict_csp(page)
    assert "You have not set up an authenticator app yet" in text_of(page)

    response = alice.post(PAGE, {"action": "add", "name": "Work phone"})
    assert response.status_code == 302 and response["Location"] == PAGE
    device = TOTPDevice.objects.get(user__username="alice")
    assert device.name == "Work phone" and not device.confirmed

    page = alice.get(PAGE)
    body = page.content.decode()
    qr = re.search(r'<img class="two-factor-qr" src="(data:image/svg\+xml[^"]+)"', body)
    assert qr, "the QR code is an inline data: image (the CSP allows img-src data:)"
    assert "data:" in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    secret = b32encode(device.bin_key).decode()
    shown = re.search(r'class="two-factor-secret">([^<]+)<', body).group(1)
    assert "".join(shown.split()) == secret  # for typing in by hand

    wrong = alice.post(PAGE, {"action": "confirm", "token": "000000"})
    if totp_token(device) != "000000":
        assert wrong.status_code == 200
        assert "That code did not match" in text_of(wrong)
    device.refresh_from_db()
    device.throttle_reset()
    response = alice.post(PAGE, {"action": "confirm", "token": totp_token(device)})
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    device.refresh_from_db()
    assert device.confirmed
    assert "Ready" in text_of(alice.get(PAGE))


def test_confirm_refuses_what_is_not_six_digits(alice):
    alice.post(PAGE, {"action": "add", "name": "Phone"})
    for token in ("", "12345", "abcdef", "1234567", "<script>"):
        response = alice.post(PAGE, {"action": "confirm", "token": token})
        assert response.status_code == 200
    assert not TOTPDevice.objects.get(user__username="alice").confirmed


def test_remove_own_device(alice):
    alice.post(PAGE, {"action": "add", "name": "Old phone"})
    device = TOTPDevice.objects.get(user__username="alice")
    response = alice.post(PAGE, {"action": "remove", "device": device.pk})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_nobody_sees_or_removes_someone_elses_device(alice, bob_device):
    body = alice.get(PAGE).content.decode()
    assert "Bob" not in body
    assert bob_device.key not in body and bob_device.key.upper() not in body
    response = alice.post(PAGE, {"action": "remove", "device": bob_device.pk})
    assert response.status_code == 404
    for junk in ("", "abc", "1 OR 1=1", "-1"):
        assert alice.post(PAGE, {"action": "remove", "device": junk}).status_code == 404
    response = alice.post(PAGE, {"action": "confirm", "token": totp_token(bob_device)})
    assert response.status_code in (200, 302)
    bob_device.refresh_from_db()
    assert TOTPDevice.objects.filter(pk=bob_device.pk).exists() and not bob_device.confirmed
    # Nor in the device admin: only superusers have the otp_totp permissions.
    assert alice.get("/admin/otp_totp/totpdevice/").status_code == 403
    assert alice.get(f"/admin/otp_totp/totpdevice/{bob_device.pk}/config/").status_code in (
        302, 403, 404)


@override_settings(STAFF_REQUIRE_2FA=True)
def test_with_2fa_required_a_verified_member_can_add_a_second_device(client, django_user_model):
    user = make_staff(django_user_model, "carol", "Content editor")
    first = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client.post(reverse("admin:login"), {
        "username": "carol", "password": "a-long-staff-password-123",
        "otp_device": first.persistent_id, "otp_token": totp_token(first), "next": "/admin/",
    })
    assert client.get("/admin/").status_code == 200
    assert client.post(PAGE, {"action": "add", "name": "Tablet"}).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 2
