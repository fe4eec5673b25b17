"""How participants answers the hooks of the layers below it (peerprogram.hooks).

Imported once, in ParticipantsConfig.ready(); nothing else wires this app to the others.
"""

from collections import defaultdict

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from groups import page_versions
from groups.models import Course
from participants import attendance, course_messages, demo, privacy, selectors
from participants.eligibility import validate_rules
from participants.models import Attendance, ContactLogEntry, Participant, Registration
from participants.services import custody_confirmation_url, registration_recipient
from participants.status_links import registration_status_url
from participants.workspace import items
from participants.workspace.decisions import available_decisions
from peerprogram import hooks
from peerprogram.audit import trail
from peerprogram.audit.trail import Tracked
from peerprogram.privacy.retention import RetentionSource


# A seat taken or freed changes the course's public pages (peerprogram.page_cache).
@receiver([post_save, post_delete], sender=Registration)
def registration_page_changed(sender, instance, **kwargs):
    page_versions.courses_changed([instance.course_id])


@receiver(hooks.session_recipients)
def accepted_participants(sender, *, sessions, **kwargs):
    """Everyone with a seat on the sessions' courses, in one query however many sessions."""
    registrations = Registration.objects.filter(
        course_id__in={session.course_id for session in sessions},
        status=Registration.Status.ACCEPTED,
    ).select_related("participant", "course")
    by_course = defaultdict(list)
    for registration in registrations:
        by_course[registration.course_id].append(registration_recipient(registration))
    return {session.pk: by_course[session.course_id] for session in sessions}


@receiver(hooks.eligibility_rules_problems)
def eligibility_rules_problems(sender, *, rules, **kwargs):
    """The rules registration cannot read, in Danish (participants.eligibility)."""
    return validate_rules(rules)


@receiver(hooks.retention_sources)
def retention_sources(sender, **kwargs):
    """Participants, with their registrations and attendance, as one source."""
    return [
        RetentionSource(
            name="participants",
            label=_("Deltagere"),
            due=privacy.participants_due,
            anonymise=privacy.participant_anonymise,
            population=privacy.participants_population,
        )
    ]


@receiver(hooks.outbox_secret_providers)
def outbox_secret_providers(sender, **kwargs):
    """The personal status link in messages about a registration, and a custody holder's
    one-time confirmation link."""
    return {
        "registration_status": registration_status_url,
        "custody_confirmation": custody_confirmation_url,
    }


@receiver(hooks.audit_tracking)
def audit_tracking(sender, **kwargs):
    """A person's records; values masked except in the fields listed as plain."""
    return [
        Tracked(Participant, plain=["organisation", "sms_opt_in", "created_at"]),
        Tracked(
            Registration,
            plain=[
                "participant",
                "course",
                "status",
                "waitlist_position",
                "registered_by",
                "citizen_agreed",
                "wants_accompaniment",
                "privacy_notice_version",
                "consent_given_at",
                "decided_by",
                "decided_at",
                "accepted_at",
                "status_changed_at",
                "dropout_override",
                "created_at",
                "registered_with",
                "takes_seat",
                "hold_until",
            ],
        ),
        Tracked(
            Attendance, plain=["session", "registration", "status", "recorded_by", "recorded_at"]
        ),
        Tracked(ContactLogEntry, plain=["registration", "kind", "day", "user", "created_at"]),
        # Attendance lists are recorded as views of their course.
        Tracked(Course, changes=False),
    ]


@receiver(hooks.demo_data)
def demo_data(sender, **kwargs):
    """Registrations and attendance on the demo courses."""
    return hooks.DemoData(app="participants", load=demo.load)


@receiver(hooks.course_sections)
def course_sections(sender, *, course, request, **kwargs):
    """The course page's actions on participants, the participants with their attendance so
    far, the waitlist, the held sessions and the messages about the course, in a fixed number
    of queries. The participants are a list of people, so showing them is recorded as a view
    of the course's roster, as printing it is."""
    registrations = list(selectors.course_registrations(course=course))
    if registrations:
        trail.record(user=request.user, action=trail.VIEW, obj=course, detail="deltagerliste")
    for registration in registrations:
        registration.decisions = available_decisions(registration)
    held = attendance.held_sessions(course=course)
    messages = course_messages.course_outbox_messages(course=course)
    shown = list(messages[: course_messages.MESSAGES_SHOWN])
    for message in shown:
        message.kind_label = course_messages.kind_label(message.kind)
    waitlisted = Registration.Status.WAITLISTED
    return [
        hooks.Section(
            key="actions",
            title=_("Handlinger"),
            template="participants/workspace/course_actions_section.html",
            context={"course": course},
            order=5,
        ),
        hooks.Section(
            key="participants",
            title=_("Deltagere"),
            template="participants/workspace/participants_section.html",
            context={
                "registrations": [r for r in registrations if r.status != waitlisted],
                "held": len(held),
                "seated": Registration.SEATED,
            },
            order=30,
        ),
        hooks.Section(
            key="attendance",
            title=_("Fremmøde"),
            template="participants/workspace/attendance_section.html",
            context={"held_sessions": held},
            order=35,
        ),
        hooks.Section(
            key="waitlist",
            title=_("Venteliste"),
            template="participants/workspace/waitlist_section.html",
            context={"registrations": [r for r in registrations if r.status == waitlisted]},
            order=40,
        ),
        hooks.Section(
            key="messages",
            title=_("Beskeder om forløbet"),
            template="participants/workspace/message_section.html",
            context={"messages": shown, "count": messages.count()},
            order=60,
        ),
    ]


@receiver(hooks.work_items)
def work_items(sender, *, organisation_ids, **kwargs):
    """Registrations waiting for a conversation or for custody holders, and people no
    channel reaches (participants.workspace.items)."""
    return items.participant_work_items(organisation_ids=organisation_ids)
