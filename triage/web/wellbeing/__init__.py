"""The optional wellbeing measure (the ONS4 questions, WELLBEING_QUESTIONS): the questions on the session log
and the follow-up, and their figures in the impact report. The rules are in triage.core.wellbeing."""
