"""Teacher-training centre (网培中心): learning hours, the certificate ledger and certificates."""
