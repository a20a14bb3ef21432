"""The dashboard's pages: each module has ``show(view)`` drawing one page.

:data:`PAGE_TITLES` is the one list of pages, in sidebar order (key -> title); the
entry point, the tests and the screenshot script all read it.
"""

PAGE_TITLES = {
    "overview": "Overview",
    "matrix": "Matrix",
    "weigh": "Weigh",
    "movement": "How the evidence moved it",
    "sensitivity": "Sensitivity",
    "indicators": "Indicators",
    "uncertainty": "Uncertainty",
    "learn": "Learn",
    "analysts": "Analysts",
    "export": "Save and export",
    "build": "Build",
}
