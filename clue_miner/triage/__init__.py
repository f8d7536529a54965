"""Triage: the people who decide leads, what they may see, and the decisions themselves."""
