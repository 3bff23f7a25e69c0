"""Assessments and plans: the questions' order, running and storing an assessment, places, the plan as
pages, and the JSON API."""
