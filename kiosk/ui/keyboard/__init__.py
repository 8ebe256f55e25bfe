"""On-screen keyboards: layouts as plain data (`layouts`) and the Kivy widget (`widget`)."""
