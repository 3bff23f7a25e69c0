"""What every page shares: security headers, error pages, the health check, the information pages and
the audit log."""
