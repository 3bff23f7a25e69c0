"""Messages to people: sending a plan by email or text message, and the outbox."""
