"""Domain operations. Every public function takes the acting user (`Actor`) and checks role and
locality scope itself, so the UI hiding a button is never the only guard."""
