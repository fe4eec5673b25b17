from django.urls import path

from participants.workspace import views

urlpatterns: list = [
    # The registration page and its decisions (participants.workspace.views).
    path("tilmeldinger/<int:pk>/", views.registration_detail, name="registration"),
    path(
        "tilmeldinger/<int:pk>/beslutning/<slug:decision>/",
        views.registration_decision,
        name="registration_decision",
    ),
]
