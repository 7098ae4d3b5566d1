-- Full-text search over the documents' decoded text, one row per non-blank source line
-- (a hit is a line a page can link to). Keep in step with ../postgres/0006_search.sql.
-- Rows are written with the text (`put_text`) and go with their document (cascade);
-- databases that already hold texts are indexed once after this migration.
CREATE TABLE search_lines (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX search_lines_document ON search_lines(document_id, line);

-- The index: FTS5 with the trigram tokenizer (any substring of three or more characters,
-- Chinese included, without a word list), over search_lines' text without a copy of it.
CREATE VIRTUAL TABLE search_fts USING fts5(
    text, content = 'search_lines', content_rowid = 'id', tokenize = 'trigram'
);
-- Triggers keep the index in step with the rows, cascading deletes included.
CREATE TRIGGER search_lines_insert AFTER INSERT ON search_lines BEGIN
    INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER search_lines_delete AFTER DELETE ON search_lines BEGIN
    INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
