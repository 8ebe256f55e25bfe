"""The district's offers: who offers what, for whom, when and where."""
