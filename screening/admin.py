"""Staff editing of the screening rules, test cases and outcome statistics.

Clinical staff work like this: copy the published version to a draft, edit the draft (its
questions and answers, "shown only when" conditions, combination rules and scores), run the
test cases, look at the preview, then publish it from a page that shows what changes against
the live version. Everything about a published version is read-only here (the models refuse
it too).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from iop.admin import HistoryAdmin, ReadOnlyHistoryAdmin
from iop.admin_i18n import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline
from iop.models import LevelOfCare, Program
from screening import engine
from screening.diff import Words, case_problems, clauses_words, questionnaire_diff
from screening.documents import catalogue_levels, document_of
from screening.models import (
    Clause,
    Flag,
    Option,
    Question,
    Questionnaire,
    Requirement,
    Rule,
    Score,
    ScoreBand,
    ScreeningOutcome,
    ScreeningTestCase,
    SeverityBand,
    Step,
)
from screening.rules import Rules
from screening.selectors import FEATURE_FIELDS
from screening.services import (
    CaseResult,
    case_spec,
    questionnaire_copy,
    questionnaire_publish,
    result_detail,
    testcases_run,
)
from screening.signals import published_row_label, published_rows_using

LOCKED_MESSAGE = _("Published versions cannot be changed — make a draft copy.")


def _published(questionnaire) -> bool:
    return bool(questionnaire is not None and questionnaire.is_published)


def _draft_questionnaires():
    return Questionnaire.objects.filter(status=Questionnaire.Status.DRAFT)


def _live_questionnaire():
    return Questionnaire.objects.filter(status=Questionnaire.Status.PUBLISHED).order_by(
        "-version"
    ).first()


def _level_names(levels=None) -> dict[str, str]:
    return {level.code: level.name for level in (levels or catalogue_levels())}


def _flag_names() -> dict[str, str]:
    return dict(Flag.objects.values_list("key", "name"))


class LockedInlineMixin:
    """Inlines of a published questionnaire (or of its questions, rules, scores) are
    read-only."""

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
            kwargs["help_text"] = _("Only drafts can be changed. To change a published "
                                    "version, make a draft copy of it first.")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Moving a row to another version would mix versions; copy the version instead.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and "questionnaire" not in fields:
            fields.insert(0, "questionnaire")
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if request.method == "GET" and obj is not None and _published(self.questionnaire_of(obj)):
            self.message_user(request, LOCKED_MESSAGE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


class VersionKeyForm(forms.ModelForm):
    """A row with a key that must be unique within its version. The version is read-only on
    the change form, so Django's own unique check skips it: check it here, in words."""

    key_taken_message = _("This version already has one with the key “%(key)s”.")

    def clean_key(self):
        key = self.cleaned_data["key"]
        questionnaire_id = self.instance.questionnaire_id or getattr(
            self.cleaned_data.get("questionnaire"), "pk", None
        )
        if questionnaire_id and key:
            taken = self._meta.model.objects.filter(
                questionnaire_id=questionnaire_id, key=key
            ).exclude(pk=self.instance.pk)
            if taken.exists():
                raise ValidationError(self.key_taken_message, code="key_taken",
                                      params={"key": key})
        return key


