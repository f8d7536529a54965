"""Engine, sessions and migrations; the database URL comes from ``CLUES_DATABASE_URL``."""

from clue_miner.db.engine import get_engine, init_db, session_scope

__all__ = ["get_engine", "init_db", "session_scope"]
