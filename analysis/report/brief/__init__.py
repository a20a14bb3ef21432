"""The brief for decision makers (reportlab PDF): ``pdf`` writes it, ``sections`` holds
its body, ``tables`` its fonts, styles and tables."""
