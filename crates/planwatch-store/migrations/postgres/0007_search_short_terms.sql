-- SQLite indexes short search terms through its trigram index from this migration on
-- (../sqlite/0007_search_short_terms.sql); PostgreSQL matches them with ILIKE as before,
-- so nothing changes here.
SELECT 1;
-- The superseded versions are read on every search: indexed, so that reading them does
-- not scan the documents (with their stored plans).
CREATE INDEX IF NOT EXISTS documents_supersedes ON documents (supersedes_id);
