"""Operations: backups, and (later) scheduling and scale-out."""
