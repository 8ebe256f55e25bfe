"""The library desk: finding a donated book's facts by its ISBN, so staff need not type them.

`isbn` reads what staff type or scan; `lookup` asks the Deutsche Nationalbibliothek, then Open
Library, and caches the answer in data_dir/desk.sqlite; `covers` keeps small cover pictures in
data_dir/covers/. Sources, their terms and the cache rules: docs/desk.md.
"""
