"""Invitations under random ids, deleted when used; invitation counts; report releases.

Open invitations stay valid: their token hashes are copied to the new table in random order,
each under a new random id. Used ones are only counted, so the rows left say nothing about
who answered. The answers given so far become each course phase's first release, so reports
keep showing what they showed.
"""

import random
import uuid
from collections import Counter, defaultdict

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def forwards(apps, schema_editor):
    Invitation = apps.get_model("evaluation", "Invitation")
    OpenInvitation = apps.get_model("evaluation", "OpenInvitation")
    InvitationCount = apps.get_model("evaluation", "InvitationCount")
    Response = apps.get_model("evaluation", "Response")
    ReportRelease = apps.get_model("evaluation", "ReportRelease")

    issued = Counter(Invitation.objects.values_list("course_id", "phase"))
    InvitationCount.objects.bulk_create(
        InvitationCount(course_id=course_id, phase=phase, issued=count)
        for (course_id, phase), count in issued.items()
    )
    still_open = list(
        Invitation.objects.filter(used=False).values_list("course_id", "phase", "token_hash")
    )
    random.SystemRandom().shuffle(still_open)
    OpenInvitation.objects.bulk_create(
        OpenInvitation(id=uuid.uuid4(), course_id=course_id, phase=phase, token_hash=token_hash)
        for course_id, phase, token_hash in still_open
    )

    answered = defaultdict(list)
    for pk, course_id, phase in Response.objects.values_list("id", "course_id", "phase"):
        answered[(course_id, phase)].append(str(pk))
    today = timezone.localdate()
    ReportRelease.objects.bulk_create(
        ReportRelease(
            course_id=course_id, phase=phase, number=1, released_on=today, response_ids=sorted(ids)
        )
        for (course_id, phase), ids in answered.items()
    )


def backwards(apps, schema_editor):
    Invitation = apps.get_model("evaluation", "Invitation")
    OpenInvitation = apps.get_model("evaluation", "OpenInvitation")
    Invitation.objects.bulk_create(
        Invitation(course_id=course_id, phase=phase, token_hash=token_hash)
        for course_id, phase, token_hash in OpenInvitation.objects.values_list(
            "course_id", "phase", "token_hash"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0003_report"),
        ("groups", "0004_program_share_attendance_with_partners"),
    ]

    operations = [
        migrations.CreateModel(
            name="InvitationCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "phase",
                    models.CharField(
                        choices=[("before", "Før forløbet"), ("after", "Efter forløbet")],
                        max_length=10,
                    ),
                ),
                ("issued", models.PositiveIntegerField(default=0)),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="groups.course",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("course", "phase"), name="unique_invitation_count"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ReportRelease",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "phase",
                    models.CharField(
                        choices=[("before", "Før forløbet"), ("after", "Efter forløbet")],
                        max_length=10,
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("released_on", models.DateField()),
                ("response_ids", models.JSONField(default=list)),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="groups.course",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("course", "phase", "number"), name="unique_report_release"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="OpenInvitation",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "phase",
                    models.CharField(
                        choices=[("before", "Før forløbet"), ("after", "Efter forløbet")],
                        max_length=10,
                    ),
                ),
                ("token_hash", models.CharField(max_length=64, unique=True)),
                (
                    "course",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="groups.course",
                    ),
                ),
            ],
            options={
                "verbose_name": "invitation",
                "verbose_name_plural": "invitationer",
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="Invitation"),
        migrations.RenameModel(old_name="OpenInvitation", new_name="Invitation"),
    ]
