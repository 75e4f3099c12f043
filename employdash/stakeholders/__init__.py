"""Stakeholder maps: the register, power x interest grid with movement, relations network, sector
coverage, organisation mapping and the employer survey."""
