"""actorgraph: an actor knowledge graph of conflict reporting that keeps who said what."""

__version__ = "0.1.0"
