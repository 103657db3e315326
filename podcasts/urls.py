from django.urls import path

from podcasts import views

app_name = "podcasts"
urlpatterns = [
    path("<slug:slug>/podcast/", views.podcast, name="podcast"),
    path("<slug:slug>/podcast/render/", views.generate, name="render"),
    path("<slug:slug>/podcast/episode.mp3", views.episode_audio, name="audio"),
]