class NoRelatedButtonsMixin:
    """No pencil, plus, cross or eye buttons beside choices: editing a question or a score
    from inside another form, in a pop-up, is confusing. Edit it on its own page."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(field, "widget", None)
        if db_field.is_relation and db_field.many_to_one and hasattr(widget, "can_add_related"):
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return field


def _checkboxes():
    return forms.CheckboxSelectMultiple(attrs={"class": "screening-checkboxes"})


class OneLineTextarea(forms.Textarea):
    """A box that shows all of a long one-line text (a question, an answer); line breaks
    typed into it become spaces, as in a one-line field."""

    def __init__(self, rows=2):
        super().__init__(attrs={"rows": rows, "class": "text-wide"})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.split("\n")).replace("\r", "") if isinstance(value, str) else value


# --------------------------------------------------------------------------- test case pages


def case_rows(questionnaire, cases=None, *, levels=None) -> list[dict]:
    """The test cases run against one version (its own active cases, or ``cases``), each with
    its result and, when it fails, what differs in words with level names."""
    if cases is None:
        cases = ScreeningTestCase.objects.filter(
            questionnaire=questionnaire, is_active=True
        ).order_by("name")
    cases = list(cases)
    levels = levels or catalogue_levels()
    names = _level_names(levels)
    flag_names = _flag_names()
    try:
        rules = engine.Questionnaire.from_dict(document_of(questionnaire, levels=levels),
                                               levels=levels)
    except engine.QuestionnaireError as error:
        rules = None
        results = [
            CaseResult(
                name=case.name, passed=False, expected_level=case.expected_level,
                actual_level=None, expected_crisis=case.expected_crisis, actual_crisis=None,
                error=gettext("the rules of this version cannot be read: %(problem)s")
                % {"problem": error},
            )
            for case in cases
        ]
    else:
        results = testcases_run(questionnaire=questionnaire, cases=cases)
    rows = []
    for case, result in zip(cases, results, strict=True):
        problems = []
        if not result.passed:
            if rules is not None:
                problems = case_problems(rules, case_spec(case), names, flag_names)
                problems = problems or [result_detail(result)]
            else:
                problems = [result.error]
        rows.append({
            "case": case,
            "result": result,
            "expected_level": names.get(result.expected_level, result.expected_level),
            "actual_level": names.get(result.actual_level, result.actual_level)
            if result.actual_level else "",
            "problems": problems,
        })
    return rows


def _testcases_response(request, admin_site, runs, title):
    """A page listing each questionnaire's test case results. ``runs``: (questionnaire,
    cases or None for its own active cases)."""
    levels = catalogue_levels()
    rows = []
    for questionnaire, cases in runs:
        results = case_rows(questionnaire, cases, levels=levels)
        rows.append({
            "questionnaire": questionnaire,
            "results": results,
            "passed": sum(row["result"].passed for row in results),
            "failed": sum(not row["result"].passed for row in results),
        })
    context = {
        **admin_site.each_context(request),
        "title": title,
        "runs": rows,
        "opts": Questionnaire._meta,
    }
    return TemplateResponse(request, "admin/screening/questionnaire/testcases.html", context)


def rules_problems(questionnaire) -> list[str]:
    """Whole-version problems (the publish checks), as sentences; empty when fine."""
    try:
        rules = engine.Questionnaire.from_dict(document_of(questionnaire),
                                               levels=catalogue_levels())
    except engine.QuestionnaireError as error:
        return [str(error)]
    return engine.validate_questionnaire(rules)


# --------------------------------------------------------------------------- questionnaire


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = ["order", "key", "title", "intro"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3, "cols": 36})}


class StepInline(LockedInlineMixin, TranslatedTabularInline):
    model = Step
    form = StepForm
    extra = 0
    fields = ["order", "key", "title", "intro"]
    ordering = ["order", "pk"]


class RequirementForm(VersionKeyForm):
    class Meta:
        model = Requirement
        fields = [
            "questionnaire", "order", "key", "name", "help_text", "applies_to", "remedies",
            "escalation_level",
        ]
        widgets = {"applies_to": forms.CheckboxSelectMultiple}


class RequirementInline(LockedInlineMixin, TranslatedStackedInline):
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
        """Questions protect their steps and scores, options their requirements, but deleting
        a draft deletes them all together: only rows of other versions protect anything."""
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
        # Questions protect their steps and scores, options their requirements: remove them
        # first (their conditions go with them).
        with transaction.atomic():
            Option.objects.filter(question__questionnaire=obj).delete()
            Clause.objects.filter(rule__questionnaire=obj).delete()
            Clause.objects.filter(shown_question__questionnaire=obj).delete()
            Question.objects.filter(questionnaire=obj).delete()
            super().delete_model(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        draft = obj is not None and not obj.is_published
        extra_context = {
            **(extra_context or {}),
            "can_publish": draft and self.has_publish_permission(request),
            "can_copy": self.has_add_permission(request),
            "rules_problems": rules_problems(obj) if draft and request.method == "GET" else [],
            "parts": self._parts(obj) if obj is not None else [],
        }
        if request.method == "GET" and _published(obj):
            self.message_user(request, LOCKED_MESSAGE, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _parts(obj) -> list[tuple[str, str, int]]:
        """Links to the rows of this version edited on their own pages, with their counts."""
        query = f"?questionnaire__id__exact={obj.pk}"
        return [
            (label, reverse(f"admin:screening_{name}_changelist") + query, count)
            for label, name, count in (
                (gettext("Questions and their answers"), "question", obj.questions.count()),
                (gettext("Combination rules"), "rule", obj.rules.count()),
                (gettext("Scores"), "score", obj.scores.count()),
                (gettext("Test cases"), "screeningtestcase", obj.test_cases.count()),
            )
        ]

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
            path("<path:object_id>/preview/", wrap(self.preview_view),
                 name="screening_questionnaire_preview"),
            *super().get_urls(),
        ]

    def _get_or_404(self, request, object_id):
        obj = get_object_or_404(Questionnaire, pk=admin.utils.unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def _context(self, request, questionnaire, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": Questionnaire._meta,
            "original": questionnaire,
            **extra,
        }

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
            request, self.admin_site, [(questionnaire, None)],
            _("Test cases for %(questionnaire)s") % {"questionnaire": questionnaire},
        )

    def publish_view(self, request, object_id):
        """GET: what publishing would change, and a confirmation form. POST: publish."""
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        questionnaire = self._get_or_404(request, object_id)
        if not self.has_publish_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:screening_questionnaire_change", args=[questionnaire.pk])
        if request.method == "POST":
            self._publish(request, questionnaire)
            return HttpResponseRedirect(change_url)
        if questionnaire.is_published:
            self.message_user(
                request,
                _("Version %(version)s is already published.")
                % {"version": questionnaire.version},
                messages.INFO,
            )
            return HttpResponseRedirect(change_url)
        live = _live_questionnaire()
        levels = catalogue_levels()
        cases = case_rows(questionnaire, levels=levels)
        problems = rules_problems(questionnaire)
        newer = live is not None and live.version > questionnaire.version
        failed = [row for row in cases if not row["result"].passed]
        context = self._context(
            request, questionnaire,
            _("Publish version %(version)s?") % {"version": questionnaire.version},
            diff=questionnaire_diff(draft=questionnaire, live=live),
            live=live,
            cases=cases,
            failed_cases=failed,
            cases_passed=len(cases) - len(failed),
            cases_failed=len(failed),
            problems=problems,
            newer=newer,
            can_publish_now=not (problems or failed or newer),
            preview_url=reverse("admin:screening_questionnaire_preview",
                                args=[questionnaire.pk]),
        )
        return TemplateResponse(request, "admin/screening/questionnaire/publish.html", context)

    def preview_view(self, request, object_id):
        """Every page of a version as a person would see it (read-only, no session)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        questionnaire = self._get_or_404(request, object_id)
        levels = catalogue_levels()
        document = document_of(questionnaire, levels=levels)
        pages, extras, problem = [], [], ""
        try:
            rules = Rules(
                questionnaire=engine.Questionnaire.from_dict(document, levels=levels),
                level_names=_level_names(levels),
            )
        except engine.QuestionnaireError as error:
            problem = str(error)
        else:
            words = Words(document, level_names=rules.level_names)
            for page in rules.pages:
                questions = []
                for key in page.question_keys:
                    question = rules.question(key)
                    questions.append({
                        "question": question,
                        "input_type": "checkbox" if question.multiple else "radio",
                        "shown_when": clauses_words(question.enable_when, words)
                        if question.enable_when else "",
                    })
                pages.append({"page": page, "questions": questions})
            extras = list(rules.questionnaire.extras)
        context = self._context(
            request, questionnaire,
            _("Preview of %(questionnaire)s") % {"questionnaire": questionnaire},
            pages=pages, extras=extras, problem=problem,
            page_count=len(pages) + (1 if extras else 0),
        )
        return TemplateResponse(request, "admin/screening/questionnaire/preview.html", context)

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
            for message in self._publish_errors(questionnaire, error):
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

    def _publish_errors(self, questionnaire, error: ValidationError) -> list[str]:
        """The reasons publishing was refused; failing test cases in words with level
        names."""
        words = None
        found = []
        for item in error.error_list:
            if item.code == "test_case_failed":
                if words is None:
                    words = {
                        row["case"].name: "; ".join(row["problems"])
                        for row in case_rows(questionnaire) if not row["result"].passed
                    }
                name = (item.params or {}).get("name")
                if name in words:
                    found.append(gettext("Test case “%(name)s” fails: %(detail)s")
                                 % {"name": name, "detail": words[name]})
                    continue
            found.extend(item.messages)
        return found

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
        runs = [(questionnaire, None) for questionnaire in queryset.order_by("version")]
        return _testcases_response(request, self.admin_site, runs, _("Test case results"))

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        for questionnaire in queryset.order_by("version"):
            self._publish(request, questionnaire)


