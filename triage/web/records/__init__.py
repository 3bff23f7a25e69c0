"""Records: retention and erasure, CSV exports and the audit log's page."""
