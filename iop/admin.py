"""Staff editing of the catalogue."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

from iop.admin_i18n import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline
from iop.admin_import import ProgramImportExportMixin
from iop.models import (
    Accreditation,
    CrisisResource,
    Language,
    LevelOfCare,
    Location,
    PaymentOption,
    Population,
    Program,
    ProgramService,
    Service,
)
from iop.services import search_index_batch
from iop.usage import service_slug_error, service_used_by


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose Revert also restores many-to-many fields.

    simple-history records the chosen rows of ``m2m_fields`` with every version, but its
    revert form starts from the object as it is now; here the form starts from the version.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        # history_form_view passes the object rebuilt from the version, which carries it.
        record = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if record is None:
            return form_class
        initial = {
            field.name: list(
                getattr(record, field.name).values_list(
                    f"{get_m2m_reverse_field_name(field)}_id", flat=True
                )
            )
            for field in record._history_m2m_fields
            if field.name in form_class.base_fields
        }

        class VersionForm(form_class):
            def __init__(self, *args, **form_kwargs):
                form_kwargs["initial"] = {**initial, **(form_kwargs.get("initial") or {})}
                super().__init__(*args, **form_kwargs)

        return VersionForm


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["program", "street", "city", "state", "postal_code", "latitude", "longitude",
                  "note"]
        help_texts = {
            "latitude": _("Leave latitude and longitude empty to fill them in from the ZIP code."),
        }


def coordinates_message(request, locations) -> None:
    """Say which locations got their coordinates from the ZIP code (Location.clean)."""
    filled = [location for location in locations if getattr(location, "coordinates_from_zip",
                                                             False)]
    for location in filled:
        messages.info(request, _(
            "The map position of “%(location)s” was filled in from ZIP code %(zip)s (the "
            "center of the ZIP code area). Enter the exact latitude and longitude if you "
            "know them.") % {"location": location, "zip": location.postal_code})


class LocationInline(TranslatedStackedInline):
    model = Location
    form = LocationForm
    extra = 0
    fields = [("street", "city"), ("state", "postal_code"), ("latitude", "longitude"), "note"]


class ProgramServiceInline(TranslatedTabularInline):
    model = ProgramService
    extra = 1
    autocomplete_fields = ["service"]


class VerificationFilter(admin.SimpleListFilter):
    title = _("last checked")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        days = {"days": settings.VERIFY_AFTER_DAYS}
        return [
            ("due", _("Over %(days)s days ago, or never") % days),
            ("over", _("Over %(days)s days ago") % days),
            ("never", _("Never")),
            ("recent", _("In the last %(days)s days") % days),
        ]

    def queryset(self, request, queryset):
        cutoff = timezone.localdate() - timedelta(days=settings.VERIFY_AFTER_DAYS)
        if self.value() == "due":
            return queryset.needs_verification()
        if self.value() == "over":
            return queryset.filter(last_verified__lt=cutoff)
        if self.value() == "never":
            return queryset.filter(last_verified=None)
        if self.value() == "recent":
            return queryset.filter(~Q(last_verified=None), last_verified__gte=cutoff)
        return queryset


class AcceptingForm(forms.Form):
    """The second page of the "Change accepting status" action."""

    accepting = forms.ChoiceField(
        label=_("New status"), choices=Program.Accepting.choices, widget=forms.RadioSelect
    )
    accepting_note = forms.CharField(
        label=_("Note on availability (optional)"), required=False, max_length=200,
        help_text=_("Replaces the note of every selected program. Leave empty to clear it."),
    )


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        states = dict(Location._meta.get_field("state").choices)
        used = Location.objects.order_by("state").values_list("state", flat=True).distinct()
        return [(code, states.get(code, code)) for code in used]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(locations__state=self.value()).distinct()
        return queryset


@admin.register(Program)
class ProgramAdmin(TranslatedAdmin, ProgramImportExportMixin, HistoryAdmin):
    list_display = [
        # Demo listings say "(Demo)" in their name (and have a filter): no column of their own,
        # so every column fits at 1280 px.
        "name", "organisation", "is_published", "accepting", "last_verified", "updated_at",
    ]
    list_filter = [
        "is_published", "levels", StateFilter, "accepting", VerificationFilter, "telehealth",
        "is_demo",
    ]
    search_fields = ["name", "organisation", "summary", "locations__city", "locations__postal_code"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["levels", "populations", "languages", "payment_options", "accreditations"]
    inlines = [LocationInline, ProgramServiceInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["publish", "unpublish", "mark_verified_today", "change_accepting"]
    date_hierarchy = "updated_at"
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": [
            "name", "slug", "organisation", "summary", "description", "is_published",
        ]}),
        (_("Availability"), {"fields": ["accepting", "accepting_note", "last_verified"]}),
        (_("Care offered"), {"fields": [
            "levels", ("hours_min", "hours_max"), "sessions_per_week", "length_weeks",
            ("schedule_day", "schedule_evening", "schedule_weekend"), "telehealth",
            "telehealth_states",
        ]}),
        (_("Who it serves"), {"fields": [
            "populations", "populations_only", ("age_min", "age_max"), "languages",
        ]}),
        (_("Payment"), {"fields": ["payment_options"]}),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (_("Quality signals"), {"fields": [
            "accreditations", "state_licensed", "physician", "licensed_clinicians",
            ("offers_buprenorphine", "offers_methadone", "offers_naltrexone"), "aftercare",
        ]}),
        (_("Record"), {"classes": ["collapse"], "fields": ["is_demo", "created_at", "updated_at"]}),
    ]

    @staticmethod
    def _save_each(queryset, **values) -> int:
        """Save one by one (not a bulk update) so each change lands in the audit history."""
        count = 0
        with search_index_batch():
            for program in queryset:
                for field, value in values.items():
                    setattr(program, field, value)
                program.save(update_fields=[*values, "updated_at"])
                count += 1
        return count

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The program and each of its inline rows would rebuild its search text: once is enough.
        with search_index_batch():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Location:
            coordinates_message(request, [f.instance for f in formset.forms
                                          if f.has_changed() and f not in formset.deleted_forms])

    @admin.action(description=_("Publish selected programs"), permissions=["change"])
    def publish(self, request, queryset):
        count = self._save_each(queryset, is_published=True)
        self.message_user(
            request,
            ngettext("%d program published.", "%d programs published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected programs"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._save_each(queryset, is_published=False)
        self.message_user(
            request,
            ngettext("%d program unpublished.", "%d programs unpublished.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark selected programs as verified today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        count = self._save_each(queryset, last_verified=timezone.localdate())
        self.message_user(
            request,
            ngettext("%d program marked verified.", "%d programs marked verified.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Change accepting status of selected programs"),
                  permissions=["change"])
    def change_accepting(self, request, queryset):
        """Asks for the new status on a second page, then saves each program (audited)."""
        form = AcceptingForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = self._save_each(queryset, **form.cleaned_data)
            status = dict(Program.Accepting.choices)[form.cleaned_data["accepting"]]
            self.message_user(request, ngettext(
                "%(count)d program set to “%(status)s”.",
                "%(count)d programs set to “%(status)s”.", count,
            ) % {"count": count, "status": status}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/iop/program/change_accepting.html", {
            **self.admin_site.each_context(request),
            "title": _("Change accepting status"),
            "opts": self.model._meta,
            "form": form,
            "programs": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


@admin.register(LevelOfCare)
class LevelOfCareAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "code", "rank", "asam_label", "hours_note", "setting"]
    readonly_fields = ["code", "rank"]
    ordering = ["rank"]

    def has_add_permission(self, request):
        return False  # the six codes are fixed; their texts are editable

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "slug", "category", "description"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        # Apps that refer to services by slug answer iop.usage.service_slug_check (the
        # published screening rules do, and refuse it in the model too; here it is a form
        # error instead of a crash).
        error = service_slug_error(self.instance, slug)
        if error is not None:
            raise error
        return slug


@admin.register(Service)
class ServiceAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    form = ServiceForm
    list_display = ["name", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_deleted_objects(self, objs, request):
        """A service another app uses (iop.usage.service_usage: a published screening version
        suggests it) is protected, like a PROTECT key: the delete page lists what uses it and
        refuses (the model refuses it too)."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        for service in objs:
            protected.extend(service_used_by(service))
        return to_delete, model_count, perms_needed, protected


@admin.register(Population, PaymentOption, Accreditation)
class LookupAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(TranslatedAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Location)
class LocationAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    form = LocationForm
    list_display = ["program", "street", "city", "state", "postal_code"]
    list_filter = ["state"]
    search_fields = ["program__name", "city", "postal_code", "street"]
    list_select_related = ["program"]
    autocomplete_fields = ["program"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        coordinates_message(request, [obj])


@admin.register(CrisisResource)
class CrisisResourceAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "number", "action", "is_emergency", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}


class ReadOnlyHistoryAdmin(admin.ModelAdmin):
    """Read-only audit trail for rows edited inside another form (a program's services, a
    question's options): who changed what, and when."""

    list_display = ["history_date", "history_type", "history_user", "__str__"]
    list_filter = ["history_type", "history_date"]
    list_select_related = ["history_user"]
    date_hierarchy = "history_date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgramService.history.model)
class ProgramServiceHistoryAdmin(ReadOnlyHistoryAdmin):
    list_display = ["history_date", "history_type", "history_user", "program", "service"]
