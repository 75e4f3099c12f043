"""The app frame: login gate, navigation, language and locality pickers, stylesheet, page context
and error feedback."""
