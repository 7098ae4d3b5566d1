-- Search terms of one or two characters through the trigram index (see search/mod.rs):
-- every line is indexed with two U+0001 characters after it, so each character of the
-- line starts a trigram, and a short term is the trigrams it begins (read from the
-- vocabulary table `search_vocab`). U+0001 cannot be typed into a query (control
-- characters are refused), so it never matches by itself. Keep in step with
-- ../postgres/0007_search_short_terms.sql.
DROP TRIGGER search_lines_insert;
DROP TRIGGER search_lines_delete;
CREATE TRIGGER search_lines_insert AFTER INSERT ON search_lines BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text || char(1, 1));
END;
CREATE TRIGGER search_lines_delete AFTER DELETE ON search_lines BEGIN
    INSERT INTO search_fts (search_fts, rowid, text)
    VALUES ('delete', old.id, old.text || char(1, 1));
END;
INSERT INTO search_fts (search_fts) VALUES ('delete-all');
INSERT INTO search_fts (rowid, text) SELECT id, text || char(1, 1) FROM search_lines;
CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, 'row');
-- The superseded versions are read on every search: indexed, so that reading them does
-- not scan the documents (with their stored plans).
CREATE INDEX IF NOT EXISTS documents_supersedes ON documents (supersedes_id);
