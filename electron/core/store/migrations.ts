/** The search index's insert trigger as migration 2 made it (store.bulkLoad drops it for the first pull and puts it back). */
export const BASES_SEARCH_INSERT_TRIGGER = `CREATE TRIGGER bases_search_ai AFTER INSERT ON bases BEGIN
    INSERT INTO bases_search(rowid, text) VALUES (new.rowid, new.search);
  END;`;

/** The per-model count's insert trigger (store.bulkLoad drops it for the first pull, then recounts). */
export const BASE_COUNTS_INSERT_TRIGGER = `CREATE TRIGGER base_counts_ai AFTER INSERT ON bases BEGIN
    INSERT INTO base_counts (env, model, n) VALUES (new.env, new.model, 1) ON CONFLICT(env, model) DO UPDATE SET n = n + 1;
  END;`;

/**
 * The search index's insert trigger from the two-level index on (migration 8): rows written
 * after the first pull go to the small "recent" index (store.bulkLoad drops it for the first
 * pull and puts it back; search.ts says why and how a search combines the two).
 */
export const BASES_RECENT_INSERT_TRIGGER = `CREATE TRIGGER bases_search_ai AFTER INSERT ON bases BEGIN
    INSERT INTO bases_recent (id) SELECT new.rowid WHERE NOT EXISTS (SELECT 1 FROM bases_recent WHERE id = new.rowid);
    INSERT INTO bases_search_recent(rowid, text) VALUES (new.rowid, new.search);
  END;`;

