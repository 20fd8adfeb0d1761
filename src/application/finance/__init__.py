"""Finance use cases: bills, remittance and online payments, the refund review chain."""
