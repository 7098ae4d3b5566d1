-- The web application's tables, SQLite flavour. Keep in step with ../postgres/0002_web.sql.

-- The decoded text of an ingested document, so pages can show the source lines.
CREATE TABLE document_texts (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    text TEXT NOT NULL
);

-- Whether a plan is shown read-only to the public (planner's switch).
CREATE TABLE publications (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    public INTEGER NOT NULL DEFAULT 0,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- Server-side login sessions; only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Bearer tokens of the JSON API, per user; only the SHA-256 is stored.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    version INTEGER NOT NULL DEFAULT 1
);

-- A department's progress report on a task or indicator, waiting for the planner.
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL,
    item_id INTEGER NOT NULL,
    department_id INTEGER REFERENCES departments(id),
    progress TEXT NOT NULL,
    task_status TEXT,
    year INTEGER,
    value REAL,
    state TEXT NOT NULL DEFAULT 'submitted',
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    reviewed_by TEXT,
    reviewed_at TEXT,
    review_note TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX submissions_item ON submissions(item_kind, item_id);
CREATE INDEX submissions_doc ON submissions(document_id, state);

-- Evidence attached to a submission. Content is base64 text so the backup stays JSON lines.
CREATE TABLE evidence_files (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content_b64 TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX evidence_submission ON evidence_files(submission_id);
