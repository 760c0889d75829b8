"""The forms of the web faces: searching and filtering (`search`), the components of a dossier
(`components`), filing a dossier online or at the counter (`intake`)."""
