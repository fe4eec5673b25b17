"""A coordinator registers a citizen who phoned or walked in (the workspace's course page).

The same rules, service and seat lock as the public form: the programme's eligibility rules
(participants.eligibility), then `participants.services.registration_submit` under the course
lock. What differs: the registration names the coordinator who made it (`registered_by`), the
coordinator confirms that the citizen agreed (`citizen_agreed`), and only the custody holders
themselves can consent for a child under 15 — the child's seat waits for their confirmation
(status AWAITING_CUSTODY, one link to each custody holder), whatever the coordinator says.
"""

import dataclasses
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from groups.models import Course
from participants.eligibility import Answers, EligibilityResult, Outcome, course_rules, evaluate
from participants.models import Registration
from participants.services import RegistrationRequest, registration_submit


class NotEligible(Exception):
    """The answers fail the programme's rules; nothing was stored."""

    def __init__(self, result: EligibilityResult):
        super().__init__(result.reasons)
        self.result = result


def staff_registration_submit(
    *, course: Course, request: RegistrationRequest, answers: Answers, user: Any
) -> Registration:
    """Register a citizen on their behalf, as `user` (a coordinator of the course).

    `answers` are the eligibility answers as the form gives them (dates as dates). Raises
    `NotEligible` when the rules say no, `participants.services.RegistrationClosed` when the
    course takes no registrations now, and ValidationError when the citizen's agreement is not
    confirmed; each time nothing is stored.
    """
    if not request.citizen_agreed:
        raise ValidationError(_("Borgeren skal have sagt ja til tilmeldingen."))
    result = evaluate(
        course_rules(course.program.eligibility_rules, course=course),
        answers,
        course_start=course.first_date,
    )
    if result.outcome == Outcome.NOT_ELIGIBLE:
        raise NotEligible(result)
    return registration_submit(
        course=course,
        # A coordinator never consents for a custody holder.
        request=dataclasses.replace(request, registered_by=user, guardian_consent=False),
        needs_review=result.outcome == Outcome.NEEDS_CONVERSATION,
        eligibility=result.as_dict(),
    )
