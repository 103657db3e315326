"""Import and export in Django admin: interchange hangs its pages off the set's
admin (where staff look for them) by extending the notes app's StudySetAdmin,
so notes knows nothing of the app above it. The buttons that link here are in
templates/admin/notes/studyset/."""

from django.contrib import admin
from django.urls import path

from interchange.admin_views import export_view, import_view
from notes import admin as notes_admin
from notes.models import StudySet


class StudySetAdmin(notes_admin.StudySetAdmin):
    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(import_view), name="notes_studyset_import"),
            path(
                "<int:pk>/export/<str:fmt>/",
                self.admin_site.admin_view(export_view),
                name="notes_studyset_export",
            ),
            *super().get_urls(),
        ]


# notes (listed before interchange in INSTALLED_APPS) registered the set's admin first.
admin.site.unregister(StudySet)
admin.site.register(StudySet, StudySetAdmin)
