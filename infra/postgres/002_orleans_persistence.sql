-- McpGrains: Orleans ADO.NET grain persistence on PostgreSQL 15+. Idempotent.
-- A grain's state row is identified by service, grain type and grain id: N0/N1 hold a Guid or integer key, and
-- grain_id_extension its key extension or, for string-keyed grains (all of McpGrains'), the whole key. The two
-- hashes computed by the provider narrow the index lookup. version is the ETag: every write checks it.

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id          text        NOT NULL,
    grain_type_hash     integer     NOT NULL,
    grain_type          text        NOT NULL,
    grain_id_hash       integer     NOT NULL,
    grain_id_n0         bigint      NOT NULL,
    grain_id_n1         bigint      NOT NULL,
    grain_id_extension  text        NULL,
    payload             bytea       NULL,
    version             integer     NOT NULL,
    modified_at         timestamptz NOT NULL DEFAULT now(),
    -- NULLS NOT DISTINCT (PostgreSQL 15) makes a missing extension a single identity, so ON CONFLICT works.
    CONSTRAINT orleans_grain_state_identity UNIQUE NULLS NOT DISTINCT
        (service_id, grain_id_hash, grain_type_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
);

-- Returns the new version, or NULL when the caller's version is stale (Orleans then throws
-- InconsistentStateException). A NULL expected version means "no row yet".
CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_service_id         text,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_expected_version   integer,
    p_payload            bytea)
RETURNS integer
LANGUAGE plpgsql
AS $body$
DECLARE
    v_new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0,
                                         grain_id_n1, grain_id_extension, payload, version)
        VALUES (p_service_id, p_grain_type_hash, p_grain_type, p_grain_id_hash, p_grain_id_n0,
                p_grain_id_n1, p_grain_id_extension, p_payload, 1)
        ON CONFLICT ON CONSTRAINT orleans_grain_state_identity DO NOTHING
        RETURNING version INTO v_new_version;
    ELSE
        UPDATE orleans_grain_state
        SET payload = p_payload, version = version + 1, modified_at = now()
        WHERE service_id = p_service_id AND grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
          AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1 AND grain_type = p_grain_type
          AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
          AND version = p_expected_version
        RETURNING version INTO v_new_version;
    END IF;
    RETURN v_new_version;
END;
$body$;

-- Clearing keeps the row (payload NULL) and bumps the version, so a stale writer still conflicts.
CREATE OR REPLACE FUNCTION orleans_grain_state_clear(
    p_service_id         text,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_id_extension text,
    p_expected_version   integer,
    p_delete             boolean)
RETURNS integer
LANGUAGE plpgsql
AS $body$
DECLARE
    v_new_version integer;
BEGIN
    IF p_delete THEN
        DELETE FROM orleans_grain_state
        WHERE service_id = p_service_id AND grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
          AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1 AND grain_type = p_grain_type
          AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
          AND version = p_expected_version
        RETURNING version + 1 INTO v_new_version;
    ELSE
        UPDATE orleans_grain_state
        SET payload = NULL, version = version + 1, modified_at = now()
        WHERE service_id = p_service_id AND grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
          AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1 AND grain_type = p_grain_type
          AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
          AND version = p_expected_version
        RETURNING version INTO v_new_version;
    END IF;
    RETURN v_new_version;
END;
$body$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_type = @GrainTypeString
  AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),
('WriteToStorageKey', $q$
SELECT orleans_grain_state_write(@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0,
                                 @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion, @PayloadBinary)
       AS "NewGrainStateVersion";
$q$),
('ClearStorageKey', $q$
SELECT orleans_grain_state_clear(@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0,
                                 @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion, false)
       AS "NewGrainStateVersion";
$q$),
('DeleteStorageKey', $q$
SELECT orleans_grain_state_clear(@ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0,
                                 @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion, true)
       AS "NewGrainStateVersion";
$q$)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
