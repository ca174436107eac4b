"""Running: options, the inputs of a run, per-document stages, the runner, executors, process limits and the command line."""
