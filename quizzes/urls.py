from django.urls import path

from quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("<slug:slug>/quiz/", views.quiz, name="quiz"),
    path("<slug:slug>/quiz/start/", views.start, name="start"),
    path("<slug:slug>/quiz/discard/", views.discard, name="discard"),
    path(
        "<slug:slug>/quiz/<int:attempt_id>/questions/<int:question_id>/answer/",
        views.answer,
        name="answer",
    ),
    path("<slug:slug>/quiz/<int:attempt_id>/hand-in/", views.hand_in, name="hand-in"),
    path("<slug:slug>/quiz/<int:attempt_id>/results/", views.results, name="results"),
]
