"""Every admin and site URL against every role: who gets what.

Later issues add their URLs and roles to these tables.
"""

import copy
import datetime

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse

from evaluation.models import Questionnaire, Report
from groups.services import course_plan_sessions
from participants.models import Attendance, ContactLogEntry, Registration
from peerprogram.models import (
    AuditEntry,
    ErasureRecord,
    Membership,
    OutboxMessage,
    RetentionPolicy,
    RetentionRun,
)
from tests.factories import (
    BlackoutPeriodFactory,
    CoordinatorFactory,
    CourseFactory,
    HelpContactFactory,
    OrganisationAdminFactory,
    OrganisationFactory,
    OutboxMessageFactory,
    PartnerFactory,
    ProgramFactory,
    ReferrerFactory,
    RegistrationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.volunteers.factories import (
    DeclarationFactory,
    DeclarationSignatureFactory,
    PeerFactory,
    TrainingModuleFactory,
)
from volunteers.models import (
    Accompaniment,
    Association,
    Bridging,
    Concern,
    ContactRequest,
    CourseFacilitator,
)

ANONYMOUS, COORDINATOR_A, COORDINATOR_B, SUPERUSER = "anonymous", "coord_a", "coord_b", "super"
REFERRER_A = "referrer_a"  # municipal staff who register citizens; no access to data
PEER_A = "peer_a"  # a facilitator of course A, using the peer portal
PARTNER_A = "partner_a"  # a municipal partner of A: aggregate figures and reports only
ORG_ADMIN_A = "org_admin_a"  # coordinates A and also manages its staff and policies
# Coordinates B and is a statistics partner of A: in A, a partner and nothing more.
MIXED = "coord_b_partner_a"
ROLES = [
    ANONYMOUS,
    REFERRER_A,
    PEER_A,
    PARTNER_A,
    COORDINATOR_A,
    ORG_ADMIN_A,
    COORDINATOR_B,
    MIXED,
    SUPERUSER,
]

LOGIN = "login"  # a 302 to the admin login page
# The rule (peerprogram.permissions): another organisation's object is a 404, a signed-in role
# without the page a 403, and anonymous visitors are sent to log in.


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The organisations, people and objects, built once for the module inside a transaction
    that is rolled back after its last test: other modules never see them. Each test runs in a
    savepoint within it (pytest-django's `db`), so what one test changes the next never sees."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db):
    # Copies: a test that changes an object in memory leaves the next test the saved one.
    return copy.deepcopy(module_world)


def _build_world():
    org_a = OrganisationFactory(name="Lejre Kommune", slug="lejre")
    HelpContactFactory(organisation=org_a, label="Lejres akuttilbud", phone="11 22 33 44")
    org_b = OrganisationFactory(name="Hillerød Kommune", slug="hillerod", municipality_code="219")
    coordinator_a = CoordinatorFactory(username="koordinator.a", organisations=[org_a])
    coordinator_b = CoordinatorFactory(username="koordinator.b", organisations=[org_b])
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    course_a = CourseFactory(
        program=ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet"),
        title="Forår, Lejre",
    )
    ThemeFactory(program=course_a.program, number=1)
    course_plan_sessions(course=course_a)
    BlackoutPeriodFactory(organisation=org_a, iso_week=42)
    OutboxMessageFactory(organisation=org_a)
    RegistrationFactory(course=course_a)
    peer_user = UserFactory(username="peer.a")
    peer = PeerFactory(organisation=org_a, user=peer_user)
    DeclarationSignatureFactory(peer=peer, declaration=DeclarationFactory(organisation=org_a))
    TrainingModuleFactory(organisation=org_a)
    CourseFacilitator.objects.create(course=course_a, peer=peer)
    session = course_a.sessions.first()
    Attendance.objects.create(
        session=session, registration=course_a.registrations.first(), status="present"
    )
    Concern.objects.create(
        session=session, reported_by=peer, passed_on=session.starts_at.date(), passed_to="Kommunen"
    )
    participant = course_a.registrations.first().participant
    accompaniment = Accompaniment.objects.create(
        peer=peer,
        participant=participant,
        program=course_a.program,
        starts_on=datetime.date(2026, 1, 15),
        planned_end_on=datetime.date(2026, 7, 15),
    )
    accompaniment.meetings.create(date=datetime.date(2026, 2, 1), kind="conversation")
    ContactRequest.objects.create(
        organisation=org_a, first_name="Lone", email="lone@eksempel.dk", wish="peer"
    )
    association = Association.objects.create(organisation=org_a, name="Idrætsforeningen")
    activity = association.activities.create(
        name="Motion for sindet", when="Tirsdag kl. 10.00", place="Hallen"
    )
    Bridging.objects.create(participant=participant, activity=activity, peer=peer)
    Questionnaire.objects.create(organisation=org_a, name="Lejres egne spørgsmål")
    return {
        PEER_A: peer_user,
        ANONYMOUS: None,
        COORDINATOR_A: coordinator_a,
        COORDINATOR_B: coordinator_b,
        SUPERUSER: superuser,
        REFERRER_A: ReferrerFactory(username="henviser.a", organisations=[org_a]),
        PARTNER_A: PartnerFactory(username="partner.a", organisations=[org_a]),
        ORG_ADMIN_A: OrganisationAdminFactory(username="admin.a", organisations=[org_a]),
        MIXED: _mixed(org_a, org_b),
        "org_a": org_a,
        "course_a": course_a,
    }


def _mixed(org_a, org_b):
    user = CoordinatorFactory(username="koordinator.b.partner.a", organisations=[org_b])
    Membership.objects.create(
        user=user, organisation=org_a, role=Membership.Role.STATISTICS, municipalities=["350"]
    )
    return user


def org_a_objects(world):
    """One object of org A per registered model admin, by model label."""
    course = world["course_a"]
    return {
        "peerprogram.organisation": world["org_a"],
        "groups.program": course.program,
        "groups.course": course,
        "groups.session": course.sessions.first(),
        "peerprogram.outboxmessage": world["org_a"].outbox_messages.first(),
        "participants.participant": course.registrations.first().participant,
        "participants.registration": course.registrations.first(),
        "volunteers.peer": world["org_a"].peers.first(),
        "volunteers.declaration": world["org_a"].declarations.first(),
        "volunteers.trainingmodule": world["org_a"].training_modules.first(),
        "participants.attendance": Attendance.objects.get(),
        "volunteers.concern": Concern.objects.get(),
        "volunteers.accompaniment": Accompaniment.objects.get(),
        "volunteers.contactrequest": ContactRequest.objects.get(),
        "volunteers.association": Association.objects.get(),
        "volunteers.bridging": Bridging.objects.get(),
        "evaluation.questionnaire": Questionnaire.objects.get(organisation=world["org_a"]),
        "evaluation.report": Report.objects.get(pk=course.program.pk),
        "peerprogram.membership": Membership.objects.get(
            user=world[COORDINATOR_A], organisation=world["org_a"]
        ),
        "peerprogram.auditentry": AuditEntry.objects.filter(organisation=world["org_a"]).first(),
        "peerprogram.retentionpolicy": RetentionPolicy.objects.get_or_create(
            organisation=world["org_a"]
        )[0],
        "peerprogram.erasurerecord": ErasureRecord.objects.get_or_create(
            organisation=world["org_a"], kind=ErasureRecord.Kind.PARTICIPANT, object_id=999
        )[0],
    }


PUBLIC_URLS = [
    ("home", {}),
    ("organisation", {"slug": "lejre"}),
    ("organisation_privacy", {"slug": "lejre"}),
    # Ud i Livet's way in: the contact card's address, and applying to be a volunteer peer.
    ("volunteers:contact_request", {"slug": "lejre"}),
    ("volunteers:peer_application", {"slug": "lejre"}),
    # A citizen asks for a new status link, and is told the same whatever they typed.
    ("participants:status_link_request", {}),
    ("participants:status_link_sent", {}),
    ("healthz", {}),
    ("admin_password_reset", {}),
    ("password_reset_done", {}),
    ("password_reset_complete", {}),
]


@pytest.mark.smoke
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_URLS)
def test_public_pages_are_open_to_everyone(world, client_for, role, name, kwargs):
    response = client_for(world[role]).get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["participants:course", "participants:register"])
