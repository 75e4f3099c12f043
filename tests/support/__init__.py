"""Shared test machinery: real databases (SQLite, throwaway PostgreSQL) and a real app server."""
