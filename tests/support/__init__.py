"""Shared test machinery: real databases (SQLite file, throwaway PostgreSQL) and a real app server."""
