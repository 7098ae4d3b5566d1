-- planwatch schema, SQLite flavour. Keep in step with ../postgres/0001_init.sql:
-- same tables, same columns, same meaning; only the id and float types differ.
-- Booleans are 0/1 integers, timestamps ISO 8601 UTC text, JSON is text.

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT,
    parent_id INTEGER REFERENCES regions(id),
    successor_id INTEGER REFERENCES regions(id),
    valid_from TEXT,
    valid_to TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX regions_name ON regions(name);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    region_id INTEGER REFERENCES regions(id),
    name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (region_id, name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT,
    role TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    department_id INTEGER REFERENCES departments(id),
    region_id INTEGER REFERENCES regions(id),
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX grants_user ON grants(user_id);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    encoding TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    title TEXT,
    region_id INTEGER REFERENCES regions(id),
    region_name TEXT,
    period_start INTEGER,
    period_end INTEGER,
    lineage TEXT NOT NULL,
    supersedes_id INTEGER REFERENCES documents(id),
    parse_json TEXT NOT NULL,
    diagnostics_json TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    ingested_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX documents_lineage ON documents(lineage);
CREATE INDEX documents_region ON documents(region_id);

CREATE TABLE outline_nodes (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    line INTEGER NOT NULL,
    level INTEGER NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    rejected INTEGER NOT NULL DEFAULT 0,
    corrected INTEGER NOT NULL DEFAULT 0,
    original_json TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX outline_nodes_doc ON outline_nodes(document_id, ord);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    line INTEGER NOT NULL,
    source TEXT NOT NULL,
    category TEXT,
    name TEXT NOT NULL,
    canonical_name TEXT,
    unit TEXT,
    attribute TEXT,
    baseline_year INTEGER,
    baseline_text TEXT,
    baseline_value REAL,
    target_year INTEGER,
    target_text TEXT,
    target_value REAL,
    target_comparator TEXT,
    target_cumulative INTEGER NOT NULL DEFAULT 0,
    growth_text TEXT,
    growth_value REAL,
    department_id INTEGER REFERENCES departments(id),
    rejected INTEGER NOT NULL DEFAULT 0,
    corrected INTEGER NOT NULL DEFAULT 0,
    original_json TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX indicators_doc ON indicators(document_id, ord);
CREATE INDEX indicators_canonical ON indicators(canonical_name);

CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    line INTEGER NOT NULL,
    text TEXT NOT NULL,
    indicator TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    year INTEGER,
    comparator TEXT,
    kind TEXT NOT NULL,
    indicator_id INTEGER REFERENCES indicators(id),
    rejected INTEGER NOT NULL DEFAULT 0,
    corrected INTEGER NOT NULL DEFAULT 0,
    original_json TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX targets_doc ON targets(document_id, ord);

CREATE TABLE annual_targets (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    region_id INTEGER REFERENCES regions(id),
    year INTEGER NOT NULL,
    indicator TEXT NOT NULL,
    canonical_name TEXT,
    value REAL NOT NULL,
    unit TEXT,
    comparator TEXT,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    line INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX annual_targets_region ON annual_targets(region_id, year);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    line INTEGER NOT NULL,
    chapter TEXT,
    text TEXT NOT NULL,
    lead_department_id INTEGER REFERENCES departments(id),
    start_year INTEGER,
    end_year INTEGER,
    deadline TEXT,
    progress TEXT,
    status TEXT NOT NULL DEFAULT 'not_started',
    rejected INTEGER NOT NULL DEFAULT 0,
    corrected INTEGER NOT NULL DEFAULT 0,
    origin TEXT NOT NULL DEFAULT 'extracted',
    merged_into INTEGER REFERENCES tasks(id),
    original_json TEXT NOT NULL,
    updated_at TEXT,
    updated_by TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_doc ON tasks(document_id, ord);
CREATE INDEX tasks_lead ON tasks(lead_department_id);

CREATE TABLE task_departments (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments(id),
    PRIMARY KEY (task_id, department_id)
);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    item_key TEXT NOT NULL,
    line INTEGER NOT NULL,
    name TEXT NOT NULL,
    investment_text TEXT,
    investment_value REAL,
    investment_unit TEXT,
    period_start INTEGER,
    period_end INTEGER,
    status TEXT NOT NULL DEFAULT 'planned',
    rejected INTEGER NOT NULL DEFAULT 0,
    corrected INTEGER NOT NULL DEFAULT 0,
    original_json TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX projects_doc ON projects(document_id, ord);

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

CREATE TABLE observations (
    id INTEGER PRIMARY KEY,
    import_id INTEGER REFERENCES imports(id),
    region_id INTEGER REFERENCES regions(id),
    region_name TEXT NOT NULL,
    indicator TEXT NOT NULL,
    canonical_name TEXT,
    year INTEGER NOT NULL,
    year_from INTEGER,
    value REAL NOT NULL,
    unit TEXT,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    source_url TEXT,
    note TEXT,
    vintage TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX observations_region ON observations(region_name, indicator, year);
CREATE INDEX observations_region_id ON observations(region_id);

CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    lineage TEXT NOT NULL,
    item_kind TEXT NOT NULL,
    item_key TEXT NOT NULL,
    action TEXT NOT NULL,
    payload_json TEXT NOT NULL,
    reason TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX corrections_lineage ON corrections(lineage, status);

CREATE TABLE correction_results (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    correction_id INTEGER NOT NULL REFERENCES corrections(id),
    applied INTEGER NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (document_id, correction_id)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    action TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
