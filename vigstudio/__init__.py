"""VIG Studio: encrypted, frame-exact micro-analysis for Video Interaction Guidance."""

__version__ = "0.1.0"
