"""Measuring: scoring against gold, fitting the models to gold, benchmarks."""
