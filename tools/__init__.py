"""Developer tools run as scripts (screenshots, licences); a package so tests can import them."""