# --------------------------------------------------------------------------- conditions


def _short(question: Question) -> str:
    return f"{question.key}: {Truncator(question.text).chars(30)}"


VALUES_HELP = _(
    "Answer values (the short names in the “value” column of the question's answers, not their "
    "wording), separated by commas, for example: alcohol, opioids. “Answer is at least” takes "
    "one value: the condition holds for that answer and every later, more severe one."
)


class ClauseForm(forms.ModelForm):
    """One condition. Clean: complete for its kind, values tidied."""

    class Meta:
        model = Clause
        fields = ["order", "kind", "question", "values", "score", "number"]
        widgets = {"values": forms.TextInput(attrs={"size": 24})}
        help_texts = {"values": VALUES_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.values:
            self.initial["values"] = ", ".join(self.instance.value_list)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Clause.Kind.SCORE_AT_LEAST:
            if not cleaned.get("score"):
                self.add_error("score", ValidationError(
                    _("Choose the score this condition looks at."), code="score_missing"))
            if cleaned.get("number") is None:
                self.add_error("number", ValidationError(
                    _("Give the points the score must reach."), code="number_missing"))
            cleaned["question"], cleaned["values"] = None, ""
        elif kind:
            if not cleaned.get("question"):
                self.add_error("question", ValidationError(
                    _("Choose the question this condition looks at."),
                    code="question_missing"))
            if "values" in cleaned:
                values = [value.strip() for value in cleaned["values"].split(",")
                          if value.strip()]
                cleaned["values"] = ",".join(values)
                if not values:
                    self.add_error("values", ValidationError(
                        _("Give at least one answer value."), code="values_missing"))
                elif kind == Clause.Kind.AT_LEAST and len(values) > 1:
                    self.add_error("values", ValidationError(
                        _("“Answer is at least” takes one answer value. For several answers, "
                          "use “answers include any of”."), code="at_least_one_value"))
            if "score" in self.fields:
                cleaned["score"], cleaned["number"] = None, None
        return cleaned

    def clause_document(self) -> dict:
        """This condition in the document form (docs/questionnaire-format.md)."""
        data = self.cleaned_data
        if data["kind"] == Clause.Kind.SCORE_AT_LEAST:
            return {"score": data["score"].key, "at_least": data["number"]}
        values = data["values"].split(",")
        if data["kind"] == Clause.Kind.INCLUDES_ANY:
            return {"question": data["question"].key, "includes_any": values}
        return {"question": data["question"].key, "at_least": values[0]}


class ShownWhenForm(ClauseForm):
    class Meta(ClauseForm.Meta):
        fields = ["order", "kind", "question", "values"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            choice for choice in self.fields["kind"].choices
            if choice[0] != Clause.Kind.SCORE_AT_LEAST
        ]
        self.fields["question"].label = _("earlier question")


class ClauseFormSet(forms.BaseInlineFormSet):
    """Conditions checked together against the draft they belong to: what they name must be
    in the same version, and each must be upward-closed (the engine's check)."""

    def questionnaire_id(self):
        return getattr(self.instance, "questionnaire_id", None)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        questionnaire_id = self.questionnaire_id()
        if "question" in form.fields:
            questions = Question.objects.select_related("questionnaire").order_by(
                "questionnaire__version", "step__order", "order", "pk"
            )
            if questionnaire_id:
                questions = questions.filter(questionnaire_id=questionnaire_id)
                label = _short
            else:
                questions = questions.filter(questionnaire__status=Questionnaire.Status.DRAFT)

                def label(question):
                    return gettext("%(question)s (version %(version)s)") % {
                        "question": _short(question), "version": question.questionnaire.version}
            if isinstance(self.instance, Question) and self.instance.pk:
                questions = questions.exclude(pk=self.instance.pk)
            form.fields["question"].queryset = questions
            form.fields["question"].label_from_instance = label
        if "score" in form.fields:
            scores = Score.objects.select_related("questionnaire")
            scores = scores.filter(questionnaire_id=questionnaire_id) if questionnaire_id else (
                scores.filter(questionnaire__status=Questionnaire.Status.DRAFT))
            form.fields["score"].queryset = scores

    def kept_forms(self):
        return [
            form for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        questionnaire_id = self.questionnaire_id()
        if not questionnaire_id:
            return  # the main form is not valid yet; it says why
        kept = sorted(self.kept_forms(), key=lambda form: form.cleaned_data.get("order") or 0)
        problems = []
        for form in kept:
            for name in ("question", "score"):
                row = form.cleaned_data.get(name)
                if row is not None and row.questionnaire_id != questionnaire_id:
                    problems.append(gettext(
                        "“%(row)s” belongs to another version. Choose one of this version."
                    ) % {"row": row.key})
        if problems:
            raise ValidationError([ValidationError(p, code="other_version") for p in problems])
        self.check_conditions(questionnaire_id, [form.clause_document() for form in kept])

    def check_conditions(self, questionnaire_id, clauses: list[dict]) -> None:
        raise NotImplementedError

    # Helpers for the checks.

    def _document(self, questionnaire_id) -> dict:
        return document_of(Questionnaire.objects.get(pk=questionnaire_id))

    @staticmethod
    def _engine(document) -> engine.Questionnaire:
        try:
            return engine.Questionnaire.from_dict(document, levels=catalogue_levels())
        except engine.QuestionnaireError as error:
            raise ValidationError(
                gettext("The rules of this version cannot be read, so the conditions cannot "
                        "be checked: %(problem)s") % {"problem": error},
                code="unreadable",
            ) from error

    @staticmethod
    def _unknown_values(questionnaire: engine.Questionnaire, clauses) -> list[str]:
        """Answer values a condition names that its question does not have, with the ones it
        has."""
        problems = []
        for clause in clauses:
            key = clause.get("question")
            if key is None or not questionnaire.has_question(key):
                continue
            question = questionnaire.question(key)
            values = clause.get("includes_any") or [clause.get("at_least")]
            unknown = [value for value in values if value not in question.values]
            if unknown:
                problems.append(ngettext(
                    "“%(key)s” has no answer %(unknown)s. Its answers are: %(known)s.",
                    "“%(key)s” has no answers %(unknown)s. Its answers are: %(known)s.",
                    len(unknown),
                ) % {
                    "key": key, "unknown": ", ".join(f"“{value}”" for value in unknown),
                    "known": ", ".join(question.values),
                })
        return problems

    def _refuse(self, problems) -> None:
        if problems:
            raise ValidationError([ValidationError(p, code="condition") for p in problems])


class ShownWhenFormSet(ClauseFormSet):
    """The "shown only when" conditions of one question: each may look only at an earlier
    question, and must be upward-closed."""

    def check_conditions(self, questionnaire_id, clauses):
        question = self.instance
        if not question.step_id or Question.objects.filter(
            questionnaire_id=questionnaire_id, key=question.key
        ).exclude(pk=question.pk).exists():
            return  # the question's own form says what is wrong
        document = self._document(questionnaire_id)
        placed = {
            key: (step_order, order, pk)
            for key, step_order, order, pk in Question.objects.filter(
                questionnaire_id=questionnaire_id
            ).values_list("key", "step__order", "order", "pk")
        }
        old_key = next((key for key, place in placed.items() if place[2] == question.pk), None)
        entries = [q for q in document["questions"] if q["key"] != old_key]
        entry = next((q for q in document["questions"] if q["key"] == old_key), None) or {
            "options": []}
        entry = {**entry, "key": question.key, "step": question.step.key,
                 "enable_when": clauses}
        placed[question.key] = (question.step.order, question.order or 0,
                                question.pk or float("inf"))
        document["questions"] = sorted(
            [*entries, entry], key=lambda q: placed.get(q["key"], (0, 0, 0))
        )
        rules = self._engine(document)
        self._refuse(self._unknown_values(rules, clauses))
        problems = []
        for clause in rules.question(question.key).enable_when:
            problems.extend(engine.check_clause(
                rules, clause, before=question.key, scores_allowed=False
            ))
        self._refuse(problems)


class RuleClauseFormSet(ClauseFormSet):
    """The conditions of one combination rule: at least one, each upward-closed."""

    def check_conditions(self, questionnaire_id, clauses):
        if not clauses:
            raise ValidationError(
                _("A combination rule needs at least one condition. Without one it would apply "
                  "to everyone."), code="no_conditions",
            )
        rule = self.instance
        document = self._document(questionnaire_id)
        old_key = Rule.objects.filter(pk=rule.pk).values_list("key", flat=True).first()
        others = [r for r in document["rules"] if r["key"] != old_key]
        document["rules"] = [*others, {"key": rule.key or "new_rule", "when": clauses}]
        rules = self._engine(document)
        self._refuse(self._unknown_values(rules, clauses))
        edited = rules.rules[-1]
        problems = []
        for clause in edited.when:
            problems.extend(engine.check_clause(rules, clause))
        self._refuse(problems)


class ShownWhenInline(NoRelatedButtonsMixin, LockedInlineMixin, admin.TabularInline):
    model = Clause
    fk_name = "shown_question"
    form = ShownWhenForm
    formset = ShownWhenFormSet
    extra = 0
    ordering = ["order", "pk"]
    verbose_name = _("condition")
    verbose_name_plural = _("Shown only when (all of these hold)")
    fields = ["order", "kind", "question", "values"]


class RuleClauseInline(NoRelatedButtonsMixin, LockedInlineMixin, admin.TabularInline):
    model = Clause
    fk_name = "rule"
    form = ClauseForm
    formset = RuleClauseFormSet
    extra = 0
    ordering = ["order", "pk"]
    verbose_name = _("condition")
    verbose_name_plural = _("When all of these hold")
    fields = ["order", "kind", "question", "values", "score", "number"]


# --------------------------------------------------------------------------- questions


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = [
            "order", "value", "label", "points", "min_level", "crisis", "flags",
            "requirement", "requirement_status", "exclusive", "age_min", "age_max",
            "explanation",
        ]
        widgets = {
            "flags": _checkboxes(),
            "label": OneLineTextarea(),
            "explanation": forms.Textarea(attrs={"rows": 3, "cols": 60}),
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
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", ValidationError(
                _("The age range ends before it starts."), code="age_range"))
        return cleaned


def _option_document(data: dict) -> dict:
    """An option form's cleaned data in the document form (docs/questionnaire-format.md)."""
    return {
        "value": data["value"], "label": data.get("label") or "",
        "points": data.get("points") or 0, "min_level": data.get("min_level") or None,
        "crisis": bool(data.get("crisis")),
        "flags": sorted(flag.key for flag in data.get("flags") or ()),
        "requirement": data["requirement"].key if data.get("requirement") else None,
        "requirement_status": data.get("requirement_status") or None,
        "exclusive": bool(data.get("exclusive")),
        "age_min": data.get("age_min"), "age_max": data.get("age_max"),
        "explanation": data.get("explanation") or "",
    }


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

    def validate_unique(self):
        """Two answers with one value are refused in `clean` below, in plainer words than
        Django's "Please correct the duplicate data"."""

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
        values = [data.get("value") for _order, _index, data in kept]
        twice = sorted({value for value in values if values.count(value) > 1})
        if twice:
            raise ValidationError(
                ngettext("Two answers have the value %(values)s; each needs its own.",
                         "Answers share the values %(values)s; each needs its own.",
                         len(twice)),
                code="duplicate_value", params={"values": ", ".join(f"'{v}'" for v in twice)},
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
        where = f"question {self.instance.key!r}"
        options = [
            engine.Option.from_dict(_option_document(data), where)
            for _order, _index, data in sorted(kept, key=lambda item: item[:2])
        ]
        problems = []
        multiple = bool(getattr(self.instance, "multiple", False))
        for option in options:
            if option.exclusive and not multiple:
                problems.append(gettext(
                    "Option '%(value)s' is marked “none of these”, but the question takes one "
                    "answer anyway. Untick “none of these”, or allow several answers."
                ) % {"value": option.value})
            elif option.exclusive and option.moves_result:
                problems.append(gettext(
                    "Option '%(value)s' is a “none of these” answer, so it must not change the "
                    "result: no points, minimum level, crisis, flags or unmet requirement."
                ) % {"value": option.value})
        level_ranks = dict(LevelOfCare.objects.values_list("code", "rank"))
        problems.extend(engine.check_option_order(options, level_ranks))
        if problems:
            raise ValidationError(
                [ValidationError(problem, code="option_order") for problem in problems]
            )


class OptionInline(NoRelatedButtonsMixin, LockedInlineMixin, TranslatedStackedInline):
    model = Option
    form = OptionForm
    formset = OptionFormSet
    extra = 0
    ordering = ["order", "pk"]
    verbose_name = _("answer")
    verbose_name_plural = _("Answers, from mildest to most severe")
    fields = [
        ("order", "value"), "label", ("points", "min_level"), "crisis",
        ("requirement", "requirement_status"), "exclusive", ("age_min", "age_max"), "flags",
        "explanation",
    ]


class QuestionForm(VersionKeyForm):
    key_taken_message = _("This version already has a question with the key “%(key)s”.")

    class Meta:
        model = Question
        fields = [
            "questionnaire", "step", "order", "key", "text", "help_text", "error_message",
            "multiple", "required", "dimension", "score",
        ]
        widgets = {"text": OneLineTextarea(rows=3), "error_message": OneLineTextarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questionnaire_id = self.instance.questionnaire_id

        def of_version(model):
            rows = model.objects.select_related("questionnaire")
            if questionnaire_id:
                return rows.filter(questionnaire_id=questionnaire_id)
            return rows.filter(questionnaire__status=Questionnaire.Status.DRAFT)

        def label(row, text):
            return gettext("%(name)s (version %(version)s)") % {
                "name": text, "version": row.questionnaire.version}

        if "step" in self.fields:
            self.fields["step"].queryset = of_version(Step)
            self.fields["step"].label_from_instance = lambda step: label(step, step.title)
        if "score" in self.fields:
            self.fields["score"].queryset = of_version(Score)
            self.fields["score"].label_from_instance = lambda score: label(score, score.name)


class StepFilter(admin.SimpleListFilter):
    title = _("step")
    parameter_name = "step__key"

    def lookups(self, request, model_admin):
        # Steps by key, with the newest version's title.
        titles = dict(
            Step.objects.order_by("questionnaire__version", "order").values_list("key", "title")
        )
        return list(titles.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(step__key=self.value())
        return queryset


@admin.register(Question)
class QuestionAdmin(NoRelatedButtonsMixin, LockedAdminMixin, TranslatedAdmin,
                    SimpleHistoryAdmin):
    form = QuestionForm
    list_display = ["key", "text", "questionnaire", "step", "shown_when_text"]
    list_display_links = ["key", "text"]
    list_filter = ["questionnaire", StepFilter, "dimension"]
    list_select_related = ["questionnaire", "step"]
    search_fields = ["key", "text"]
    ordering = ["-questionnaire__version", "step__order", "order", "pk"]
    inlines = [ShownWhenInline, OptionInline]
    fieldsets = [
        (None, {"fields": ["questionnaire", "step", "order", "key", "text", "help_text"]}),
        (_("Answering"), {"fields": ["multiple", "required", "error_message", "dimension",
                                     "score"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            Prefetch("shown_when", queryset=Clause.objects.select_related("question"))
        )

    @admin.display(description=_("shown only when"))
    def shown_when_text(self, obj):
        return "; ".join(_clause_short(clause) for clause in obj.shown_when.all()) or "—"

    def get_deleted_objects(self, objs, request):
        """Conditions of other questions or rules that look at this question would be deleted
        with it (and a rule would then apply more widely): they protect it instead."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        for question in objs:
            for clause in Clause.objects.filter(question=question).exclude(
                shown_question=question
            ).select_related("rule", "shown_question", "question", "score"):
                protected.append(_condition_user(clause))
        return to_delete, model_count, perms_needed, protected


def _clause_short(clause: Clause) -> str:
    """A condition in short words for lists: "medical ≥ yes", "substances includes any of
    alcohol, opioids", "audit_c ≥ 8"."""
    if clause.kind == Clause.Kind.SCORE_AT_LEAST:
        return f"{clause.score.key if clause.score_id else '?'} ≥ {clause.number}"
    key = clause.question.key if clause.question_id else "?"
    if clause.kind == Clause.Kind.AT_LEAST:
        return f"{key} ≥ {clause.values}"
    return gettext("%(key)s includes any of %(values)s") % {
        "key": key, "values": ", ".join(clause.value_list)}


def _condition_user(clause: Clause) -> str:
    if clause.rule_id:
        return gettext("Condition “%(condition)s” of the combination rule “%(rule)s”. Change "
                       "or delete that condition first.") % {
            "condition": _clause_short(clause), "rule": clause.rule.name}
    return gettext("The “shown only when” condition “%(condition)s” of question "
                   "%(question)s. Change or delete that condition first.") % {
        "condition": _clause_short(clause), "question": clause.shown_question.key}


@admin.register(Requirement)
class RequirementAdmin(NoRelatedButtonsMixin, LockedAdminMixin, TranslatedAdmin, HistoryAdmin):
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


@admin.register(SeverityBand)
class SeverityBandAdmin(NoRelatedButtonsMixin, LockedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "questionnaire", "min_points", "max_points", "level"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]


# --------------------------------------------------------------------------- combination rules


class RuleForm(VersionKeyForm):
    key_taken_message = _("This version already has a combination rule with the key "
                          "“%(key)s”.")

    class Meta:
        model = Rule
        fields = ["questionnaire", "order", "key", "name", "min_level", "crisis", "flags",
                  "explanation"]
        widgets = {"flags": _checkboxes(),
                   "explanation": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("min_level") or cleaned.get("crisis") or cleaned.get("flags")):
            raise ValidationError(
                _("This rule changes nothing. Choose a minimum level, crisis, or at least one "
                  "flag."), code="changes_nothing",
            )
        return cleaned


@admin.register(Rule)
class RuleAdmin(NoRelatedButtonsMixin, LockedAdminMixin, TranslatedAdmin, HistoryAdmin):
    form = RuleForm
    list_display = ["name", "questionnaire", "when_text", "then_text"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["key", "name", "explanation"]
    ordering = ["-questionnaire__version", "order", "pk"]
    inlines = [RuleClauseInline]
    change_form_template = "admin/screening/rule/change_form.html"
    fieldsets = [
        (None, {
            "fields": ["questionnaire", ("order", "key"), "name"],
            "description": _(
                "When all of the conditions below hold, the result gets what this rule sets. "
                "Conditions can only ask for more severe answers (“at least”, “includes any "
                "of”, “score at least”), so a more severe answer never gives less care."
            ),
        }),
        (_("Then"), {"fields": ["min_level", "crisis", "flags", "explanation"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(
            "flags", Prefetch("clauses", queryset=Clause.objects.select_related(
                "question", "score"))
        )

    @admin.display(description=_("when all of"))
    def when_text(self, obj):
        return "; ".join(_clause_short(clause) for clause in obj.clauses.all()) or "—"

    @admin.display(description=_("then"))
    def then_text(self, obj):
        parts = []
        if obj.min_level:
            parts.append(gettext("at least %(level)s") % {"level": obj.get_min_level_display()})
        if obj.crisis:
            parts.append(gettext("crisis help first"))
        flags = [flag.name for flag in obj.flags.all()]
        if flags:
            parts.append(", ".join(flags))
        return "; ".join(parts) or "—"


# --------------------------------------------------------------------------- scores


class ScoreForm(VersionKeyForm):
    key_taken_message = _("This version already has a score with the key “%(key)s”.")

    class Meta:
        model = Score
        fields = ["questionnaire", "order", "key", "name", "instrument", "help_text"]


class ScoreBandForm(forms.ModelForm):
    class Meta:
        model = ScoreBand
        fields = ["min_points", "max_points", "label", "meaning", "min_level", "flags"]
        widgets = {
            "flags": _checkboxes(),
            "meaning": forms.Textarea(attrs={"rows": 3, "cols": 60}),
        }

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_points"), cleaned.get("max_points")
        if low is not None and high is not None and low > high:
            self.add_error("max_points", ValidationError(
                _("“To points” must not be below “from points”."), code="band_empty"))
        return cleaned


class ScoreBandFormSet(forms.BaseInlineFormSet):
    """A score's bands must not overlap, and a higher band must never need less care."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        bands = sorted(
            (form.cleaned_data for form in self.forms
             if getattr(form, "cleaned_data", None)
             and not (self.can_delete and self._should_delete_form(form))),
            key=lambda data: data["min_points"],
        )
        ranks = dict(LevelOfCare.objects.values_list("code", "rank"))
        problems = []
        for lower, higher in zip(bands, bands[1:], strict=False):
            if higher["min_points"] <= lower["max_points"]:
                problems.append(gettext(
                    "The bands %(a_low)s–%(a_high)s and %(b_low)s–%(b_high)s overlap: each "
                    "score must fall in one band only."
                ) % {"a_low": lower["min_points"], "a_high": lower["max_points"],
                     "b_low": higher["min_points"], "b_high": higher["max_points"]})
        top = -1
        for band in bands:
            rank = ranks.get(band.get("min_level") or "", -1)
            if rank < top:
                problems.append(gettext(
                    "The band %(low)s–%(high)s needs a lower level than a band below it; a "
                    "higher score must never mean less care."
                ) % {"low": band["min_points"], "high": band["max_points"]})
            top = max(top, rank)
        if problems:
            raise ValidationError([ValidationError(p, code="score_bands") for p in problems])


class ScoreBandInline(LockedInlineMixin, TranslatedStackedInline):
    model = ScoreBand
    form = ScoreBandForm
    formset = ScoreBandFormSet
    extra = 0
    ordering = ["min_points"]
    verbose_name = _("band")
    verbose_name_plural = _("Bands (what each range of the score means and sets)")
    fields = [("min_points", "max_points"), "label", "meaning", "min_level", "flags"]


@admin.register(Score)
class ScoreAdmin(NoRelatedButtonsMixin, LockedAdminMixin, TranslatedAdmin, HistoryAdmin):
    form = ScoreForm
    list_display = ["name", "key", "questionnaire", "instrument", "items_text", "order"]
    list_display_links = ["name", "key"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    search_fields = ["key", "name", "instrument"]
    ordering = ["-questionnaire__version", "order", "pk"]
    inlines = [ScoreBandInline]
    readonly_fields = ["items_text"]
    fieldsets = [
        (None, {
            "fields": ["questionnaire", ("order", "key"), "name", "instrument", "help_text",
                       "items_text"],
            "description": _(
                "A score adds up the points of the answers to its questions (choose the score "
                "on each question, under “Answering”). Those points then count here and not "
                "in the severity bands."
            ),
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description=_("questions it adds up"))
    def items_text(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return ", ".join(question.key for question in obj.items.all()) or "—"

    def get_deleted_objects(self, objs, request):
        """Rule conditions on this score would be deleted with it (and the rule would then
        apply more widely): they protect it instead."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        for score in objs:
            for clause in Clause.objects.filter(score=score).select_related(
                "rule", "shown_question", "question", "score"
            ):
                protected.append(_condition_user(clause))
        return to_delete, model_count, perms_needed, protected


# --------------------------------------------------------------------------- flags


def _feature_choices():
    return [
        (feature, capfirst(Program._meta.get_field(FEATURE_FIELDS[feature]).verbose_name))
        for feature in engine.RANK_FEATURES
    ]


class FlagForm(forms.ModelForm):
    rank_features = forms.MultipleChoiceField(
        label=_("Rank first: programs with"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=_feature_choices,
        help_text=_("When a result has this flag, programs with these features are listed "
                    "first."),
    )

    class Meta:
        model = Flag
        fields = ["key", "name", "note", "note_kind", "order", "rank_services",
                  "rank_populations", "rank_features"]

    def clean_rank_features(self):
        chosen = set(self.cleaned_data.get("rank_features") or ())
        return [feature for feature in engine.RANK_FEATURES if feature in chosen]


@admin.register(Flag)
class FlagAdmin(TranslatedAdmin, HistoryAdmin):
    form = FlagForm
    list_display = ["name", "key", "note_kind", "order", "note_start"]
    list_filter = ["note_kind"]
    search_fields = ["key", "name", "note"]
    filter_horizontal = ["rank_services", "rank_populations"]
    fieldsets = [
        (None, {
            "fields": ["key", "name"],
            "description": _(
                "Flags are shared by every questionnaire version: a change to a note shows on "
                "the live screening straight away."
            ),
        }),
        (_("Note on the result"), {"fields": ["note", "note_kind", "order"]}),
        (_("Programs listed first"), {
            "fields": ["rank_services", "rank_populations", "rank_features"],
        }),
    ]

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
        if obj is not None and published_rows_using(obj):
            return False  # a published version's answer, score band or rule uses it
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if request.method == "GET" and obj is not None:
            rows = published_rows_using(obj)
            if rows:
                self.message_user(request, gettext(
                    "This flag cannot be deleted: published versions use it (%(uses)s)."
                ) % {"uses": "; ".join(published_row_label(row) for row in rows[:5])
                     + ("; …" if len(rows) > 5 else "")}, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)


# --------------------------------------------------------------------------- test cases


class EmergencySelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", _("Do not check")),
            ("true", _("Yes: 911 comes first")),
            ("false", _("No: 911 does not come first")),
        ]


class ScreeningTestCaseForm(forms.ModelForm):
    class Meta:
        model = ScreeningTestCase
        fields = ["questionnaire", "name", "answers", "expected_level", "expected_crisis",
                  "expected_emergency", "expected_flags", "note", "is_active"]
        widgets = {
            "answers": forms.Textarea(attrs={"rows": 12, "cols": 80}),
            "expected_flags": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "expected_emergency": EmergencySelect,
        }
        help_texts = {
            "answers": _('A JSON object of question key → answer value, for example '
                         '{"suicide_thoughts": "no", "substances": ["alcohol", "cannabis"], …}. '
                         "Use a list for questions with several answers. Every question the "
                         "person would be shown needs an answer."),
            "expected_emergency": _("Whether the result must put 911 first (or must not)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "answers" in self.fields:
            self.initial.setdefault("answers", {})

    def clean_answers(self):
        answers = self.cleaned_data["answers"]
        if not isinstance(answers, dict):
            raise ValidationError(
                _("Write the answers as a JSON object, for example {\"suicide_thoughts\": "
                  "\"no\"}."),
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

    def clean_expected_flags(self):
        flags = self.cleaned_data.get("expected_flags")
        if flags in (None, ""):
            return []
        if not isinstance(flags, list) or not all(isinstance(key, str) for key in flags):
            raise ValidationError(
                _('Write the expected flags as a JSON list of flag keys, for example '
                  '["naloxone", "medical_review"], or [] for none.'),
                code="flags_not_list",
            )
        known = set(Flag.objects.filter(key__in=flags).values_list("key", flat=True))
        unknown = [key for key in flags if key not in known]
        if unknown:
            raise ValidationError(
                ngettext("There is no flag %(keys)s. Use the keys listed under Flags.",
                         "There are no flags %(keys)s. Use the keys listed under Flags.",
                         len(unknown)),
                code="unknown_flags",
                params={"keys": ", ".join(f"“{key}”" for key in unknown)},
            )
        return sorted(set(flags))

    def clean(self):
        cleaned = super().clean()
        questionnaire = cleaned.get("questionnaire") or (
            self.instance.questionnaire if self.instance.questionnaire_id else None
        )
        answers = cleaned.get("answers")
        if questionnaire is None or not isinstance(answers, dict) or "answers" in self.errors:
            return cleaned
        try:
            rules = engine.Questionnaire.from_dict(document_of(questionnaire),
                                                   levels=catalogue_levels())
        except engine.QuestionnaireError:
            return cleaned  # the version's own problems are listed on its page
        try:
            engine.normalise_answers(rules, answers)
        except engine.AnswerError as error:
            self.add_error("answers", ValidationError(
                _("These answers do not fit version %(version)s: %(error)s"),
                code="answers_do_not_fit",
                params={"version": questionnaire.version, "error": error},
            ))
        return cleaned


@admin.register(ScreeningTestCase)
class ScreeningTestCaseAdmin(NoRelatedButtonsMixin, LockedAdminMixin, SimpleHistoryAdmin):
    form = ScreeningTestCaseForm
    list_display = ["name", "questionnaire", "expected_level", "expected_crisis", "is_active"]
    list_filter = ["questionnaire", "is_active", "expected_level", "expected_crisis"]
    list_select_related = ["questionnaire"]
    search_fields = ["name", "note"]
    actions = ["run_against_own_version", "run_against_draft", "run_against_published"]

    def _run(self, request, queryset, questionnaire, title):
        if questionnaire is None:
            self.message_user(request, _("There is no such version yet."), messages.WARNING)
            return None
        return _testcases_response(
            request, self.admin_site, [(questionnaire, queryset.order_by("name"))], title,
        )

    @admin.action(description=_("Run against their own version"), permissions=["view"])
    def run_against_own_version(self, request, queryset):
        versions = Questionnaire.objects.filter(
            pk__in=queryset.values("questionnaire")
        ).order_by("version")
        runs = [(version, queryset.filter(questionnaire=version).order_by("name"))
                for version in versions]
        return _testcases_response(request, self.admin_site, runs, _("Test case results"))

    @admin.action(description=_("Run against the latest draft"), permissions=["view"])
    def run_against_draft(self, request, queryset):
        draft = _draft_questionnaires().order_by("-version").first()
        return self._run(request, queryset, draft, _("Test cases against the latest draft"))

    @admin.action(description=_("Run against the published version"), permissions=["view"])
    def run_against_published(self, request, queryset):
        return self._run(
            request, queryset, _live_questionnaire(),
            _("Test cases against the published version"),
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
        names = getattr(self, "_requirement_names", {})  # set per list in changelist_view
        return ", ".join(str(names.get(key, key)) for key in obj.unmet_requirements) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        # Requirement names instead of keys (the same for everyone; newest version wins).
        self._requirement_names = dict(
            Requirement.objects.order_by("questionnaire__version").values_list("key", "name")
        )
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


admin.site.register(
    [Option.history.model, Step.history.model, Clause.history.model, ScoreBand.history.model],
    ReadOnlyHistoryAdmin,
)
