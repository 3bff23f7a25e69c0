"""Booking help: times published per directory entry, booked from a plan with no double booking."""
