from django.shortcuts import render

from groups.selectors import public_programs


def home(request):
    return render(request, "groups/home.html", {"programs": public_programs()})
