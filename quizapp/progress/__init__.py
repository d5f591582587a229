"""A learner's progress: their finished attempts, how each quiz went, and a chart."""