def test_course_pages_are_open_to_everyone(world, client_for, role, page):
    url = reverse(page, args=[world["course_a"].pk])
    assert client_for(world[role]).get(url).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_status_link_with_an_unknown_token_is_a_friendly_404(world, client_for, role):
    url = reverse("participants:status", args=["not-a-real-token"])
    response = client_for(world[role]).get(url)
    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_custody_link_with_an_unknown_token_is_a_friendly_404(world, client_for, role):
    url = reverse("participants:custody", kwargs={"pk": 1, "token": "not-a-real-token"})
    for response in [client_for(world[role]).get(url), client_for(world[role]).post(url)]:
        assert response.status_code == 404
        assert "Linket virker ikke" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_unknown_organisation_page_is_404(world, client_for, role):
    response = client_for(world[role]).get(reverse("organisation", kwargs={"slug": "findes-ikke"}))
    assert response.status_code == 404


# Who may open each kind of admin page for an object of organisation A. Another
# organisation's object is a 404, exactly like one that does not exist.
CHANGE_PAGE = {
    ANONYMOUS: LOGIN,
    REFERRER_A: 403,
    PEER_A: 403,
    PARTNER_A: 403,
    COORDINATOR_A: 200,
    ORG_ADMIN_A: 200,
    COORDINATOR_B: 404,
    MIXED: 403,
    SUPERUSER: 200,
}
LIST_PAGE = {**CHANGE_PAGE, COORDINATOR_B: 200, MIXED: 200}
# Only superusers remove organisations.
SUPERUSER_ONLY = {**CHANGE_PAGE, COORDINATOR_A: 403, ORG_ADMIN_A: 403}
NOBODY = {**SUPERUSER_ONLY, SUPERUSER: 403}
# Partners read the aggregate reports of their organisation, like its coordinators.
REPORT_PAGE = {**CHANGE_PAGE, PARTNER_A: 200, MIXED: 200}
# Staff and roles are managed by the organisation's admins.
STAFF_PAGE = {**CHANGE_PAGE, COORDINATOR_A: 403}
EXCEPTIONS = {
    ("peerprogram.organisation", "delete"): SUPERUSER_ONLY,
    # The outbox is a record: read and decided on, never deleted.
    ("peerprogram.outboxmessage", "delete"): NOBODY,
    ("participants.registration", "delete"): NOBODY,
    # Reports are read, never deleted.
    ("evaluation.report", "change"): REPORT_PAGE,
    ("evaluation.report", "history"): REPORT_PAGE,
    ("evaluation.report", "delete"): NOBODY,
    ("peerprogram.membership", "change"): STAFF_PAGE,
    ("peerprogram.membership", "history"): STAFF_PAGE,
    ("peerprogram.membership", "delete"): STAFF_PAGE,
    # The audit trail is read-only for everyone, superusers too.
    ("peerprogram.auditentry", "delete"): NOBODY,
    # Every organisation keeps its retention policy; erasure records are never removed.
    ("peerprogram.retentionpolicy", "delete"): NOBODY,
    ("peerprogram.erasurerecord", "delete"): NOBODY,
}
LIST_EXCEPTIONS = {
    "evaluation.report": {**LIST_PAGE, PARTNER_A: 200},
    "peerprogram.membership": {**LIST_PAGE, COORDINATOR_A: 403, COORDINATOR_B: 403, MIXED: 403},
}


