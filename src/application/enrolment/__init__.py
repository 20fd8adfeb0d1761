"""Course selection use cases: selecting courses, dropping them."""
