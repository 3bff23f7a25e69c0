"""The council this instance serves (its profile in councils/) and the area packs of its districts
(seed_data/areas/)."""