def expect(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


@pytest.mark.smoke
@pytest.mark.parametrize("role", ROLES)
def test_admin_index(world, client_for, role):
    # Partners land on an index that lists their reports only.
    expect(client_for(world[role]).get(reverse("admin:index")), {**LIST_PAGE, PARTNER_A: 200}[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "label",
    [
        "peerprogram.organisation",
        "peerprogram.outboxmessage",
        "groups.program",
        "groups.course",
        "groups.session",
        "participants.participant",
        "participants.registration",
        "volunteers.peer",
        "volunteers.declaration",
        "volunteers.trainingmodule",
        "participants.attendance",
        "volunteers.concern",
        "volunteers.accompaniment",
        "volunteers.contactrequest",
        "volunteers.association",
        "volunteers.bridging",
        "evaluation.questionnaire",
        "evaluation.report",
        "peerprogram.membership",
        "peerprogram.auditentry",
        "peerprogram.retentionpolicy",
        "peerprogram.erasurerecord",
    ],
)
def test_admin_pages_of_organisation_a(world, client_for, role, label):
    obj = org_a_objects(world)[label]
    client = client_for(world[role])
    opts = obj._meta
    info = (opts.app_label, opts.model_name)

    listing = LIST_EXCEPTIONS.get(label, LIST_PAGE)
    expect(client.get(reverse("admin:{}_{}_changelist".format(*info))), listing[role])
    for view in ["change", "history", "delete"]:
        url = reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk])
        expected = EXCEPTIONS.get((label, view), CHANGE_PAGE)
        expect(client.get(url), expected[role])


