"""Admin: rule-set versions are viewed here and a new version is loaded from its
definition file (validated by the same service as ``manage.py
health_ruleset_load``); rows are never edited. Assessments are read-only here:
they change only through their workflow."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.admin import ReadOnlyAdmin

from .models import Assessment, RuleSetVersion
from .scoring import RuleSetError
from .services import AssessmentRefused, read_definition, ruleset_load

MAX_DEFINITION_BYTES = 1024 * 1024


class RuleSetUploadForm(forms.Form):
    definition = forms.FileField(
        label=gettext_lazy("Berkas definisi (YAML atau JSON)"),
        help_text=gettext_lazy(
            "Versi baru dengan kode dan nomor versi yang belum dimuat."
        ),
    )


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "version",
        "name",
        "valid_from",
        "valid_to",
        "has_provisional",
        "loaded_at",
        "loaded_by",
    )
    readonly_fields = (
        "code",
        "version",
        "name",
        "variant",
        "valid_from",
        "valid_to",
        "jenis",
        "has_provisional",
        "sha256",
        "loaded_by",
        "loaded_at",
        "definition",
    )
    change_list_template = "admin/health_assessment/ruleset_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        load = self.admin_site.admin_view(self.load_view)
        return [
            path("muat/", load, name="health_assessment_ruleset_load"),
            *super().get_urls(),
        ]

    def load_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_superuser:
            messages.error(request, _("Hanya administrator yang dapat memuat aturan."))
            return redirect("admin:health_assessment_rulesetversion_changelist")
        form = RuleSetUploadForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["definition"]
            try:
                if upload.size > MAX_DEFINITION_BYTES:
                    raise RuleSetError([_("Berkas terlalu besar (maksimal 1 MB).")])
                data = read_definition(upload.read())
                row = ruleset_load(data=data, acting_user=request.user)  # type: ignore[arg-type]
            except RuleSetError as error:
                errors = error.errors
            except AssessmentRefused as refusal:
                errors = [str(refusal)]
            else:
                messages.success(
                    request, _("Aturan %(label)s dimuat.") % {"label": row.label}
                )
                return redirect("admin:health_assessment_rulesetversion_changelist")
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": _("Muat versi aturan penilaian"),
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/health_assessment/ruleset_load.html", context
        )


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = (
        "cooperative",
        "tahun_buku",
        "revision",
        "status",
        "kind",
        "final_score",
        "predikat",
        "is_current",
    )
    list_filter = ("status", "kind", "predikat", "tahun_buku")
    search_fields = ("cooperative__name", "cooperative__nik")
    list_select_related = ("cooperative",)
