"""The library desk: registering donated books, their labels and the booth's printed lists.

`isbn` reads what staff type or scan; `lookup` asks the Deutsche Nationalbibliothek, then Open
Library, and caches the answer in data_dir/desk.sqlite; `covers` keeps small cover pictures in
data_dir/covers/. Sources, their terms and the cache rules: docs/desk.md. For printing,
`choosing` says which books, `sheets` the label sheets' measures, `labels` and `lists` draw the PDFs.
"""
