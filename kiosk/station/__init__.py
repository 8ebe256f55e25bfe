"""The station as a whole: what it tells about its own health (services, disk, memory, the Pi)."""
