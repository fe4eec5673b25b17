from django.urls import path

from groups.workspace import views

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("<int:pk>/", views.course_detail, name="course"),
    path("gange/<int:pk>/flyt/", views.session_move, name="session_move"),
    path("gange/<int:pk>/aflys/", views.session_cancel, name="session_cancel"),
    path("gange/<int:pk>/genoptag/", views.session_restore, name="session_restore"),
]
