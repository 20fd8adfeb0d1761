"""Finance: bills (缴费单), online payments and remittance slips (汇款单), refunds of course drops."""
