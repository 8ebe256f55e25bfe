"""The touch kiosk in the shop window (Kivy)."""
