"""Staff editing of the screening rules, test cases and outcome statistics.

Clinical staff work like this: copy the published version to a draft, edit the draft, run
the test cases, publish. Everything about a published version is read-only here (the models
refuse it too).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from iop.admin import HistoryAdmin, ReadOnlyHistoryAdmin
from iop.models import LevelOfCare
from screening import engine
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
from screening.services import (
    questionnaire_copy,
    questionnaire_publish,
    result_detail,
    testcases_run,
)

LOCKED_MESSAGE = _("Published versions cannot be changed — make a draft copy.")


def _published(questionnaire) -> bool:
    return bool(questionnaire is not None and questionnaire.is_published)


def _draft_questionnaires():
    return Questionnaire.objects.filter(status=Questionnaire.Status.DRAFT)


class LockedInlineMixin:
    """Inlines of a published questionnaire (or of its questions) are read-only."""

    def _locked(self, obj) -> bool:
        if obj is None:
            return False
        questionnaire = obj if isinstance(obj, Questionnaire) else obj.questionnaire
        return _published(questionnaire)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class LockedAdminMixin:
    """Model admins for rows that belong to a questionnaire version."""

    def questionnaire_of(self, obj):
        return obj.questionnaire

    def has_change_permission(self, request, obj=None):
        if obj is not None and _published(self.questionnaire_of(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _published(self.questionnaire_of(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Bulk delete cannot tell drafts from published rows; delete from the change form.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            kwargs["queryset"] = _draft_questionnaires()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if request.method == "GET" and obj is not None and _published(self.questionnaire_of(obj)):
            self.message_user(request, LOCKED_MESSAGE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


def _testcases_response(request, admin_site, runs, title):
    """A page listing each questionnaire's test case results."""
    rows = []
    for questionnaire, results in runs:
        rows.append({
            "questionnaire": questionnaire,
            "results": [(result, result_detail(result)) for result in results],
            "passed": sum(result.passed for result in results),
            "failed": sum(not result.passed for result in results),
        })
    context = {
        **admin_site.each_context(request),
        "title": title,
        "runs": rows,
        "opts": Questionnaire._meta,
    }
    return TemplateResponse(request, "admin/screening/questionnaire/testcases.html", context)


# --------------------------------------------------------------------------- questionnaire


class StepInline(LockedInlineMixin, admin.TabularInline):
    model = Step
    extra = 0
    fields = ["order", "key", "title", "intro"]
    ordering = ["order", "pk"]


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = [
            "questionnaire", "order", "key", "name", "help_text", "applies_to", "remedies",
            "escalation_level",
        ]
        widgets = {"applies_to": forms.CheckboxSelectMultiple}


class RequirementInline(LockedInlineMixin, admin.StackedInline):
    model = Requirement
    form = RequirementForm
    extra = 0
    fields = [("order", "key", "name"), "help_text", "applies_to", "remedies", "escalation_level"]
    filter_horizontal = ["remedies"]
    ordering = ["order", "pk"]


