"""UI of the mentoring funnels, forms and lists."""
