-- McpGrains' own tables. Idempotent.
-- Facts about this database that McpGrains itself maintains (for example which deployment created it).
CREATE TABLE IF NOT EXISTS mcpgrains_schema_info
(
    key        text        PRIMARY KEY,
    value      text        NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO mcpgrains_schema_info (key, value) VALUES ('created_by', 'McpGrains.Persistence')
ON CONFLICT (key) DO NOTHING;
