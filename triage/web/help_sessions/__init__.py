"""Digital Champions' session logs: logging a session of help in under a minute (from a plan, a referral or
with no plan), the list of logs, correcting and deleting them, and the "Help given" figures."""
