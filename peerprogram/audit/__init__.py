"""The audit trail: who viewed, changed, exported or erased what (`trail`), stored as
django-auditlog entries with the organisation (`models`), read in the admin (`admin`)."""
