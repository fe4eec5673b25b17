import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from peerprogram.celery import app as celery_app
from peerprogram.sms import LocmemSmsBackend
from tests.factories import (
    CoordinatorFactory,
    CourseFactory,
    HelpContactFactory,
    OrganisationFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def danish_by_default():
    """Each test starts in Danish: a request in English leaves its language active in the
    thread, which would leak into whichever test runs next."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


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