/** Versioned migrations of the local store (PRAGMA user_version), run by shared/store/migrate; append only. */
export const STORE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- The server copy of each readable record: the base of every merge.
  CREATE TABLE bases (
    env TEXT NOT NULL,
    id TEXT NOT NULL,
    model TEXT NOT NULL,
    version INTEGER NOT NULL,
    published_version INTEGER,
    status TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT,
    updated_at TEXT NOT NULL,
    search TEXT NOT NULL DEFAULT '',
    seen INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (env, id)
  );
  CREATE INDEX bases_model ON bases(env, model, id);
  -- Local cells not yet acknowledged by the server, as a values patch over the base.
  CREATE TABLE drafts (
    env TEXT NOT NULL,
    record_id TEXT NOT NULL,
    model TEXT NOT NULL,
    data TEXT NOT NULL,
    created_local INTEGER NOT NULL DEFAULT 0,
    flag TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (env, record_id)
  );
  -- Operations to send, in order. A payload is frozen at the first attempt, so a retry
  -- with the same clientMutationId always sends the same thing.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    env TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    model TEXT NOT NULL,
    client_mutation_id TEXT NOT NULL UNIQUE,
    payload TEXT,
    base_version INTEGER,
    state TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE INDEX outbox_record ON outbox(env, record_id);
  CREATE TABLE conflicts (
    env TEXT NOT NULL,
    record_id TEXT NOT NULL,
    cell TEXT NOT NULL,
    model TEXT NOT NULL,
    base TEXT,
    local TEXT,
    remote TEXT,
    remote_version INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY (env, record_id, cell)
  );
  CREATE TABLE uploads (
    id TEXT PRIMARY KEY,
    env TEXT NOT NULL,
    folder TEXT NOT NULL,
    path TEXT NOT NULL,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    client_mutation_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    reason TEXT,
    sent INTEGER NOT NULL DEFAULT 0,
    asset_id TEXT,
    created_at TEXT NOT NULL
  );
  CREATE TABLE cursors (env TEXT PRIMARY KEY, cursor TEXT);
  `,
  `
  -- Substring search over titles, names and slugs: a trigram index, so a search does not
  -- decrypt and scan every page of the cache.
  CREATE VIRTUAL TABLE bases_search USING fts5(text, content='', contentless_delete=1, tokenize='trigram');
  INSERT INTO bases_search(rowid, text) SELECT rowid, search FROM bases;
  CREATE TRIGGER bases_search_ai AFTER INSERT ON bases BEGIN
    INSERT INTO bases_search(rowid, text) VALUES (new.rowid, new.search);
  END;
  CREATE TRIGGER bases_search_ad AFTER DELETE ON bases BEGIN
    DELETE FROM bases_search WHERE rowid = old.rowid;
  END;
  CREATE TRIGGER bases_search_au AFTER UPDATE OF search ON bases BEGIN
    DELETE FROM bases_search WHERE rowid = old.rowid;
    INSERT INTO bases_search(rowid, text) VALUES (new.rowid, new.search);
  END;
  `,
  `
  -- Who wrote the server copy last (a conflict names who wrote "theirs", and when).
  ALTER TABLE bases ADD COLUMN updated_by TEXT;
  ALTER TABLE conflicts ADD COLUMN remote_at TEXT;
  ALTER TABLE conflicts ADD COLUMN remote_by TEXT;
  -- Operation life cycle (DESIGN §5): queued -> sent -> (acknowledged: row removed) | refused,
  -- a refused op carrying the server's (or the role's) reason as a problem code + message.
  ALTER TABLE outbox ADD COLUMN code TEXT;
  UPDATE outbox SET state = CASE WHEN state = 'blocked' THEN 'refused' WHEN attempts > 0 THEN 'sent' ELSE 'queued' END;
  UPDATE outbox SET code = 'VALIDATION' WHERE state = 'refused' AND code IS NULL;
  UPDATE uploads SET state = 'failed' WHERE state = 'blocked';
  -- Counts for the status line without scanning: by environment and state.
  CREATE INDEX outbox_env_state ON outbox(env, state, seq);
  CREATE INDEX drafts_env ON drafts(env, created_local, model);
  CREATE INDEX uploads_env_state ON uploads(env, state);
  CREATE INDEX uploads_twin ON uploads(env, folder, sha256);
  `,
  `
  -- Records per model kept as rows come and go, so the list's total is one lookup, not a
  -- count over the model's rows after every sync.
  CREATE TABLE base_counts (env TEXT NOT NULL, model TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (env, model));
  INSERT INTO base_counts (env, model, n) SELECT env, model, count(*) FROM bases GROUP BY env, model;
  ${BASE_COUNTS_INSERT_TRIGGER}
  CREATE TRIGGER base_counts_ad AFTER DELETE ON bases BEGIN
    UPDATE base_counts SET n = n - 1 WHERE env = old.env AND model = old.model;
  END;
  CREATE TRIGGER base_counts_au AFTER UPDATE OF model ON bases WHEN old.model != new.model BEGIN
    UPDATE base_counts SET n = n - 1 WHERE env = old.env AND model = old.model;
    INSERT INTO base_counts (env, model, n) VALUES (new.env, new.model, 1) ON CONFLICT(env, model) DO UPDATE SET n = n + 1;
  END;
  `,
  `
  -- No automatic merging of the search index's segments: with it, each small write (an
  -- incremental pull) did merge work on the big segments a first pull leaves, so 100 changes
  -- cost ~10x more at 200k records than at 1k. Segments still merge when 16 pile up at a
  -- level (crisismerge), a merge of small segments.
  INSERT INTO bases_search(bases_search, rank) VALUES ('automerge', 0);
  `,
  // Media (issue 11): the readable assets and their thumbnails, so the library browses offline.
  `
  CREATE TABLE assets (
    env TEXT NOT NULL,
    id TEXT NOT NULL,
    folder TEXT NOT NULL,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    width INTEGER,
    height INTEGER,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (env, id)
  );
  CREATE INDEX assets_folder ON assets(env, folder, filename);
  CREATE INDEX assets_sha ON assets(sha256);
  CREATE TABLE thumbnails (sha256 TEXT PRIMARY KEY, bytes BLOB NOT NULL);
  CREATE TABLE asset_ops (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    env TEXT NOT NULL,
    kind TEXT NOT NULL,
    asset_id TEXT NOT NULL,
    folder TEXT,
    client_mutation_id TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    reason TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX asset_ops_env ON asset_ops(env, state, seq);
  ALTER TABLE uploads ADD COLUMN replaces TEXT;
  `,
  // Issue 12 (autosave): a record's first edit wrote 8 pages (the draft row, its key index and
  // drafts_env; the op row, its UNIQUE cmid index, outbox_record, outbox_env_state and
  // AUTOINCREMENT's sqlite_sequence); now 4, and a re-edit 1 (was 2).
  `
  -- The draft row is its own key index. Only records made here are indexed by model (the list
  -- of new records, by last edit); an edit of a server record touches no index.
  -- (Rebuilt through a copy, not ALTER TABLE RENAME: after a rename, this connection's later
  -- wal_checkpoint failed with "database table is locked" once the journal mode had changed,
  -- which a first pull's bulk load does on this very connection.)
  CREATE TABLE drafts_v6 AS SELECT * FROM drafts;
  DROP TABLE drafts;
  CREATE TABLE drafts (
    env TEXT NOT NULL,
    record_id TEXT NOT NULL,
    model TEXT NOT NULL,
    data TEXT NOT NULL,
    created_local INTEGER NOT NULL DEFAULT 0,
    flag TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (env, record_id)
  ) WITHOUT ROWID;
  INSERT INTO drafts (env, record_id, model, data, created_local, flag, updated_at)
    SELECT env, record_id, model, data, created_local, flag, updated_at FROM drafts_v6;
  DROP TABLE drafts_v6;
  CREATE INDEX drafts_created_local ON drafts(env, model, updated_at) WHERE created_local = 1;
  -- Seqs still never come back (an op's seq names it to the UI, to a send in flight, to
  -- acknowledge's ordering), without AUTOINCREMENT's write of sqlite_sequence on every insert:
  -- a new op takes max(max seq, hwm) + 1, and hwm is written only when the op with the highest
  -- seq is removed (by the trigger below), which an autosave never does.
  CREATE TABLE outbox_seq (id INTEGER PRIMARY KEY CHECK (id = 1), hwm INTEGER NOT NULL);
  INSERT INTO outbox_seq (id, hwm) VALUES (1, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0));
  -- client_mutation_id is a random UUID made here (no UNIQUE index to keep: nothing reads by it).
  CREATE TABLE outbox_v6 AS SELECT * FROM outbox;
  DROP TABLE outbox;
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    env TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    model TEXT NOT NULL,
    client_mutation_id TEXT NOT NULL,
    payload TEXT,
    base_version INTEGER,
    state TEXT NOT NULL DEFAULT 'pending',
    reason TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    code TEXT
  );
  INSERT INTO outbox (seq, env, kind, record_id, model, client_mutation_id, payload, base_version, state, reason, attempts, created_at, code)
    SELECT seq, env, kind, record_id, model, client_mutation_id, payload, base_version, state, reason, attempts, created_at, code FROM outbox_v6;
  DROP TABLE outbox_v6;
  CREATE INDEX outbox_record ON outbox(env, record_id);
  CREATE INDEX outbox_env_state ON outbox(env, state, seq);
  CREATE TRIGGER outbox_seq_ad AFTER DELETE ON outbox
    WHEN old.seq > (SELECT hwm FROM outbox_seq) AND old.seq > coalesce((SELECT max(seq) FROM outbox), 0) BEGIN
    UPDATE outbox_seq SET hwm = old.seq;
  END;
  `,
  // Issue 12 (incremental sync; depends on no other entry): a
  // two-level search index. bases_search stays as the first pull built it (one merged segment);
  // text written later goes to the small bases_search_recent, and bases_recent lists the rows
  // (rowids of bases, written or deleted since) whose text in bases_search is stale (search.ts
  // masks and folds them). Rewriting a row in bases_search meant
  // a tombstone in the big segment's hash, one page per row at 200k records (~120 of the ~330
  // pages a 100-change sync committed). An existing store starts with all of it in the big index.
  `
  CREATE VIRTUAL TABLE bases_search_recent USING fts5(text, content='', contentless_delete=1, tokenize='trigram');
  CREATE TABLE bases_recent (id INTEGER PRIMARY KEY);
  DROP TRIGGER bases_search_ai;
  DROP TRIGGER bases_search_ad;
  DROP TRIGGER bases_search_au;
  ${BASES_RECENT_INSERT_TRIGGER}
  -- A deleted row stays listed: its stale text in bases_search is masked (were its rowid taken
  -- again) and goes at the next fold, so a dropped environment does not leave its rows' text
  -- behind for good.
  CREATE TRIGGER bases_search_ad AFTER DELETE ON bases BEGIN
    DELETE FROM bases_search_recent WHERE rowid = old.rowid AND EXISTS (SELECT 1 FROM bases_recent WHERE id = old.rowid);
    INSERT INTO bases_recent (id) SELECT old.rowid WHERE NOT EXISTS (SELECT 1 FROM bases_recent WHERE id = old.rowid);
  END;
  -- Only a changed text is indexed again (a pull rewrites rows whose text did not move). (Not
  -- INSERT OR IGNORE: the upsert that fires this trigger would override its conflict clause.)
  CREATE TRIGGER bases_search_au AFTER UPDATE OF search ON bases WHEN old.search IS NOT new.search BEGIN
    DELETE FROM bases_search_recent WHERE rowid = old.rowid AND EXISTS (SELECT 1 FROM bases_recent WHERE id = old.rowid);
    INSERT INTO bases_recent (id) SELECT new.rowid WHERE NOT EXISTS (SELECT 1 FROM bases_recent WHERE id = new.rowid);
    INSERT INTO bases_search_recent(rowid, text) VALUES (new.rowid, new.search);
  END;
  `,
  // Issue 12 (autosave): a first edit of a server record no longer queues its op in the same
  // commit (four pages: the op row and its two indexes besides the draft). The draft says it
  // owes a write, in its own row, and the outbox turns it into its op when anything reads or
  // adds to the outbox for that record, or sends (outbox.ts, settle). No index: the outbox
  // reads the few marked drafts once at open and keeps their keys.
  `
  ALTER TABLE drafts ADD COLUMN write_owed INTEGER NOT NULL DEFAULT 0;
  `,
  // A field deleted on the server (sync/deleted-fields.ts): its typed cells become conflicts,
  // named on their card by the field's label, which the model no longer holds.
  `
  ALTER TABLE conflicts ADD COLUMN field_label TEXT;
  `,
];
