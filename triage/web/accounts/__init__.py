"""Staff accounts: creating and deactivating them, signing in and out, and the `requires` guard."""
