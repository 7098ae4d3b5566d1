-- Key-project tracking, SQLite flavour. Keep in step with ../postgres/0004_projects.sql.

-- The office's columns on a project: its field, responsible unit and place; whether it
-- was extracted, imported from a project bank or added by hand (and from where); the
-- project a duplicate was merged into. No foreign key on merged_into: a backup restores
-- rows in id order, and a duplicate may be merged into a later row.
ALTER TABLE projects ADD COLUMN field TEXT;
ALTER TABLE projects ADD COLUMN department_id INTEGER REFERENCES departments(id);
ALTER TABLE projects ADD COLUMN location TEXT;
ALTER TABLE projects ADD COLUMN origin TEXT NOT NULL DEFAULT 'extracted';
ALTER TABLE projects ADD COLUMN source_note TEXT;
ALTER TABLE projects ADD COLUMN merged_into INTEGER;
ALTER TABLE projects ADD COLUMN updated_at TEXT;
ALTER TABLE projects ADD COLUMN updated_by TEXT;
CREATE INDEX projects_department ON projects(department_id);

-- How often a plan's projects are reported on (month or quarter).
CREATE TABLE project_tracking (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
    cadence TEXT NOT NULL DEFAULT 'month',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- A project's plan for one year: 年度计划投资 (万元), planned start and finish, key nodes.
CREATE TABLE project_years (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    planned_investment REAL,
    planned_start TEXT,
    planned_finish TEXT,
    milestones TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (project_id, year)
);

-- The figures of a period report; the report itself (state, reviewer, evidence) is
-- its row in submissions (item_kind 'project').
CREATE TABLE project_reports (
    id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL UNIQUE REFERENCES submissions(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    invest_period REAL NOT NULL,
    invest_cumulative REAL,
    started_on TEXT,
    finished_on TEXT,
    problems TEXT,
    help_needed TEXT
);
CREATE INDEX project_reports_project ON project_reports(project_id, year, month);

-- Pairs of projects a planner has looked at and decided are not duplicates.
CREATE TABLE project_distinct (
    id INTEGER PRIMARY KEY,
    project_a INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    project_b INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    UNIQUE (project_a, project_b)
);
