"""Open Referral UK 3.0: the feed we publish, the API under /oruk/, and importing a feed."""
