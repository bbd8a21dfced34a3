"""What the build makes: each kind of output (pages, feeds, calendars, open data, search, assets) and rendering."""
