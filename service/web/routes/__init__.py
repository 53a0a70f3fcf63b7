"""The web app's pages, one module per kind of user (plus login and the API's docs)."""
