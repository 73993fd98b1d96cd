"""One worker's records from every agency, and the sections built from them."""
