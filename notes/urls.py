from django.urls import path

from notes import views

app_name = "notes"
urlpatterns = [
    path("shared/<str:token>/", views.shared, name="shared"),
    path("<slug:slug>/", views.overview, name="overview"),
    path("<slug:slug>/notes/", views.notes, name="notes"),
]
