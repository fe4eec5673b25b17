from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from evaluation import services
from evaluation.forms import AnswerForm
from peerprogram.permissions import public


@public
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    invitation = services.open_invitation(token)
    if invitation is None:
        # A used invitation is deleted, so nothing tells whose it was.
        return render(
            request,
            "evaluation/unavailable.html",
            {"organisation": None, "program": None},
            status=404,
        )
    course = invitation.course
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        questionnaires=services.questionnaires_for(course, invitation.phase),
    )
    if request.method == "POST" and form.is_valid():
        if services.response_submit(token=token, answers=form.answers()):
            return redirect("evaluation:thanks")
        # Answered meanwhile (another tab): the course's contact is known from the form.
        return render(
            request,
            "evaluation/unavailable.html",
            {"organisation": course.program.organisation, "program": course.program},
            status=404,
        )
    return render(
        request,
        "evaluation/answer.html",
        {"form": form, "course": course, "organisation": course.program.organisation},
    )


@public
def thanks(request):
    return render(request, "evaluation/thanks.html")
