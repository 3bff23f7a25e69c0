"""The reader's language, and the labels that turn stored codes into words in it."""
