"""Staff handling of problem reports: see what is open, check the listing, resolve."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from reports.models import ListingReport
from reports.services import report_resolve


class StatusFilter(admin.SimpleListFilter):
    """Open reports first: the list starts filtered to them."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value in (ListingReport.Status.OPEN, ListingReport.Status.RESOLVED):
            return queryset.filter(status=value)
        return queryset


class ListingReportForm(forms.ModelForm):
    class Meta:
        model = ListingReport
        fields = ["resolution", "staff_note"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolution") and self.instance.is_open:
            # Resolved on save (ListingReportAdmin.save_model); set here so the model's
            # "resolution matches status" constraint validates.
            self.instance.status = ListingReport.Status.RESOLVED
            self.instance.resolved_at = timezone.now()
        return cleaned


@admin.register(ListingReport)
class ListingReportAdmin(SimpleHistoryAdmin):
    form = ListingReportForm
    list_display = ["created", "program_link", "kind", "note_start", "status", "resolution"]
    list_display_links = ["created"]
    list_filter = [StatusFilter, "kind", "resolution"]
    search_fields = ["program__name", "note"]
    list_select_related = ["program"]
    date_hierarchy = "created"
    actions = ["resolve_checked", "resolve_no_change"]
    readonly_fields = ["program_link", "kind", "note", "created", "status", "resolved_at",
                       "resolved_by"]
    fieldsets = [
        (_("The report"), {"fields": ["program_link", "kind", "note", "created"]}),
        (_("Resolve"), {"fields": ["resolution", "staff_note", "status", "resolved_at",
                                   "resolved_by"]}),
    ]
    list_per_page = 50

    def has_add_permission(self, request):
        return False  # reports come from the public form

    @admin.display(description=_("program"), ordering="program__name")
    def program_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:iop_program_change", args=[obj.program_id]),
            obj.program,
        )

    @admin.display(description=_("note"))
    def note_start(self, obj):
        return Truncator(obj.note).chars(80) or "–"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.is_open:
            fields.append("resolution")  # a resolved report stays as it was resolved
        return fields

    def save_model(self, request, obj, form, change):
        resolution = form.cleaned_data.get("resolution")
        if obj.pk and resolution and "resolution" in form.changed_data:
            fresh = ListingReport.objects.get(pk=obj.pk)
            if report_resolve(report=fresh, resolution=resolution, user=request.user,
                              staff_note=form.cleaned_data.get("staff_note", "")):
                if resolution == ListingReport.Resolution.CHECKED:
                    self.message_user(request, _(
                        "Report resolved. The listing “%(program)s” is now marked as verified "
                        "today.") % {"program": fresh.program}, messages.SUCCESS)
                obj.refresh_from_db()
                return
        super().save_model(request, obj, form, change)

    def _resolve(self, request, queryset, resolution):
        count = 0
        for report in queryset.select_related("program").filter(
            status=ListingReport.Status.OPEN
        ):
            count += report_resolve(report=report, resolution=resolution, user=request.user)
        return count

    @admin.action(description=_("Resolve: checked with the program (marks the listing "
                                "verified today)"), permissions=["change"])
    def resolve_checked(self, request, queryset):
        count = self._resolve(request, queryset, ListingReport.Resolution.CHECKED)
        self.message_user(request, ngettext(
            "%d report resolved; its listing is marked verified today.",
            "%d reports resolved; their listings are marked verified today.", count) % count,
            messages.SUCCESS)

    @admin.action(description=_("Resolve: no change needed"), permissions=["change"])
    def resolve_no_change(self, request, queryset):
        count = self._resolve(request, queryset, ListingReport.Resolution.NO_CHANGE)
        self.message_user(request, ngettext(
            "%d report resolved.", "%d reports resolved.", count) % count, messages.SUCCESS)
