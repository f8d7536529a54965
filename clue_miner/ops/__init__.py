"""Operations that look after the store: backup and restore."""
