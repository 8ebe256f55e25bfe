"""The district fleet: what a station's broker forwards to the district's central broker
(`district.py`), the station's bridge configuration (`bridge.py`) and the central broker's
files (`central.py`). docs/deploy.md, "A district-wide fleet", says what holds."""
