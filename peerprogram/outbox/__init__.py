"""The notification outbox: one row per message (`models`), drafted in the transaction of the
change that causes it and delivered by a Celery task (`services`), over e-mail or an SMS
gateway (`sms`); coordinators decide on failed and uncertain messages in the admin (`admin`)."""
