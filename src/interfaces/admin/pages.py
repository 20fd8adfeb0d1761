"""Imports every admin page module so their controllers register on ADMIN_CONTROLLERS."""
