"""The directory of help: the matcher's index, editing entries, CSV import and export, public find help."""
