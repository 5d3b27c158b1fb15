"""Plain dataclasses and rules of Video Interaction Guidance. Imports no other layer."""

from .errors import VigError
from .model import (
    Annotation,
    AuditEvent,
    Case,
    CaseStatus,
    Clip,
    Consent,
    ConsentScope,
    Cycle,
    Intervention,
    InterventionKind,
    Marker,
    Recording,
    ReferralSource,
    Session,
    SessionKind,
    Still,
    Who,
)

__all__ = [
    "Annotation", "AuditEvent", "Case", "CaseStatus", "Clip", "Consent", "ConsentScope", "Cycle",
    "Intervention", "InterventionKind", "Marker", "Recording", "ReferralSource", "Session",
    "SessionKind", "Still", "VigError", "Who",
]
