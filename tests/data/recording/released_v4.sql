-- The recording's schema as execsim released it: what
-- tests/recording_schema_test.cpp compares a fresh recording with.
-- Version 4 (applied after version 3): the explorations table, one row per
-- explore process (a shard of a seed range), for execsim merge.
CREATE TABLE IF NOT EXISTS explorations (
  exploration_id INTEGER PRIMARY KEY,
  scenario       TEXT NOT NULL,     -- the scenario's name
  file           TEXT NOT NULL,     -- path it was loaded from
  seed_from      INTEGER NOT NULL,  -- the seed range's first seed
  seeds          INTEGER NOT NULL,  -- the range's size, over every shard
  shard_index    INTEGER NOT NULL,  -- I of I/N
  shard_count    INTEGER NOT NULL,  -- N of I/N
  seeds_run      INTEGER NOT NULL,  -- seeds this shard ran
  failing_seeds  INTEGER NOT NULL,
  digest         TEXT NOT NULL,     -- XOR over the shard's seeds
  wall_ms        REAL NOT NULL,
  started_at     TEXT NOT NULL,     -- wall clock, ISO 8601
  probes         TEXT               -- JSON object: probe -> seeds
);
CREATE INDEX IF NOT EXISTS explorations_by_range
  ON explorations (file, seed_from, seeds, shard_count);
