"""Web users: table, service functions and password hashing."""