def reaching_the_changelist(labels):
    """(role, label) for each role that the tables above let into the label's changelist: only
    they have rows to look at."""
    return [
        pytest.param(role, label, id=f"{label}-{role}")
        for role in ROLES
        for label in labels
        if LIST_EXCEPTIONS.get(label, LIST_PAGE)[role] == 200
    ]


@pytest.mark.parametrize(
    ("role", "label"),
    reaching_the_changelist(
        [
            "groups.program",
            "groups.course",
            "groups.session",
            "peerprogram.outboxmessage",
            "participants.participant",
            "participants.registration",
            "volunteers.accompaniment",
            "volunteers.contactrequest",
            "volunteers.association",
            "volunteers.bridging",
            "evaluation.report",
            "peerprogram.auditentry",
        ]
    ),
)
def test_changelist_never_lists_another_organisations_rows(world, client_for, role, label):
    obj = org_a_objects(world)[label]
    response = client_for(world[role]).get(
        reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    )
    listed = {row.pk for row in response.context["cl"].result_list}
    # A partner of A (MIXED is one) reads A's reports and nothing else of A.
    sees_a = role != COORDINATOR_B and (role != MIXED or label == "evaluation.report")
    assert (obj.pk in listed) == sees_a


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "of"),
    [
        ("csv", "program"),
        ("pdf", "program"),
        ("tariff", "program"),
        ("course", "course"),
        ("course_csv", "course"),
        ("course_pdf", "course"),
        ("sheet", "course"),
    ],
)
def test_report_pages_of_organisation_a(world, client_for, role, name, of):
    course = world["course_a"]
    obj = course.program if of == "program" else course
    url = reverse(f"admin:evaluation_report_{name}", args=[obj.pk])
    # Printing answer cards makes new links: coordinators only.
    expected = CHANGE_PAGE if name == "sheet" else REPORT_PAGE
    expect(client_for(world[role]).get(url), expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", ["participants.participant", "volunteers.peer"])
@pytest.mark.parametrize("view", ["export_json", "export_pdf", "erase"])
def test_requests_from_a_person(world, client_for, role, label, view):
    obj = org_a_objects(world)[label]
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_{view}", args=[obj.pk])
    expect(client_for(world[role]).get(url), CHANGE_PAGE[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_retention_dry_run(world, client_for, role):
    url = reverse("admin:peerprogram_retentionpolicy_dry_run", args=[world["org_a"].pk])
    expect(client_for(world[role]).get(url), CHANGE_PAGE[role])


# Approving a run the safety stop halted, on the dry run page: organisation admins only. A
# plan that is not the one shown (here: no fingerprint) is refused, so nothing changes.
APPROVE_RUN = {**STAFF_PAGE, ORG_ADMIN_A: 302, SUPERUSER: 302}


@pytest.mark.parametrize("role", ROLES)
def test_approving_a_stopped_retention_run(world, client_for, role):
    url = reverse("admin:peerprogram_retentionpolicy_dry_run", args=[world["org_a"].pk])
    expect(client_for(world[role]).post(url, {"fingerprint": ""}), APPROVE_RUN[role])
    assert not RetentionRun.objects.exists()


def test_every_registered_admin_is_walked(world):
    walked = set(org_a_objects(world))
    registered = {
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label
        in {"peerprogram", "groups", "participants", "volunteers", "evaluation"}
    }
    assert registered == walked


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("groups.program", LIST_PAGE),
        ("groups.course", LIST_PAGE),
        # No object to look up: a page nobody of their role has is a 403.
        ("peerprogram.organisation", {**SUPERUSER_ONLY, COORDINATOR_B: 403}),
        ("peerprogram.auditentry", {**NOBODY, COORDINATOR_B: 403}),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_admin_add_pages(world, client_for, role, label, expected):
    app_label, model_name = label.split(".")
    response = client_for(world[role]).get(reverse(f"admin:{app_label}_{model_name}_add"))
    expect(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_login_page_is_open_to_everyone(world, client_for, role):
    response = client_for(world[role]).get(reverse("login"))
    # Signed-in people are sent on to the front page.
    assert response.status_code == (200 if world[role] is None else 302)


def test_a_referrer_with_a_staff_flag_still_sees_no_data(world, client_for):
    referrer = world[REFERRER_A]
    referrer.is_staff = True
    referrer.save()
    client = client_for(referrer)
    assert client.get(reverse("admin:groups_course_changelist")).status_code == 403


def test_staff_without_organisation_sees_no_coordinator_admin(world, client_for):
    from tests.factories import UserFactory

    stranger = UserFactory(is_staff=True)
    client = client_for(stranger)
    assert client.get(reverse("admin:groups_course_changelist")).status_code == 403
    course = world["course_a"]
    # The course belongs to an organisation that is not theirs.
    assert client.get(reverse("admin:groups_course_change", args=[course.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", ["program", "course"])
def test_manual_previews(world, client_for, role, model):
    course = world["course_a"]
    obj = course if model == "course" else course.program
    url = reverse(f"admin:groups_{model}_manual_preview", args=[obj.pk])
    expect(client_for(world[role]).get(url), CHANGE_PAGE[role])


@pytest.mark.parametrize("role", ROLES)
def test_attendance_sheet(world, client_for, role):
    url = reverse("admin:participants_registration_attendance_sheet", args=[world["course_a"].pk])
    expect(client_for(world[role]).get(url), CHANGE_PAGE[role])


PORTAL_LOGIN = "portal-login"  # a 302 to the site's own log-in page
# The portal is for facilitators: everyone else who is signed in is refused.
PORTAL = {
    ANONYMOUS: PORTAL_LOGIN,
    REFERRER_A: 403,
    PEER_A: 200,
    PARTNER_A: 403,
    ORG_ADMIN_A: 403,
    COORDINATOR_A: 403,
    COORDINATOR_B: 403,
    MIXED: 403,
    SUPERUSER: 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["schedule", "session", "calendar"])
def test_the_peer_portal(world, client_for, role, page):
    args = [world["course_a"].sessions.first().pk] if page == "session" else []
    response = client_for(world[role]).get(reverse(f"volunteers:{page}", args=args))
    if PORTAL[role] == PORTAL_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == PORTAL[role]


@pytest.mark.parametrize("role", ROLES)
def test_an_unknown_evaluation_link_is_a_friendly_404_for_everyone(world, client_for, role):
    response = client_for(world[role]).get(reverse("evaluation:answer", args=["no-such-token"]))
    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


# --- The coordinator's workspace (/koordinator/) ------------------------------------------------

SITE_LOGIN = "site_login"  # a 302 to the site's log-in page, /log-ind/
WORKSPACE_LIST = {
    ANONYMOUS: SITE_LOGIN,
    REFERRER_A: 403,
    PEER_A: 403,
    PARTNER_A: 403,
    COORDINATOR_A: 200,
    ORG_ADMIN_A: 200,
    COORDINATOR_B: 200,
    MIXED: 200,
    SUPERUSER: 200,
}
# A page about one object of organisation A.
WORKSPACE_OBJECT = {**WORKSPACE_LIST, COORDINATOR_B: 404, MIXED: 403}


def expect_workspace(response, expected):
    if expected == SITE_LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


def workspace_urls(world):
    """Every workspace page (name, its URL, the table of codes). New pages join here."""
    course = world["course_a"]
    return [
        ("workspace:today", reverse("workspace:today"), WORKSPACE_LIST),
        ("workspace:courses", reverse("workspace:courses"), WORKSPACE_LIST),
        ("workspace:course", reverse("workspace:course", args=[course.pk]), WORKSPACE_OBJECT),
        # A course's sessions: move, cancel, restore (groups.workspace).
        *(
            (name, reverse(name, args=[course.sessions.first().pk]), WORKSPACE_OBJECT)
            for name in [
                "workspace:session_move",
                "workspace:session_cancel",
                "workspace:session_restore",
            ]
        ),
        *course_action_urls(course),
        *registration_urls(course.registrations.first()),
        (
            "workspace:facilitator_assign",
            reverse("workspace:facilitator_assign", args=[course.pk]),
            WORKSPACE_OBJECT,
        ),
        (
            "workspace:facilitator_unassign",
            reverse(
                "workspace:facilitator_unassign",
                args=[CourseFacilitator.objects.get(course=course).pk],
            ),
            WORKSPACE_OBJECT,
        ),
        (
            "workspace:substitute",
            reverse("workspace:substitute", args=[course.sessions.first().pk]),
            WORKSPACE_OBJECT,
        ),
    ]


def course_action_urls(course):
    """The course page's actions on participants (participants.workspace.course_views)."""
    session = course.sessions.first()
    return [
        (f"workspace:{name}", reverse(f"workspace:{name}", args=[pk]), WORKSPACE_OBJECT)
        for name, pk in [
            ("course_register", course.pk),
            ("course_message", course.pk),
            ("course_roster", course.pk),
            ("course_attendance_sheet", course.pk),
            ("session_attendance", session.pk),
        ]
    ]


def registration_urls(registration):
    """The registration page and its decisions (participants.workspace)."""
    return [
        (
            "workspace:registration",
            reverse("workspace:registration", args=[registration.pk]),
            WORKSPACE_OBJECT,
        ),
        *(
            (
                "workspace:registration_decision",
                reverse("workspace:registration_decision", args=[registration.pk, decision]),
                WORKSPACE_OBJECT,
            )
            for decision in ["optag", "venteliste", "afvis", "flyt"]
        ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_workspace_pages(world, client_for, role):
    client = client_for(world[role])
    for name, url, table in workspace_urls(world):
        response = client.get(url)
        try:
            expect_workspace(response, table[role])
        except AssertionError as failure:
            raise AssertionError(f"{name} as {role}: {response.status_code}") from failure


@pytest.mark.parametrize("role", [COORDINATOR_B, MIXED])
def test_another_organisations_session_cannot_be_moved_cancelled_or_restored(
    world, client_for, role
):
    session = world["course_a"].sessions.first()
    before = (session.starts_at, session.status, session.moved, session.version)
    client = client_for(world[role])
    posts = {
        "workspace:session_move": {"day": "2027-03-03", "start_time": "10:00", "confirm": "x"},
        "workspace:session_cancel": {"reason": "Sygdom", "confirm": "on"},
        "workspace:session_restore": {},
    }
    for name, data in posts.items():
        response = client.post(reverse(name, args=[session.pk]), data)
        assert response.status_code == WORKSPACE_OBJECT[role], name
    session.refresh_from_db()
    assert (session.starts_at, session.status, session.moved, session.version) == before


def test_every_workspace_url_is_in_the_table(world):
    from django.urls import get_resolver

    named = {
        f"workspace:{name}"
        for name in get_resolver().namespace_dict["workspace"][1].reverse_dict
        if isinstance(name, str)
    }
    assert named == {name for name, _url, _table in workspace_urls(world)}


@pytest.mark.parametrize("role", [role for role in ROLES if WORKSPACE_OBJECT[role] != 200])
@pytest.mark.parametrize("name", ["course_register", "course_message", "session_attendance"])
def test_course_actions_refuse_a_post_from_outside_and_change_nothing(
    world, client_for, role, name
):
    from participants.models import Participant

    course = world["course_a"]
    session = course.sessions.first()
    registration = course.registrations.first()
    pk = session.pk if name == "session_attendance" else course.pk
    data = {
        "name": "Ny Borger",
        "email": "ny@eksempel.dk",
        "birth_date": "1980-01-01",
        "municipality": "350",
        "citizen_agreed": "on",
        "to_participants": "on",
        "body": "Hej",
        "send": "1",
        f"attendance-{registration.pk}": "absent",
    }
    before = (Participant.objects.count(), world["org_a"].outbox_messages.count())
    response = client_for(world[role]).post(reverse(f"workspace:{name}", args=[pk]), data)
    expect_workspace(response, WORKSPACE_OBJECT[role])
    assert (Participant.objects.count(), world["org_a"].outbox_messages.count()) == before
    assert Attendance.objects.get(session=session, registration=registration).status == "present"


@pytest.mark.parametrize("role", [r for r in ROLES if WORKSPACE_OBJECT[r] != 200])
def test_facilitator_posts_on_another_organisations_course_change_nothing(world, client_for, role):
    """Assigning, taking off and finding a substitute on course A: coordinator B gets a 404,
    the others who may not a 403 or the log-in; no assignment and no message changes."""
    course = world["course_a"]
    assignment = CourseFacilitator.objects.get(course=course)
    newcomer = PeerFactory(organisation=world["org_a"])
    DeclarationSignatureFactory(peer=newcomer, declaration=world["org_a"].declarations.first())
    before = (
        list(CourseFacilitator.objects.values_list("pk", "course", "peer")),
        OutboxMessage.objects.count(),
    )
    client = client_for(world[role])
    for url, data in [
        (reverse("workspace:facilitator_assign", args=[course.pk]), {"peer": newcomer.pk}),
        (reverse("workspace:facilitator_unassign", args=[assignment.pk]), {"confirm": "on"}),
        (
            reverse("workspace:substitute", args=[course.sessions.last().pk]),
            {"peer": newcomer.pk},
        ),
    ]:
        expect_workspace(client.post(url, data), WORKSPACE_OBJECT[role])
    after = (
        list(CourseFacilitator.objects.values_list("pk", "course", "peer")),
        OutboxMessage.objects.count(),
    )
    assert after == before


# A POST on another organisation's registration: 404, and nothing changes.
REGISTRATION_POSTS = [
    ("workspace:registration", [], {"kind": "called", "day": "2026-01-05", "note": "Ringet"}),
    ("workspace:registration_decision", ["afvis"], {"step": "confirm", "message": "Nej tak"}),
    ("workspace:registration_decision", ["afvis"], {"step": "preview", "message": "Nej tak"}),
]


@pytest.mark.parametrize(("name", "extra", "data"), REGISTRATION_POSTS)
@pytest.mark.parametrize("role", [COORDINATOR_B, MIXED, PEER_A, REFERRER_A, ANONYMOUS])
def test_posting_on_another_organisations_registration_changes_nothing(
    world, client_for, role, name, extra, data
):
    registration = world["course_a"].registrations.first()
    before = Registration.objects.filter(pk=registration.pk).values().get()
    messages = OutboxMessage.objects.count()
    response = client_for(world[role]).post(reverse(name, args=[registration.pk, *extra]), data)
    expect_workspace(response, WORKSPACE_OBJECT[role])
    assert Registration.objects.filter(pk=registration.pk).values().get() == before
    assert not ContactLogEntry.objects.exists()
    assert OutboxMessage.objects.count() == messages


@pytest.mark.parametrize(("name", "extra", "data"), REGISTRATION_POSTS[:2])
def test_coordinator_a_may_post_on_their_registration(world, client_for, name, extra, data):
    registration = world["course_a"].registrations.first()
    response = client_for(world[COORDINATOR_A]).post(
        reverse(name, args=[registration.pk, *extra]), data
    )
    assert response.status_code == 302
