from django.urls import path

from groups.workspace import views

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("<int:pk>/", views.course_detail, name="course"),
]
