-- API tokens get scopes (what they may do: read, report, import; comma-separated) and
-- an optional end of validity. Tokens issued before keep what they could do: read.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read';
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
