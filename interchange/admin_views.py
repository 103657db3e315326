"""Admin pages for importing a file into a set and exporting a set to a file."""

from __future__ import annotations

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from interchange import formats, store
from interchange.document import FormatError
from notes.models import StudySet


class ImportForm(forms.Form):
    file = forms.FileField(
        label="文件", help_text="Quizgecko 导出 .txt、CSV/TSV 卡片、Moodle GIFT、Anki .apkg 或 JSON"
    )
    format = forms.ChoiceField(
        label="格式",
        choices=[(f, f) for f in formats.READ_FORMATS],
        initial="auto",
        help_text="auto\uff1a按扩展名和内容识别",
    )
    title = forms.CharField(
        label="学习集标题", required=False, max_length=200, help_text="新建学习集时需要"
    )
    slug = forms.SlugField(
        label="网址名",
        required=False,
        help_text="留空则由标题拼音生成\uff1b填已有学习集的网址名则更新它",
    )


# Staff status opens admin; what a member of staff may do there is their permissions.
IMPORT_PERMISSIONS = ("notes.add_studyset", "notes.change_studyset")
EXPORT_PERMISSIONS = ("notes.view_studyset",)


@staff_member_required
@permission_required(IMPORT_PERMISSIONS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> TemplateResponse:
    """Upload a file; everything or nothing is imported, drafts listed at the end."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "title": "导入学习集", "report": None, "error": None, "skipped": []}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                formats.check_size(upload.size)
                doc = formats.read(upload.name, upload.read(), form.cleaned_data["format"])
                fallback = upload.name.rsplit(".", 1)[0]
                context["report"] = store.save(
                    doc,
                    slug=form.cleaned_data["slug"],
                    title=form.cleaned_data["title"] or ("" if doc.title else fallback),
                )
                context["skipped"] = doc.skipped
            except FormatError as error:
                context["error"] = f"{upload.name}\uff1a{error}"
                status = 400
        else:
            status = 400
    return TemplateResponse(request, "admin/interchange/import.html", context, status=status)


@staff_member_required
@permission_required(EXPORT_PERMISSIONS, raise_exception=True)
@require_GET
def export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in formats.WRITE_FORMATS:
        raise Http404("不支持的导出格式。")
    study_set = get_object_or_404(StudySet, pk=pk)
    data = formats.write(store.load(study_set), fmt)
    response = HttpResponse(data, content_type=formats.CONTENT_TYPES[fmt])
    filename = f"{study_set.slug}.{formats.EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
