"""Prefect flows: orchestration only, each task a thin call into a stage."""
