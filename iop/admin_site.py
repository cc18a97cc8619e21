"""The staff admin site: Django's admin, with a second factor when an administrator asks for it.

With ``STAFF_REQUIRE_2FA`` on, signing in needs a code from an authenticator app and only
verified staff may use the admin. Each staff member sets up their own app on the
"Two-step sign-in" page (``/admin/two-factor/``); someone who has none yet signs in with the
password alone and is sent straight there. With it off (the default) the admin works as
usual and staff can set up their app ahead of time. The setting is read on every request.
"""

import ipaddress
from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_totp.models import TOTPDevice


def staff_2fa_required() -> bool:
    return bool(getattr(settings, "STAFF_REQUIRE_2FA", False))


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _is_verified(user) -> bool:
    # Right after auth.login() request.user is a fresh object OTPMiddleware has not seen.
    is_verified = getattr(user, "is_verified", None)
    return is_verified() if callable(is_verified) else getattr(user, "otp_device", None) is not None


def needs_device_setup(request) -> bool:
    """Signed-in active staff, 2FA required, and no confirmed authenticator app yet."""
    user = request.user
    return (
        staff_2fa_required() and user.is_authenticated and user.is_active and user.is_staff
        and not _is_verified(user) and not has_confirmed_device(user)
    )


class StaffAuthenticationForm(OTPAdminAuthenticationForm):
    """The code is needed once the account has a confirmed app; before that the password
    alone signs in, and the site then sends the person to set one up (and nowhere else)."""

    def clean(self):
        self.cleaned_data = super(OTPAdminAuthenticationForm, self).clean()
        user = self.get_user()
        if user is not None and has_confirmed_device(user):
            self.clean_otp(user)
        return self.cleaned_data


class StaffAdminSite(OTPAdminSite):
    def __init__(self, name="admin"):
        super().__init__(name)

    @property
    def login_form(self):
        return StaffAuthenticationForm if staff_2fa_required() else AdminAuthenticationForm

    def login(self, request, extra_context=None):
        if needs_device_setup(request):
            return redirect("admin:two_factor")
        response = super().login(request, extra_context)
        if request.method == "POST" and needs_device_setup(request):
            return redirect("admin:two_factor")
        return response

    def get_urls(self):
        return [
            path("two-factor/", two_factor_view, name="two_factor"),
            *super().get_urls(),
        ]

    @property
    def login_template(self):
        return OTPAdminSite.login_template if staff_2fa_required() else None

    def has_permission(self, request):
        if staff_2fa_required():
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def each_context(self, request):
        return {**super().each_context(request), **_lockout_context()}

    def get_app_list(self, request, app_label=None):
        """The index and sidebar grouped by task (iop.admin_index); an app's page as usual."""
        from iop.admin_index import app_list_by_task, app_list_plain

        app_list = app_list_plain(super().get_app_list(request, app_label))
        return app_list if app_label else app_list_by_task(app_list)


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


def client_ip_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address a sign-in comes from.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies sit in front: each appends the address it
    saw to X-Forwarded-For, so the client is that many entries from the right (entries
    further left can be forged by the client and are ignored).
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # did not come through all the proxies
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


# --------------------------------------------------------------------------- own TOTP device


class DeviceNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the device"), max_length=64, initial=_("My phone"),
        help_text=_("So you can tell your devices apart, for example “Work phone”."),
    )


class ConfirmDeviceForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code from the app"), regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits the app shows, without spaces.")},
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*",
            "maxlength": "6", "size": "8",
        }),
    )


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _qr_data_uri(device) -> str:
    """The otpauth:// link as an SVG QR code in a data: URI (the CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(
        scale=5, border=2, dark="#000", light="#fff"
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_view(request):
    """A staff member's own authenticator apps: add one, confirm it with a code, remove one.

    Only ever the signed-in person's devices (other people's secrets are for superusers in
    the device admin). Reachable without a verified session only while the person has no
    confirmed device; otherwise signing in with a code comes first.
    """
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if staff_2fa_required() and not _is_verified(user) and has_confirmed_device(user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))

    devices = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "name", "pk")
    pending = devices.filter(confirmed=False).order_by("-pk").first()
    add_form = DeviceNameForm()
    confirm_form = ConfirmDeviceForm()
    here = reverse("admin:two_factor")

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = DeviceNameForm(request.POST)
            if add_form.is_valid():
                # One unconfirmed device at a time: a new one replaces an unfinished one.
                devices.filter(confirmed=False).delete()
                TOTPDevice.objects.create(
                    user=user, name=add_form.cleaned_data["name"], confirmed=False
                )
                return redirect(here)
        elif action == "confirm" and pending is not None:
            confirm_form = ConfirmDeviceForm(request.POST)
            if confirm_form.is_valid():
                if pending.verify_token(confirm_form.cleaned_data["token"].strip()):
                    pending.confirmed = True
                    pending.save(update_fields=["confirmed"])
                    otp_login(request, pending)  # this session now counts as verified
                    messages.success(request, _(
                        "Your authenticator app is set up. From now on, signing in can ask "
                        "for its 6-digit code."))
                    return redirect("admin:index")
                confirm_form.add_error("token", forms.ValidationError(
                    _("That code did not match. Check the clock on your phone is right, wait "
                      "for a new code and try again."), code="token_mismatch"))
        elif action == "remove":
            device_id = request.POST.get("device", "")
            if not device_id.isdigit():
                raise Http404
            device = get_object_or_404(devices, pk=device_id)
            device.delete()
            messages.success(request, _("“%(name)s” was removed.") % {"name": device.name})
            return redirect(here)
        else:
            return redirect(here)

    context = {
        **admin.site.each_context(request),
        "title": _("Two-step sign-in"),
        "devices": devices,
        "pending": pending,
        "pending_qr": _qr_data_uri(pending) if pending else "",
        "pending_secret": _grouped_secret(pending) if pending else "",
        "add_form": add_form,
        "confirm_form": confirm_form,
        "required": staff_2fa_required(),
        "setup_needed": needs_device_setup(request),
    }
    return render(request, "admin/two_factor.html", context)
