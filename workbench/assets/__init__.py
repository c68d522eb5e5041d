"""Icons, styles and translations shipped with the app."""
