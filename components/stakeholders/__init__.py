"""UI of the stakeholder maps, organisation mapping and the employer survey."""
