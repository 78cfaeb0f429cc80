this is not a .mo file at all
