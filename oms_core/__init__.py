"""Order core: orders, stock, reservations, rules and the ERP outbox. Knows nothing about mail or LLMs."""
