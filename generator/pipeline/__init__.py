"""The pipeline: the stages run in order (on both cores), the commands' way in, the atomic writes."""
