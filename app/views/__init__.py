"""The dashboard's pages: each module has ``show(view)`` drawing one page."""
