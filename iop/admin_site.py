"""The staff admin site: Django's admin, with a second factor when an administrator asks for it.

With ``STAFF_REQUIRE_2FA`` on, signing in needs a code from an authenticator app (a TOTP device
set up under "OTP TOTP → TOTP devices") and only verified staff may use the admin. With it off
(the default) the admin works as usual; staff can still set up devices ahead of time. The
setting is read on every request, so it can be switched without code changes.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import AdminSite
from django.shortcuts import render
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


def staff_2fa_required() -> bool:
    return bool(getattr(settings, "STAFF_REQUIRE_2FA", False))


class StaffAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if staff_2fa_required() else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if staff_2fa_required() else None

    def has_permission(self, request):
        if staff_2fa_required():
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def each_context(self, request):
        return {**super().each_context(request), **_lockout_context()}


def _lockout_context() -> dict:
    return {
        "lockout_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a plain-words admin page, status 429."""
    context = {
        **admin.site.each_context(request),
        "title": "",
        "username": (credentials or {}).get("username", ""),
    }
    return render(
        request, "admin/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
