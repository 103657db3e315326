from django.urls import path

from progress import views

app_name = "progress"
urlpatterns = [
    path("", views.me, name="me"),
    path("mistakes/", views.mistakes, name="mistakes"),
    path("practice/", views.practice, name="practice"),
    path("practice/<slug:slug>/start/", views.start, name="start"),
    path("today/", views.today, name="today"),
    path("today/cards/<int:card_id>/review/", views.today_review, name="today-review"),
    path("today/questions/<int:question_id>/answer/", views.today_answer, name="today-answer"),
]
