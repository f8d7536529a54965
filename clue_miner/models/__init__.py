"""The ORM vocabulary shared by every stage: crawl → documents → mentions → flags → leads."""

from clue_miner.models.base import Base
from clue_miner.models.crawl import CrawlRun, NightlyRun, Source
from clue_miner.models.documents import Attachment, Document, DocumentFingerprint, Record
from clue_miner.models.findings import Flag, Mention, Organization, OrganizationMatch, Permit
from clue_miner.models.leads import Lead, LeadEvidence, LeadStatus, TriageEvent
from clue_miner.models.users import LoginAttempt, Role, User, WebSession

__all__ = [
    "Attachment",
    "Base",
    "CrawlRun",
    "Document",
    "DocumentFingerprint",
    "Flag",
    "Lead",
    "LeadEvidence",
    "LeadStatus",
    "LoginAttempt",
    "Mention",
    "NightlyRun",
    "Organization",
    "OrganizationMatch",
    "Permit",
    "Record",
    "Role",
    "Source",
    "TriageEvent",
    "User",
    "WebSession",
]
