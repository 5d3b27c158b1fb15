"""Plain dataclasses and rules of Video Interaction Guidance. Imports no other layer."""

from .errors import VigError
from .model import (
    Annotation,
    AuditEvent,
    BundleKind,
    Case,
    CaseOrigin,
    CaseStatus,
    Clip,
    Comment,
    Consent,
    ConsentScope,
    Contact,
    ContactRole,
    Cycle,
    ImportedBundle,
    Intervention,
    InterventionKind,
    Marker,
    Recording,
    ReferralSource,
    Reflection,
    Session,
    SessionKind,
    Still,
    Who,
)

__all__ = [
    "Annotation", "AuditEvent", "BundleKind", "Case", "CaseOrigin", "CaseStatus", "Clip", "Comment",
    "Consent", "ConsentScope", "Contact", "ContactRole", "Cycle", "ImportedBundle", "Intervention",
    "InterventionKind", "Marker", "Recording", "ReferralSource", "Reflection", "Session", "SessionKind",
    "Still", "VigError", "Who",
]
