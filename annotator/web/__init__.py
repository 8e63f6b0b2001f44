"""`annotator serve`: the editor and review in a browser, one key per person.

A thin layer on textual-serve (an optional extra: `pip install 'annotator[web]'`): it
starts the same app a terminal would get, one process per browser tab, and adds what it
lacks: a personal key that decides who the tab is, a page that loads nothing from
outside the server, and a log of who is connected. Only `keys` and `presence` import
without the extra; `server` needs aiohttp.
"""
