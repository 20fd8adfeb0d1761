"""Teacher training (网培): trainees, schools, learning hours, the certificate ledger."""
