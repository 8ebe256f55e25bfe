"""The Batenbrock shop-front station: touch kiosk, book booth and herb-bed sensor."""

__version__ = "0.1.0"
