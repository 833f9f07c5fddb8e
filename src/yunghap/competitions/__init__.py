"""Competitions (경진대회, issue 11 §5): entries, reviewers, scores, ranking, awards, success stories."""
