from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("", views.me, name="me"),
    path("mistakes/", views.mistakes, name="mistakes"),
    path("practice/", views.practice, name="practice"),
    path("practice/<slug:slug>/start/", views.start, name="start"),
]
