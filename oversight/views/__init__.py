"""The supervisors' audit screens."""
