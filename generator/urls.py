from django.urls import path

from generator import views

app_name = "generator"
urlpatterns = [
    path("new/", views.new_set, name="new"),
    path("new/<int:pk>/", views.progress, name="progress"),
    path("new/<int:pk>/retry/", views.retry, name="retry"),
    path("<slug:slug>/review/", views.review, name="review"),
    path("<slug:slug>/review/accept-all/", views.accept_all, name="accept-all"),
    path("<slug:slug>/review/<str:kind>/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/review/<str:kind>/<int:pk>/<str:action>/", views.decide, name="decide"),
    path("<slug:slug>/share/", views.share, name="share"),
]
