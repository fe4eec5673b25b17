from django.urls import path

from volunteers.workspace import views

urlpatterns = [
    path(
        "forloeb/<int:pk>/facilitatorer/",
        views.facilitator_assign,
        name="facilitator_assign",
    ),
    path(
        "forloeb/facilitatorer/<int:pk>/fjern/",
        views.facilitator_unassign,
        name="facilitator_unassign",
    ),
    path("forloeb/gange/<int:pk>/afloeser/", views.substitute, name="substitute"),
]
