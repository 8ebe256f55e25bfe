"""The funders' report: a month, quarter or year of the station in figures, as PDF and CSV.

period.py says which days, figures.py counts them from the stores, words.py names them,
pdf.py and csvfile.py write them. `kiosk admin report` and the console's "Bericht" page call
these; neither counts anything itself. Nothing is imported here, so that `kiosk`'s start (which
reads commands.py of this package) does not load the report.
"""
