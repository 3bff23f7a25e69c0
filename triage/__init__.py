"""Signpost: digital inclusion triage and signposting for UK councils.

`triage.core` is the pure service logic (questionnaire, scoring, routing, matching, geography) and
imports nothing from Flask; `triage.web` is the Flask shell around it.
"""
