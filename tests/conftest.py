import pytest

from peerprogram.celery import app as celery_app
from peerprogram.sms import LocmemSmsBackend
from tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    CourseFactory,
    HelpContactFactory,
    OrganisationFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_in_process(settings):
    """Tasks run eagerly in tests; the broker tests start a real worker on Redis instead."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.SMS_BACKEND = "peerprogram.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
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


@pytest.fixture
def client_for(client):
    """Log the test client in as a user (or stay anonymous for None)."""

    def login(user):
        client.logout()
        if user is not None:
            assert client.login(username=user.username, password=PASSWORD)
        return client

    return login
