"""The volunteers admin, by subject; importing the modules registers their ModelAdmins
(Django's admin autodiscover imports `volunteers.admin`):

- `peers`: facilitators with their training, supervision, signatures, child-protection
  certificates and status changes; declarations; training modules;
- `concerns`: concerns passed to the municipality;
- `accompaniment`: accompaniments and their meetings;
- `bridging`: contact requests, associations and their activities, bridging;
- `common`: helpers the modules share.

The course admin's facilitator inline is volunteers/course_admin.py (groups owns the course
admin; volunteers answers its hook).
"""

from volunteers.admin import accompaniment, bridging, concerns, peers

__all__ = ["accompaniment", "bridging", "concerns", "peers"]
