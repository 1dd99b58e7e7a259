"""PLOVER events, stance between actors, and event exports."""
