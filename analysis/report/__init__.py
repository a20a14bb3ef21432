"""What the engine's results become for people and tools: JSON, terminal tables, charts,
and the brief. Nothing here computes maths; it renders an ``Analysis``."""
