import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from peerprogram.celery import app as celery_app
from peerprogram.outbox.sms import LocmemSmsBackend
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    HelpContactFactory,
    OrganisationFactory,
    ProgramFactory,
    UserFactory,
)

# What the migrations put in the test database, whether a transactional test has since
# emptied it (see _put_back_what_the_migrations_made), and the connections the tests used.
MIGRATED = pytest.StashKey[str]()
FLUSHED = pytest.StashKey[bool]()
CONNECTIONS = pytest.StashKey[set]()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    with django_db_blocker.unblock():
        request.config.stash[MIGRATED] = connection.creation.serialize_db_to_string()
    yield
    # Playwright's sync API gives the tests that follow it a connection of their own (another
    # context); one left open would keep the test database from being dropped.
    for used in request.config.stash.get(CONNECTIONS, set()):
        used.close()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    _fail_if_the_xdist_group_was_lost(item)
    item.config.stash.setdefault(CONNECTIONS, set()).add(connections[DEFAULT_DB_ALIAS])
    _put_back_what_the_migrations_made(item)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if _flushes_the_database(item):
        item.config.stash[FLUSHED] = True
    return result


def _fail_if_the_xdist_group_was_lost(item):
    """Under `--dist loadgroup`, xdist marks a grouped test by appending `@group` to its id. If a
    pytest release breaks that again (pytest-xdist issue 1386), the Redis and browser tests would
    quietly be spread over both workers: fail them instead."""
    grouped = item.get_closest_marker("xdist_group")
    loadgroup = getattr(item.config.option, "loadgroup", False)
    if grouped and loadgroup and "@" not in item.nodeid.rpartition("]")[2]:
        pytest.fail("pytest-xdist did not apply this test's xdist_group (issue 1386)")


def _put_back_what_the_migrations_made(item):
    """A transactional test ends by emptying every table, rows from data migrations too (the
    shipped questionnaires). Run alone, pytest-django orders those tests last; under xdist a
    worker goes on to other tests after the browser group, so it first puts back what the
    migrations made."""
    if not item.config.stash.get(FLUSHED, False):
        return
    if _flushes_the_database(item) or not _uses_the_database(item):
        return
    with item.config.stash[blocking_manager_key].unblock():
        # Sequences stay where they are, past the ids in the snapshot.
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        connection.creation.deserialize_db_from_string(item.config.stash[MIGRATED])
    item.config.stash[FLUSHED] = False


def _flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


def _uses_the_database(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or "db" in item.fixturenames


@pytest.fixture(autouse=True)
def danish_by_default():
    """Each test starts in Danish: a request in English leaves its language active in the
    thread, which would leak into whichever test runs next."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page or a rate limit kept by one test must not
    answer the next (their databases restart their versions and ids)."""
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """For the whole session, so that data built once per module or session hashes fast too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def staff_sign_in_with_two_factors(settings):
    """As in production: staff need a code from their app (tests log in with a test device)."""
    settings.STAFF_2FA_REQUIRED = True


@pytest.fixture(autouse=True)
def tasks_run_in_process(settings):
    """Tasks run eagerly in tests; the broker tests start a real worker on Redis instead."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.SMS_BACKEND = "peerprogram.outbox.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    # Tests must not depend on the hour they run at; the quiet-hours tests turn them on.
    settings.SMS_QUIET_HOURS_START = settings.SMS_QUIET_HOURS_END = 0
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def org_a(db):
    organisation = OrganisationFactory(name="Lejre Kommune", slug="lejre")
    HelpContactFactory(organisation=organisation, label="Lejres akuttilbud", phone="11 22 33 44")
    return organisation


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Hillerød Kommune", slug="hillerod", municipality_code="219")


@pytest.fixture
def coordinator_a(org_a):
    return CoordinatorFactory(username="koordinator.a", organisations=[org_a])


@pytest.fixture
def coordinator_b(org_b):
    return CoordinatorFactory(username="koordinator.b", organisations=[org_b])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def program_a(org_a):
    return ProgramFactory(organisation=org_a, name="Vejen til Hverdagslivet")


@pytest.fixture
def course_a(program_a):
    return CourseFactory(program=program_a, title="Forår, Lejre")


def log_in(client, user):
    """Sign the test client in as `user`; staff also through a confirmed test device, as if
    they had typed its code. (Django's client.login() gives django-axes no request.)"""
    client.force_login(user)
    if user.is_staff or user.is_superuser:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="Testenhed", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(client):
    """Log the test client in as a user (or stay anonymous for None)."""

    def login(user):
        client.logout()
        if user is not None:
            log_in(client, user)
        return client

    return login
