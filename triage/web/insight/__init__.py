"""Ward insight for council officers: the counts kept as assessments are saved, the figures, the area risk index."""
