"""The Flask web shell around the pure core: app factory, blueprints per audience, forms, persistence."""
