"""citas' staff site: signed in with gestion's credentials, the day's agenda of a centro, and the citas."""
