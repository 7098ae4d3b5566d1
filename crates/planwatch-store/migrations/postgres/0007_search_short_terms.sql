-- SQLite indexes short search terms through its trigram index from this migration on
-- (../sqlite/0007_search_short_terms.sql); PostgreSQL matches them with ILIKE as before,
-- so nothing changes here.
SELECT 1;
