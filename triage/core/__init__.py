"""The pure core of Signpost: the service's rules, with no web framework or database imports."""