class SeverityBandInline(LockedInlineMixin, admin.TabularInline):
    model = SeverityBand
    extra = 0
    fields = ["min_points", "max_points", "level"]
    ordering = ["min_points"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "version", "status", "published_at", "created_at", "question_link"]
    list_filter = ["status"]
    readonly_fields = [
        "version", "status", "based_on", "created_at", "published_at", "question_link",
    ]
    fields = readonly_fields[:2] + ["notes"] + readonly_fields[2:]
    inlines = [StepInline, RequirementInline, SeverityBandInline]
    actions = ["make_draft_copy", "run_test_cases", "publish"]
    change_form_template = "admin/screening/questionnaire/change_form.html"

    @admin.display(description=_("questions"))
    def question_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:screening_question_changelist")
        count = obj.questions.count()
        return format_html(
            '<a href="{}?questionnaire__id__exact={}">{}</a>', url, obj.pk,
            ngettext("%(count)d question", "%(count)d questions", count) % {"count": count},
        )

    def has_change_permission(self, request, obj=None):
        if _published(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if _published(obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm("screening.publish_questionnaire")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if obj.pk is None and not obj.version:
            latest = Questionnaire.objects.order_by("-version").values_list(
                "version", flat=True
            ).first()
            obj.version = (latest or 0) + 1
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """Questions protect their steps and options their requirements, but deleting a draft
        deletes them all together: only rows of other versions really protect anything."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        if protected:
            collector = NestedObjects(using=router.db_for_write(Questionnaire))
            collector.collect(objs)
            ids = {obj.pk for obj in objs}
            outside = [
                obj for obj in collector.protected
                if not (
                    (isinstance(obj, Question) and obj.questionnaire_id in ids)
                    or (isinstance(obj, Option) and obj.question.questionnaire_id in ids)
                )
            ]
            if not outside:
                protected = []
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        # Questions protect their steps and options their requirements: remove them first.
        with transaction.atomic():
            Option.objects.filter(question__questionnaire=obj).delete()
            Question.objects.filter(questionnaire=obj).delete()
            super().delete_model(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "can_publish": (
                obj is not None and not obj.is_published and self.has_publish_permission(request)
            ),
            "can_copy": self.has_add_permission(request),
        }
        if request.method == "GET" and _published(obj):
            self.message_user(request, LOCKED_MESSAGE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    # Buttons on the change form.

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/copy/", wrap(self.copy_view),
                 name="screening_questionnaire_copy"),
            path("<path:object_id>/test-cases/", wrap(self.testcases_view),
                 name="screening_questionnaire_testcases"),
            path("<path:object_id>/publish/", wrap(self.publish_view),
                 name="screening_questionnaire_publish"),
            *super().get_urls(),
        ]

    def _get_or_404(self, request, object_id):
        obj = get_object_or_404(Questionnaire, pk=admin.utils.unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def copy_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = self._get_or_404(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = self._copy(request, source)
        return HttpResponseRedirect(
            reverse("admin:screening_questionnaire_change", args=[copy.pk])
        )

    def testcases_view(self, request, object_id):
        questionnaire = self._get_or_404(request, object_id)
        return _testcases_response(
            request, self.admin_site,
            [(questionnaire, testcases_run(questionnaire=questionnaire))],
            _("Test cases for %(questionnaire)s") % {"questionnaire": questionnaire},
        )

    def publish_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        questionnaire = self._get_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        self._publish(request, questionnaire)
        return HttpResponseRedirect(
            reverse("admin:screening_questionnaire_change", args=[questionnaire.pk])
        )

    # Actions on the list.

    def _copy(self, request, source) -> Questionnaire:
        copy = questionnaire_copy(source=source)
        self.log_addition(request, copy, [{"added": {}}])
        self.message_user(
            request,
            _("%(copy)s was made from version %(version)s. Edit it, run the test cases, "
              "then publish it.") % {"copy": copy, "version": source.version},
            messages.SUCCESS,
        )
        return copy

    def _publish(self, request, questionnaire) -> bool:
        try:
            questionnaire_publish(questionnaire=questionnaire, user=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                _("%(questionnaire)s was not published:") % {"questionnaire": questionnaire},
                messages.ERROR,
            )
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return False
        self.log_change(request, questionnaire, _("Published."))
        self.message_user(
            request,
            _("Version %(version)s is published; the screening now uses it.")
            % {"version": questionnaire.version},
            messages.SUCCESS,
        )
        return True

    @admin.action(description=_("Make a draft copy"), permissions=["add"])
    def make_draft_copy(self, request, queryset):
        copies = [self._copy(request, source) for source in queryset.order_by("version")]
        if len(copies) == 1:
            return HttpResponseRedirect(
                reverse("admin:screening_questionnaire_change", args=[copies[0].pk])
            )
        return None

    @admin.action(description=_("Run test cases"), permissions=["view"])
    def run_test_cases(self, request, queryset):
        runs = [
            (questionnaire, testcases_run(questionnaire=questionnaire))
            for questionnaire in queryset.order_by("version")
        ]
        return _testcases_response(request, self.admin_site, runs, _("Test case results"))

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        for questionnaire in queryset.order_by("version"):
            self._publish(request, questionnaire)


# --------------------------------------------------------------------------- questions


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = [
            "order", "value", "label", "points", "min_level", "crisis", "flags",
            "requirement", "requirement_status", "explanation",
        ]
        widgets = {
            "flags": forms.CheckboxSelectMultiple,
            "explanation": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }

    def clean(self):
        cleaned = super().clean()
        requirement = cleaned.get("requirement")
        status = cleaned.get("requirement_status")
        if requirement and not status:
            self.add_error("requirement_status", ValidationError(
                _("Choose the status this answer gives the requirement."),
                code="requirement_without_status",
            ))
        elif status and not requirement:
            self.add_error("requirement", ValidationError(
                _("Choose the requirement this status is for, or clear the status."),
                code="status_without_requirement",
            ))
        return cleaned


class OptionFormSet(forms.BaseInlineFormSet):
    """Checks the options together: same version, and ordered from mild to severe."""

    def _requirements(self):
        questionnaire_id = getattr(self.instance, "questionnaire_id", None)
        if questionnaire_id:
            return Requirement.objects.filter(questionnaire_id=questionnaire_id)
        return Requirement.objects.filter(questionnaire__status=Questionnaire.Status.DRAFT)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "requirement" in form.fields:
            form.fields["requirement"].queryset = self._requirements()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = []
        for index, form in enumerate(self.forms):
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            kept.append((form.cleaned_data.get("order") or 0, index, form.cleaned_data))
        if not kept:
            raise ValidationError(
                _("A question needs at least one answer option."), code="no_options"
            )
        questionnaire_id = getattr(self.instance, "questionnaire_id", None)
        for _order, _index, data in kept:
            requirement = data.get("requirement")
            if requirement and questionnaire_id and requirement.questionnaire_id != (
                questionnaire_id
            ):
                raise ValidationError(
                    _("Option %(value)s uses a requirement of another version."),
                    code="requirement_other_version", params={"value": data.get("value")},
                )
        options = [
            engine.Option(
                value=data["value"],
                label=data.get("label", ""),
                points=data.get("points") or 0,
                min_level=data.get("min_level") or None,
                crisis=bool(data.get("crisis")),
                flags=frozenset(flag.key for flag in data.get("flags") or ()),
                requirement=data["requirement"].key if data.get("requirement") else None,
                requirement_status=data.get("requirement_status") or None,
            )
            for _order, _index, data in sorted(kept, key=lambda item: item[:2])
        ]
        level_ranks = dict(LevelOfCare.objects.values_list("code", "rank"))
        problems = engine.check_option_order(options, level_ranks)
        if problems:
            raise ValidationError(
                [ValidationError(problem, code="option_order") for problem in problems]
            )


class OptionInline(LockedInlineMixin, admin.TabularInline):
    model = Option
    form = OptionForm
    formset = OptionFormSet
    extra = 0
    ordering = ["order", "pk"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "questionnaire", "step", "order", "key", "text", "help_text", "multiple",
            "required", "dimension",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "step" in self.fields:
            if self.instance.questionnaire_id:
                steps = Step.objects.filter(questionnaire_id=self.instance.questionnaire_id)
            else:
                steps = Step.objects.filter(questionnaire__status=Questionnaire.Status.DRAFT)
            self.fields["step"].queryset = steps.select_related("questionnaire")
            self.fields["step"].label_from_instance = lambda step: _(
                "%(title)s (version %(version)s)"
            ) % {"title": step.title, "version": step.questionnaire.version}


@admin.register(Question)
class QuestionAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    form = QuestionForm
    list_display = ["key", "text", "questionnaire", "step", "order", "required", "multiple"]
    list_display_links = ["key", "text"]
    list_filter = ["questionnaire", "step__key", "dimension"]
    list_select_related = ["questionnaire", "step"]
    search_fields = ["key", "text"]
    ordering = ["-questionnaire__version", "step__order", "order", "pk"]
    inlines = [OptionInline]
    fieldsets = [
        (None, {"fields": ["questionnaire", "step", "order", "key", "text", "help_text"]}),
        (_("Answering"), {"fields": ["multiple", "required", "dimension"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Moving a question to another version would mix versions; copy the version instead.
        return ["questionnaire"] if obj is not None else []


@admin.register(Requirement)
class RequirementAdmin(LockedAdminMixin, HistoryAdmin):
    form = RequirementForm
    list_display = ["name", "key", "questionnaire", "escalation_level", "order"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["key", "name"]
    filter_horizontal = ["remedies"]
    fields = [
        "questionnaire", ("order", "key", "name"), "help_text", "applies_to", "remedies",
        "escalation_level",
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["questionnaire"] if obj is not None else []


@admin.register(SeverityBand)
class SeverityBandAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "questionnaire", "min_points", "max_points", "level"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]

    def get_readonly_fields(self, request, obj=None):
        return ["questionnaire"] if obj is not None else []


# --------------------------------------------------------------------------- flags


@admin.register(Flag)
class FlagAdmin(SimpleHistoryAdmin):
    list_display = ["name", "key", "note_start"]
    search_fields = ["key", "name", "note"]

    @admin.display(description=_("note on the result"))
    def note_start(self, obj):
        return obj.note[:80] + ("…" if len(obj.note) > 80 else "")

    def get_readonly_fields(self, request, obj=None):
        # The rules refer to flags by key (the engine knows "emergency"): keys are fixed.
        return ["key"] if obj is not None else []

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.options.filter(
            question__questionnaire__status=Questionnaire.Status.PUBLISHED
        ).exists():
            return False  # a published version uses it
        return super().has_delete_permission(request, obj)


# --------------------------------------------------------------------------- test cases


class ScreeningTestCaseForm(forms.ModelForm):
    class Meta:
        model = ScreeningTestCase
        fields = ["name", "answers", "expected_level", "expected_crisis", "note", "is_active"]
        widgets = {"answers": forms.Textarea(attrs={"rows": 12, "cols": 80})}

    def clean_answers(self):
        answers = self.cleaned_data["answers"]
        if not isinstance(answers, dict):
            raise ValidationError(
                _("Write the answers as a JSON object, for example {\"safety\": \"no\"}."),
                code="answers_not_object",
            )
        for key, value in answers.items():
            if isinstance(value, str):
                continue
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                continue
            raise ValidationError(
                _("The answer to %(key)s must be text or a list of text."),
                code="answer_not_text", params={"key": key},
            )
        return answers


@admin.register(ScreeningTestCase)
class ScreeningTestCaseAdmin(SimpleHistoryAdmin):
    form = ScreeningTestCaseForm
    list_display = ["name", "expected_level", "expected_crisis", "is_active"]
    list_filter = ["is_active", "expected_level", "expected_crisis"]
    search_fields = ["name", "note"]
    actions = ["run_against_draft", "run_against_published"]

    def _run(self, request, queryset, questionnaire, title):
        if questionnaire is None:
            self.message_user(request, _("There is no such version yet."), messages.WARNING)
            return None
        cases = queryset.order_by("name")
        return _testcases_response(
            request, self.admin_site,
            [(questionnaire, testcases_run(questionnaire=questionnaire, cases=cases))], title,
        )

    @admin.action(description=_("Run against the latest draft"), permissions=["view"])
    def run_against_draft(self, request, queryset):
        draft = _draft_questionnaires().order_by("-version").first()
        return self._run(request, queryset, draft, _("Test cases against the latest draft"))

    @admin.action(description=_("Run against the published version"), permissions=["view"])
    def run_against_published(self, request, queryset):
        published = Questionnaire.objects.filter(
            status=Questionnaire.Status.PUBLISHED
        ).order_by("-version").first()
        return self._run(
            request, queryset, published, _("Test cases against the published version")
        )


# --------------------------------------------------------------------------- outcomes


@admin.register(ScreeningOutcome)
class ScreeningOutcomeAdmin(admin.ModelAdmin):
    list_display = ["date", "questionnaire_version", "level", "crisis", "unmet"]
    list_filter = ["date", "level", "crisis", "questionnaire_version"]
    date_hierarchy = "date"
    change_list_template = "admin/screening/screeningoutcome/change_list.html"

    @admin.display(description=_("unmet requirements"))
    def unmet(self, obj):
        return ", ".join(obj.unmet_requirements) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            names = dict(LevelOfCare.Code.choices)
            counts = changelist.queryset.order_by().values("level").annotate(n=Count("pk"))
            by_level = {row["level"]: row["n"] for row in counts}
            response.context_data["level_summary"] = [
                (names[code], by_level[code]) for code in names if code in by_level
            ]
            response.context_data["crisis_count"] = changelist.queryset.filter(
                crisis=True
            ).count()
        return response


# --------------------------------------------------------------------------- audit history


admin.site.register([Option.history.model, Step.history.model], ReadOnlyHistoryAdmin)
