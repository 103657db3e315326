from django.urls import path

from flashcards import views

app_name = "flashcards"
urlpatterns = [
    path("<slug:slug>/flashcards/", views.flashcards, name="flashcards"),
    path("<slug:slug>/flashcards/<int:card_id>/review/", views.review, name="review"),
    path("<slug:slug>/flashcards/undo/", views.undo, name="undo"),
    path("<slug:slug>/flashcards/<int:card_id>/star/", views.star, name="star"),
]
