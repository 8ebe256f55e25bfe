"""The library desk: registering donated books, their labels and the booth's printed lists."""
