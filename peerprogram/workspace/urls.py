from django.urls import path

from peerprogram.workspace import views

urlpatterns = [
    path("", views.today, name="today"),
]
