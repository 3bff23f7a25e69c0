"""Referrals and follow-ups: making one, its status history, the inbox, and re-assessing progress."""
