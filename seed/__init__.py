"""Demo data generator: real boundaries, generated regions and seeded records."""
