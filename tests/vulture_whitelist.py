"""Names vulture cannot see used: Django reads model fields, choices, admin actions and form
fields by name, templates read report properties, settings name the logging filter, the
context processor, the SMS backends and the lockout page, Celery connects signal handlers.
Made with `vulture --make-whitelist` and read line by line; a name that is really unused is
deleted from the code instead of listed here."""

# ruff: noqa
CONNECTEDNESS  # evaluation/models.py
EMPOWERMENT  # evaluation/models.py
HOPE  # evaluation/models.py
IDENTITY  # evaluation/models.py
MEAN  # evaluation/models.py
MEANING  # evaluation/models.py
NONE  # evaluation/models.py
attribution  # evaluation/models.py
id  # evaluation/models.py
intro  # evaluation/models.py
proxy  # evaluation/models.py
_.answered_after  # evaluation/report_figures.py
_.answered_before  # evaluation/report_figures.py
_.comparisons  # evaluation/report_figures.py
_.has_domains  # evaluation/report_figures.py
_.invited_after  # evaluation/report_figures.py
_.invited_before  # evaluation/report_figures.py
mean_band  # evaluation/report_figures.py
_.mean_band  # evaluation/reports.py
_.hidden_text  # evaluation/suppression.py
_.working  # evaluation/tariff.py
ACCOMPANIMENT  # groups/models.py
intake_open_until_session  # groups/models.py
legal_basis  # groups/models.py
target_group  # groups/models.py
example_flags  # groups/models.py, read by the course page, course list, manual and flyer templates
_.recorded_by  # participants/admin.py
accept  # participants/admin.py
decline  # participants/admin.py
mark_completed  # participants/admin.py
mark_dropped_out  # participants/admin.py
waitlist  # participants/admin.py
attendance_rate  # participants/figures.py
completion_rate  # participants/figures.py
dropout_rate  # participants/figures.py
rate  # participants/figures.py
website  # participants/forms.py
ABSENT  # participants/models.py
FOLLOW_RULE  # participants/models.py
FRIEND  # participants/models.py
HEALTH  # participants/models.py
JOBCENTRE  # participants/models.py
OTHER  # participants/models.py
SELF  # participants/models.py
consent_given_at  # participants/models.py
decided_at  # participants/models.py
decided_by  # participants/models.py
decision_note  # participants/models.py
decision_message  # participants/models.py (the message to the citizen, read by templates)
_.decision_message  # participants/services.py, participants/privacy.py
CALLED  # participants/models.py (ContactLogEntry.Kind, a choice)
NO_ANSWER  # participants/models.py (ContactLogEntry.Kind, a choice)
AGREED  # participants/models.py (ContactLogEntry.Kind, a choice)
WROTE  # participants/models.py (ContactLogEntry.Kind, a choice)
NOTE  # participants/models.py (ContactLogEntry.Kind, a choice)
_.decisions  # participants/receivers.py, read by participants/workspace/decision_links.html
_.written_by  # participants/workspace/views.py, read by participants/workspace/registration.html
channel_label  # peerprogram/outbox/services.py, read by participants/workspace/registration_decision.html
eligibility_answers  # participants/models.py
guardian_consent_at  # participants/models.py
registered_with  # participants/models.py (the admin, ORM lookups)
privacy_notice_version  # participants/models.py
recorded_at  # participants/models.py
recorded_by  # participants/models.py
is_accepted  # participants/models.py, read by participants/registered.html
is_waitlisted  # participants/models.py, read by participants/registered.html
is_awaiting_custody  # participants/models.py, read by participants/registered.html
_.decision_note  # participants/privacy.py
_.eligibility_answers  # participants/privacy.py
_.decided_at  # participants/services.py
_.decided_by  # participants/services.py
_.decision_note  # participants/services.py
_.adding  # peerprogram/accounts/admin.py
_.confirmed  # peerprogram/accounts/signin.py
locked_out  # peerprogram/accounts/views.py
PeerProgramAdminSite  # peerprogram/admin_site.py
_.prepare_value  # peerprogram/phones.py (Django's form field API)
_.has_changed  # peerprogram/phones.py (Django's form field API)
_.pre_save  # peerprogram/phones.py (Django's model field API)
stored_phones_normalise  # peerprogram/phones.py, called by the phones_e164 migrations
_.actor_email  # peerprogram/audit/models.py
mask  # peerprogram/audit/trail.py
create_filesystem_broker_folders  # peerprogram/celery.py
public_footer  # peerprogram/context_processors.py
GunicornLogger  # peerprogram/logging.py
RedactSecretsFilter  # peerprogram/logging.py
_.msg  # peerprogram/logging.py
accessibility_statement_url  # peerprogram/models.py
opening_hours  # peerprogram/models.py
privacy_contact  # peerprogram/models.py
privacy_email  # peerprogram/models.py
privacy_phone  # peerprogram/models.py
website  # peerprogram/models.py
claimed_at  # peerprogram/outbox/models.py
decided_by  # peerprogram/outbox/models.py
next_attempt_at  # peerprogram/outbox/models.py
related_object  # peerprogram/outbox/models.py
sent_at  # peerprogram/outbox/models.py
delivered_at  # peerprogram/outbox/models.py
ConsoleSmsBackend  # peerprogram/outbox/sms.py
LocmemSmsBackend  # peerprogram/outbox/sms.py
SmsDeliveryError  # peerprogram/outbox/sms.py
GatewayApiSmsBackend  # peerprogram/outbox/sms_gateways.py (named by SMS_BACKEND)
CpsmsSmsBackend  # peerprogram/outbox/sms_gateways.py (named by SMS_BACKEND)
erased_at  # peerprogram/privacy/models.py
erased_by  # peerprogram/privacy/models.py
approved_by  # peerprogram/privacy/models.py
ran_at  # peerprogram/privacy/models.py
updated_at  # peerprogram/privacy/models.py
confirm  # peerprogram/privacy/person_requests.py
_.change_message  # peerprogram/privacy/personal_data.py
commit  # volunteers/admin/accompaniment.py
_.adding  # volunteers/admin/common.py
commit  # volunteers/admin/peers.py
commit  # volunteers/course_admin.py
_.declined  # volunteers/facilitators.py, read by the workspace's facilitators section
_.form_action  # volunteers/workspace/forms.py, read by crispy-forms' FormHelper
CITIZEN  # volunteers/models/accompaniment.py
CONVERSATION  # volunteers/models/accompaniment.py
OTHER  # volunteers/models/accompaniment.py
created_by  # volunteers/models/accompaniment.py
CLOSED  # volunteers/models/bridging.py
GROUP  # volunteers/models/bridging.py
health_data_consent_at  # volunteers/models/bridging.py (the record of consent, in the export)
JOINED  # volunteers/models/bridging.py
website  # volunteers/models/bridging.py
wish  # volunteers/models/bridging.py
CONFIRMED  # volunteers/models/courses.py
answered_at  # volunteers/models/courses.py
assigned_at  # volunteers/models/courses.py
reported_by  # volunteers/models/courses.py
NEEDS_ASSESSMENT  # volunteers/models/peers.py
REFUSED  # volunteers/models/peers.py
assessed_by  # volunteers/models/peers.py
availability  # volunteers/models/peers.py
calendar_token_hash  # volunteers/models/peers.py
changed_by  # volunteers/models/peers.py
facilitates_groups  # volunteers/models/peers.py
from_status  # volunteers/models/peers.py
lived_experience  # volunteers/models/peers.py
published_on  # volunteers/models/peers.py
to_status  # volunteers/models/peers.py
_.calendar_token_hash  # volunteers/portal.py
_.assessed_by  # volunteers/services.py
municipality_code_for  # peerprogram/municipalities.py, called by the data migration groups 0005
# Lists issue #13 asks for as selectors with tests, for the coordinator's workspace (issue #12)
# to show; nothing else reads them yet.
registrations_awaiting_custody  # participants/selectors.py
contact_requests_open  # volunteers/selectors.py
_.touched_by  # peerprogram/hooks.py, read by templates/workspace/today.html
_.touched_at  # peerprogram/hooks.py, read by templates/workspace/today.html
_.resolved_when  # peerprogram/hooks.py, read by templates/workspace/today.html
_.bound_rows  # participants/workspace/course_forms.py, read by attendance_session.html
# English versions of programme and theme texts, read by name by groups.templatetags.texts.
summary_en  # groups/models.py
target_group_en  # groups/models.py
title_en  # groups/models.py
_.is_example  # peerprogram/contacts.py, read by templates/includes/contact_card.html
_.field_choices  # participants/admin.py CourseListFilter: Django's list filter calls it by name
# The two-segment rule every SMS text is held to (peerprogram.outbox.lock_screen): the tests
# that render every message kind apply it.
SMS_MAX_SEGMENTS
sms_segments
# The public pages' versions (peerprogram.page_cache), read and bumped by name in queries.
public_version  # groups/models.py, peerprogram/models.py
courses_version  # peerprogram/models.py
_.action_checkbox  # peerprogram/admin_site.py: Django's changelist calls it by name
