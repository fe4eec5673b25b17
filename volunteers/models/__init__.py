"""Peers and professionals who facilitate: training, declarations, child-protection
certificates and assignment to courses; accompaniment, contact requests and bridging.

The models live in modules by subject; every name is importable from `volunteers.models` as
before (the app label, the tables and the migrations do not depend on the module):

- `peers`: facilitators, their status changes, training, supervision, declarations and
  signatures, child-protection certificates;
- `courses`: facilitators on courses, their answers to sessions, concerns from a session;
- `accompaniment`: accompaniments and their meetings;
- `bridging`: contact requests, applications to become a peer, associations and their
  activities, bridging.
"""

# The models register in the order of the former single module (peers first), which is the
# order Django lists a peer's related objects in and collects them on deletion.
# isort: off
from volunteers.models.peers import (
    ChildCertificate,
    Declaration,
    DeclarationQuerySet,
    DeclarationSignature,
    Peer,
    PeerQuerySet,
    StatusChange,
    SupervisionAttendance,
    TrainingModule,
    TrainingRecord,
)
from volunteers.models.courses import (
    Concern,
    ConcernQuerySet,
    CourseFacilitator,
    CourseFacilitatorQuerySet,
    SessionResponse,
)
from volunteers.models.accompaniment import (
    Accompaniment,
    AccompanimentMeeting,
    AccompanimentMeetingQuerySet,
    AccompanimentQuerySet,
)
from volunteers.models.bridging import (
    Association,
    AssociationActivity,
    AssociationActivityQuerySet,
    AssociationQuerySet,
    Bridging,
    BridgingQuerySet,
    ContactRequest,
    ContactRequestQuerySet,
    PeerApplication,
    PeerApplicationQuerySet,
)
# isort: on

__all__ = [
    "Accompaniment",
    "AccompanimentMeeting",
    "AccompanimentMeetingQuerySet",
    "AccompanimentQuerySet",
    "Association",
    "AssociationActivity",
    "AssociationActivityQuerySet",
    "AssociationQuerySet",
    "Bridging",
    "BridgingQuerySet",
    "ChildCertificate",
    "Concern",
    "ConcernQuerySet",
    "ContactRequest",
    "ContactRequestQuerySet",
    "CourseFacilitator",
    "CourseFacilitatorQuerySet",
    "Declaration",
    "DeclarationQuerySet",
    "DeclarationSignature",
    "Peer",
    "PeerApplication",
    "PeerApplicationQuerySet",
    "PeerQuerySet",
    "SessionResponse",
    "StatusChange",
    "SupervisionAttendance",
    "TrainingModule",
    "TrainingRecord",
]
