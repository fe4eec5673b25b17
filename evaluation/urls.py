from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("tak/", views.thanks, name="thanks"),
    path("<str:token>/", views.answer, name="answer"),
]
