"""Every extension point between the apps, declared in one place.

The apps form layers and import only downwards: peerprogram ← groups ← participants ←
volunteers and evaluation. Where a lower layer needs an answer that only a higher one has (who
is told when a session moves, what else is kept about a participant), the lower layer sends one
of the hooks below and the higher apps answer. Each app that answers has one module,
`<app>/receivers.py`, with a `@receiver(hooks.…)` function per answer; its AppConfig.ready()
imports that module and does nothing else. To see who answers a hook, search the receivers
modules for its name.

Every hook is a `django.dispatch.Signal`. Its docstring says who sends it, with which
arguments, what a receiver returns and which apps answer today. Senders call `answers()`,
which uses `send()`, never `send_robust()`: a receiver that fails is a bug to see, not a
voice to skip. Receivers are called in the order they were connected, which is the order of
the apps in INSTALLED_APPS (the layers, lowest first); a sender that depends on an order says
so and sorts explicitly.

This module imports nothing from the apps, so any layer may import it.
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.dispatch import Signal


def answers(hook: Signal, **arguments) -> list:
    """What every receiver of `hook` returned, in the order they were connected."""
    return [answer for _receiver, answer in hook.send(sender=None, **arguments)]


# --- Sessions: who is told ------------------------------------------------------------------

session_recipients = Signal()
"""Who is told about sessions: the reminder before a session, and the notices when a session
moves, is cancelled or restored, or its course is re-planned or cancelled.

