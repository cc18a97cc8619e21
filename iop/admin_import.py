"""Bringing listings into the Program admin: CSV/XLSX import and export (django-import-export)
and the SAMHSA locator upload page. ``ProgramAdmin`` mixes in ``ProgramImportExportMixin``."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from iop.resources import ProgramResource
from iop.samhsa import SamhsaFileError, import_rows, read_file


class SamhsaUploadForm(forms.Form):
    file = forms.FileField(
        label=_("SAMHSA locator export (JSON)"),
        help_text=_("The JSON file saved from the SAMHSA treatment locator's export. New "
                    "programs are added unpublished; programs imported before are updated."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: show what would change, save nothing"), required=False,
        initial=True,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.SAMHSA_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s KB; the limit is %(limit)s KB. Split it, or use "
                  "“manage.py import_samhsa FILE”.")
                % {"size": upload.size // 1024, "limit": limit // 1024})
        try:
            self.rows = read_file(upload.read())
        except SamhsaFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ProgramImportExportMixin(ImportExportMixin):
    resource_classes = [ProgramResource]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    import_export_change_list_template = "admin/iop/program/change_list_import_export.html"
    export_template_name = "admin/iop/program/export.html"  # no inline handlers (CSP)

    def get_urls(self):
        urls = [
            path("import-samhsa/", self.admin_site.admin_view(self.samhsa_upload_view),
                 name="iop_program_import_samhsa"),
        ]
        return urls + super().get_urls()

    def samhsa_upload_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        form = SamhsaUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            dry_run = form.cleaned_data["dry_run"]
            report = import_rows(form.rows, dry_run=dry_run)
            if not dry_run:
                messages.success(request, _(
                    "%(created)s programs added (unpublished), %(updated)s updated, "
                    "%(unchanged)s unchanged.") % {
                        "created": len(report.created), "updated": len(report.updated),
                        "unchanged": len(report.unchanged)})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import from the SAMHSA treatment locator"),
            "form": form,
            "report": report,
            "unmapped": report.as_dict()["unmapped"] if report else [],
            "skipped_categories": sorted(report.skipped_categories.items()) if report else [],
            "dry_run": bool(report is not None and form.cleaned_data.get("dry_run")),
            "limit_kb": settings.SAMHSA_UPLOAD_MAX_BYTES // 1024,
        }
        response = TemplateResponse(request, "admin/iop/program/import_samhsa.html", context)
        response["Cache-Control"] = "no-store"
        return response
