"""Counter mode: staff run the questionnaire with someone, open any plan with its full reasons and send it."""
