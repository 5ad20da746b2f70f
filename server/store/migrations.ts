import type Database from 'better-sqlite3';
import type { MigrationStep } from '../../shared/store/migrate';
import { bodyToDast } from './body-to-dast';

/**
 * Versioned migrations: index i brings the schema from version i to i+1 (PRAGMA user_version).
 * Never edit a released step; append a new one.
 */
export const MIGRATIONS: readonly MigrationStep<Database.Database>[] = [
  `
  CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    locales TEXT NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'UTC',
    require_two_factor INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE TABLE roles (
    project_id TEXT NOT NULL REFERENCES projects(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    built_in INTEGER NOT NULL DEFAULT 0,
    definition TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role_id TEXT NOT NULL,
    totp_secret TEXT,
    totp_pending_secret TEXT,
    created_at TEXT NOT NULL,
    removed_at TEXT
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT
  );
  CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id),
    email TEXT NOT NULL COLLATE NOCASE,
    role_id TEXT NOT NULL,
    invited_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT
  );
  CREATE TABLE environments (
    project_id TEXT NOT NULL REFERENCES projects(id),
    id TEXT NOT NULL,
    is_primary INTEGER NOT NULL,
    forked_from TEXT,
    created_at TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, id)
  );
  CREATE TABLE models (
    project_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    id TEXT NOT NULL,
    api_key TEXT NOT NULL,
    position INTEGER NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (project_id, environment, id),
    UNIQUE (project_id, environment, api_key)
  );
  CREATE TABLE records (
    project_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_version INTEGER,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    published_data TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT,
    created_by TEXT,
    updated_by TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    PRIMARY KEY (project_id, environment, id)
  );
  CREATE INDEX records_seq ON records(project_id, environment, seq);
  CREATE INDEX records_model ON records(project_id, environment, model_id, id);
  CREATE TABLE record_versions (
    project_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    record_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    PRIMARY KEY (project_id, environment, record_id, version)
  );
  CREATE TABLE folders (
    project_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_id TEXT,
    PRIMARY KEY (project_id, environment, id)
  );
  CREATE TABLE assets (
    project_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT,
    PRIMARY KEY (project_id, environment, id)
  );
  CREATE INDEX assets_folder ON assets(project_id, environment, folder_id, id);
  CREATE TABLE upload_slots (
    id TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    environment TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    principal_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    asset_id TEXT
  );
  CREATE TABLE idempotency (
    principal_key TEXT NOT NULL,
    client_mutation_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    result TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (principal_key, client_mutation_id)
  );
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    at TEXT NOT NULL,
    user_id TEXT,
    token_id TEXT,
    environment TEXT,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    details TEXT NOT NULL
  );
  CREATE INDEX audit_project ON audit_log(project_id, seq);
  CREATE INDEX audit_target ON audit_log(project_id, target_id, seq);
  `,
  // Security pass (issue 9): login attempts counted in the database before the password is
  // checked, the last TOTP step accepted per user, and the hash of the request an
  // idempotency key first answered.
  `
  CREATE TABLE login_attempts (
    account TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX login_attempts_updated ON login_attempts(updated_at);
  ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
  ALTER TABLE idempotency ADD COLUMN request_hash TEXT;
  `,
  // Media (issue 11): image dimensions, read from the header at upload.
  `
  ALTER TABLE assets ADD COLUMN width INTEGER;
  ALTER TABLE assets ADD COLUMN height INTEGER;
  ALTER TABLE upload_slots ADD COLUMN replaces TEXT;
  `,
  // Structured text (issue #11): the demo Article body, text until now, becomes DAST.
  bodyToDast,
  // Issue 12: what the per-request caches (server/store/generation.ts) are valid for. Any
  // write to what a viewer, a project's schema or its permissions are made of sets a new
  // random value, whichever code or connection wrote it; a rolled-back write restores the
  // old value with the old data, and a value once left is never met again. A record row
  // rewritten without taking a new seq, or deleted, moves it too: the change feed's
  // in-memory tail (server/content/change-tail.ts) trusts seqs.
  `
  CREATE TABLE cache_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
  INSERT INTO cache_generation VALUES (1, 0);
  CREATE TRIGGER cache_gen_records_same_seq AFTER UPDATE ON records WHEN NEW.seq IS OLD.seq BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_records_delete AFTER DELETE ON records BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_projects_insert AFTER INSERT ON projects BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_projects_update AFTER UPDATE ON projects BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_projects_delete AFTER DELETE ON projects BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_roles_insert AFTER INSERT ON roles BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_roles_update AFTER UPDATE ON roles BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_roles_delete AFTER DELETE ON roles BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_users_insert AFTER INSERT ON users BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_users_update AFTER UPDATE ON users BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_users_delete AFTER DELETE ON users BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_models_insert AFTER INSERT ON models BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_models_update AFTER UPDATE ON models BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_models_delete AFTER DELETE ON models BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_folders_insert AFTER INSERT ON folders BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_folders_update AFTER UPDATE ON folders BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_folders_delete AFTER DELETE ON folders BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_sessions_update AFTER UPDATE ON sessions BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_sessions_delete AFTER DELETE ON sessions BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_api_tokens_update AFTER UPDATE OF id, project_id, user_id, name, scope, secret_hash ON api_tokens BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_api_tokens_delete AFTER DELETE ON api_tokens BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_environments_insert AFTER INSERT ON environments BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_environments_delete AFTER DELETE ON environments BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  CREATE TRIGGER cache_gen_environments_update AFTER UPDATE OF project_id, id, is_primary, forked_from, created_at ON environments BEGIN UPDATE cache_generation SET value = random() & 9007199254740991; END;
  `,
];