Sent by `groups.reminders.session_recipients()` with `sessions` (a list of `Session`).
A receiver returns `{session id: [peerprogram.outbox.services.Recipient, …]}` for those sessions,
answering for all of them in a fixed number of queries. A person named by several receivers
(the same `Recipient.key`) is told once, as the first receiver named them.
Answered by participants (accepted participants of the session's course) and volunteers (the
course's facilitators).
"""


# --- Courses: who facilitates, in print -------------------------------------------------------

course_facilitators = Signal()
"""The facilitators printed in a course's manual.

Sent by `groups.manuals.course_facilitators()` with `course`. A receiver returns a list of
`{"name": …, "role": …}` in the order they should be printed.
Answered by volunteers (the assigned peers and professionals, anonymised ones left out).
"""


# --- Programmes: eligibility rules --------------------------------------------------------------

eligibility_rules_problems = Signal()
"""What is wrong with a programme's eligibility rules, checked when the programme is cleaned.

Sent by `groups.models.Program.clean()` with `rules` (the list in `Program.eligibility_rules`,
already known to be a list). A receiver returns a list of Danish messages, empty when the
rules are fine; any message stops the save.
Answered by participants, which reads the rules at registration (participants.eligibility).
"""


# --- The audit trail: which models are tracked ------------------------------------------------

audit_tracking = Signal()
"""Which models go into the audit trail, and which of their fields may show their values.

Sent by `peerprogram.audit.trail.tracking_apply()`, once at start: from the last app in
INSTALLED_APPS (`peerprogram.startup`), when every app's receivers are connected. No
arguments. A receiver returns a list of `peerprogram.audit.trail.Tracked`.
Answered by participants (participants, registrations, attendance; views of attendance lists
as views of their course) and volunteers (peers, certificates, accompaniment, concerns,
contact requests, bridging).
"""


# --- Privacy: retention and a participant's data -----------------------------------------------

retention_sources = Signal()
"""The kinds of records that hold people, for retention (anonymising once a period has passed).

Sent by `peerprogram.privacy.retention.retention_sources()` with no arguments. A receiver
returns a list of `peerprogram.privacy.retention.RetentionSource`; names must be unique. Plans
list the sources in the order the receivers answered.
Answered by participants ("participants") and volunteers ("peers", "contact_requests").
"""

participant_extensions = Signal()
"""What a higher layer holds about a participant, for export, anonymisation and retention.

Sent by `participants.privacy` (export, related rows, anonymising, due dates) with no
arguments. A receiver returns one `participants.privacy.ParticipantExtension`.
Answered by volunteers (accompaniment, bridging).
"""


# --- The outbox: secrets made at delivery --------------------------------------------------------

outbox_secret_providers = Signal()
"""The providers of the secrets a message carries (a link with a token), made at delivery and
never stored; a message names its provider in `OutboxMessage.secret_provider`.

Sent by `peerprogram.outbox.services` when it delivers a message that names a provider; no
arguments. A receiver returns `{provider name: callable(message) -> secret}`; a name answered
twice is an error.
Answered by peerprogram ("password_reset"), participants ("registration_status",
"custody_confirmation") and evaluation ("evaluation_token").
"""


# --- Demo data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """One app's demo data: `load()` adds it, and does nothing the second time."""

    app: str
    load: Callable[[], None]


demo_data = Signal()
"""Each app's demo data, loaded by `manage.py seed_demo`.

Sent by the seed_demo command with no arguments. A receiver returns one `DemoData` with its
app's label. The command loads them in the order of their apps in INSTALLED_APPS, which lists
the layers from the lowest up (peerprogram, groups, participants, volunteers, evaluation), so
each loader finds the demo data of the layers below it.
Answered by every app.
"""


# --- The course admin ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminExtension:
    """What a higher layer adds to a lower layer's ModelAdmin.

    - `inlines`: inline classes, put before the admin's own, on an existing object's page only
      (an inline may then rely on the object, e.g. to check a choice against it);
    - `columns`: callables(obj) for the list, decorated with `admin.display`, after the
      admin's own columns;
    - `annotate`: callable(queryset) -> queryset, for what the columns read.
    """

    inlines: Sequence[type] = ()
    columns: Sequence[Callable] = ()
    annotate: Callable | None = None


course_admin_extensions = Signal()
"""Inlines and list columns that higher layers add to the course admin.

Sent by `groups.admin.CourseAdmin` (get_inlines, get_list_display, get_queryset) with no
arguments. A receiver returns one `AdminExtension`.
Answered by volunteers (the facilitator inline, and the column "assigned/required").
"""


# --- The coordinator's workspace ----------------------------------------------------------------


@dataclass(frozen=True)
class WorkRow:
    """One thing to do in a work item: what it is, where it is resolved (one click), and who
    touched it last (a name and a time, or empty when nobody has)."""

    text: str
    url: str
    detail: str = ""
    touched_by: str = ""
    touched_at: datetime.datetime | None = None


@dataclass(frozen=True)
class WorkItem:
    """A kind of work on the "I dag" page: its title, how many there are, the first rows, and
    what removes a row from the list (`resolved_when`, a Danish sentence)."""

    key: str
    title: str
    count: int
    rows: Sequence[WorkRow]
    resolved_when: str
    order: int = 100


# Rows a work item lists; its `count` says how many there are in all.
WORK_ROWS_SHOWN = 8

work_items = Signal()
"""The work queue on the coordinator's "I dag" page (peerprogram.workspace).

Sent by `peerprogram.workspace.queue.work_queue()` with `user`, `organisation_ids` (where the
user coordinates) and `now`. A receiver returns a list of `WorkItem` (an empty item may be
left out), counting and listing in a constant number of queries whatever the data size, and
each row's `url` points to the page where it is resolved. Items are shown by `order`, then key.
Answered by peerprogram (failed and uncertain messages, a stopped retention run), participants
(registrations waiting for a conversation or for custody holders, people no channel reaches),
volunteers (declines and missing answers, courses short of facilitators, børneattester running
out, accompaniments ending, contact requests).
"""


@dataclass(frozen=True)
class Section:
    """A part of a workspace page that another app renders: its heading, its template
    (included with `section` in the page's context) and the data the template reads."""

    key: str
    title: str
    template: str
    context: dict
    order: int = 100


today_sections = Signal()
"""Sections of the "I dag" page beside the work queue.

Sent by `peerprogram.workspace.views.today` with `user`, `organisation_ids` and `now`. A
receiver returns a list of `Section`, in a constant number of queries.
Answered by groups (this week's and next week's sessions).
"""

course_sections = Signal()
"""The sections of the workspace's course page (groups.workspace) beyond its sessions.

Sent by `groups.workspace.views.course_detail` with `course` and `request` (its user may
coordinate the course's organisation; the policy has been asked). A receiver returns a list of
`Section`, reading in a constant number of queries whatever the course's size.
Answered by participants (participants, waitlist, attendance, messages) and volunteers
(facilitators and their answers).
"""


# --- Sessions: moving one -------------------------------------------------------------------------

session_move_refusals = Signal()
"""Why a session cannot move to a new time, as only a higher layer knows (its people).

Sent by `groups.services.session_move_refusals()` (for `session_move` and the workspace's
preview of a move) with `session` (a `Session`), `starts_at` and `ends_at` (the new time,
aware datetimes). A receiver returns a list of Danish sentences, each naming the person and
what they are already booked for; empty when nothing stands in the way. Any sentence refuses
the move, and no one can override it. Receivers answer in a constant number of queries.
Answered by volunteers (a facilitator of the course who facilitates another course's session
at an overlapping time).
"""

course_message_recipients = Signal()
"""Who besides its participants a coordinator's message to a course can reach: its facilitators.

Sent by `participants.course_messages.course_message_recipients()` with `course`. A receiver
returns a list of `peerprogram.outbox.services.Recipient`, in a fixed number of queries.
Answered by volunteers (the course's facilitators who may facilitate it today).
"""
