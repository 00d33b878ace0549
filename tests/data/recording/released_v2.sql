-- The recording's schema as execsim released it (sim/recording_schema.cpp
-- before the tables were described once, in sim/record_tables.cpp): what
-- tests/recording_schema_test.cpp compares a fresh recording with.
-- Version 2 (applied after version 1).
CREATE TABLE IF NOT EXISTS arrivals (
  run_id      INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id    TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  side        TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  at_ns       INTEGER NOT NULL,  -- when the order was sent (virtual time)
  arrival_mid REAL               -- (bid + ask) / 2 then; NULL = no quote yet
);
CREATE INDEX IF NOT EXISTS arrivals_by_order ON arrivals (run_id, order_id);
