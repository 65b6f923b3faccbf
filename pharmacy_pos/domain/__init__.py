"""Pure business model: entities, value objects and rules. No Qt, SQL or devices here."""
