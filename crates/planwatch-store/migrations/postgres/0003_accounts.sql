-- Login names are case-insensitive ("Planner" is "planner"): the store compares and
-- stores them ASCII-lower-cased, and this index keeps two spellings of one name from
-- coexisting even under concurrent inserts. Same text as ../sqlite/0003_accounts.sql.
-- A database that already holds two such spellings stops here: rename one first.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

-- Grants are looked up and removed per user and scope.
CREATE INDEX grants_scope ON grants (user_id, role, region_id, department_id);
