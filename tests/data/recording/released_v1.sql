-- The recording's schema as execsim released it (sim/recording_schema.cpp
-- before the tables were described once, in sim/record_tables.cpp): what
-- tests/recording_schema_test.cpp compares a fresh recording with.
-- Version 1.
CREATE TABLE IF NOT EXISTS runs (
  run_id         INTEGER PRIMARY KEY,
  scenario       TEXT NOT NULL,    -- the scenario's name
  file           TEXT NOT NULL,    -- path it was loaded from
  scenario_text  TEXT NOT NULL,    -- the file's full text, for replay
  seed           INTEGER NOT NULL CHECK (seed >= 0),
  verdict        TEXT NOT NULL DEFAULT 'running'
                 CHECK (verdict IN ('pass', 'fail', 'running')),
  digest         TEXT,             -- hex of the run's trace
  virtual_end_ns INTEGER,
  wall_ms        REAL,
  started_at     TEXT NOT NULL,    -- wall clock, ISO 8601
  kind           TEXT NOT NULL DEFAULT 'run' -- run|explore|backtest|replay
);
CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (scenario, run_id);

CREATE TABLE IF NOT EXISTS orders (
  run_id            INTEGER NOT NULL
                    REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id          TEXT NOT NULL,  -- the scenario's id
  idem_key          TEXT NOT NULL,
  trader            TEXT NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  quantity          INTEGER NOT NULL,
  price             TEXT,           -- decimal; NULL = market order
  success           INTEGER CHECK (success IN (0, 1)), -- NULL = no result
  exchange_order_id TEXT,
  fill_price        TEXT,           -- decimal
  error             TEXT,
  error_code        TEXT,
  retry_count       INTEGER NOT NULL,
  started_at_ns     INTEGER NOT NULL,
  finished_at_ns    INTEGER         -- NULL = no result
);
CREATE UNIQUE INDEX IF NOT EXISTS orders_by_order
  ON orders (run_id, order_id);
CREATE INDEX IF NOT EXISTS orders_by_key ON orders (run_id, idem_key);

CREATE TABLE IF NOT EXISTS attempts (
  run_id         INTEGER NOT NULL
                 REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id       TEXT NOT NULL,
  attempt        INTEGER NOT NULL CHECK (attempt >= 1),
  sent_at_ns     INTEGER NOT NULL,
  answered_at_ns INTEGER,           -- NULL = no answer came
  outcome        TEXT NOT NULL
                 CHECK (outcome IN ('ack', 'timeout', 'network_error',
                                    'rejected')),
  error_code     TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS attempts_by_order
  ON attempts (run_id, order_id, attempt);

CREATE TABLE IF NOT EXISTS duplicate_checks (
  run_id            INTEGER NOT NULL
                    REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id          TEXT NOT NULL,
  after_attempt     INTEGER NOT NULL,
  sent_at_ns        INTEGER NOT NULL,
  answered_at_ns    INTEGER,        -- NULL = no answer came
  outcome           TEXT NOT NULL
                    CHECK (outcome IN ('found', 'not_found', 'failed',
                                       'timeout')),
  exchange_order_id TEXT            -- set when found
);
CREATE INDEX IF NOT EXISTS duplicate_checks_by_order
  ON duplicate_checks (run_id, order_id, after_attempt);

CREATE TABLE IF NOT EXISTS fills (
  run_id            INTEGER NOT NULL
                    REFERENCES runs (run_id) ON DELETE CASCADE,
  exchange_order_id TEXT NOT NULL,
  idem_key          TEXT NOT NULL,
  order_id          TEXT NOT NULL,
  quantity          INTEGER NOT NULL,
  price             TEXT NOT NULL,  -- decimal
  filled_at_ns      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS fills_by_key ON fills (run_id, idem_key);
CREATE INDEX IF NOT EXISTS fills_by_order ON fills (run_id, order_id);

CREATE TABLE IF NOT EXISTS events (
  run_id   INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq      INTEGER NOT NULL,        -- publication order within the run
  at_ns    INTEGER NOT NULL,
  channel  TEXT NOT NULL,
  order_id TEXT,                    -- NULL = not about one order
  payload  TEXT NOT NULL            -- JSON
);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_seq ON events (run_id, seq);
CREATE INDEX IF NOT EXISTS events_by_order ON events (run_id, order_id);

CREATE TABLE IF NOT EXISTS faults (
  run_id   INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  at_ns    INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  order_id TEXT,                    -- NULL = not tied to one order (outage)
  attempt  INTEGER,
  detail   TEXT NOT NULL            -- e.g. 'delay=3s', 'code=RATE_LIMITED'
);
CREATE INDEX IF NOT EXISTS faults_by_order ON faults (run_id, order_id);

CREATE TABLE IF NOT EXISTS violations (
  run_id    INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  invariant TEXT NOT NULL,
  order_id  TEXT,
  detail    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS violations_by_run
  ON violations (run_id, invariant);

CREATE TABLE IF NOT EXISTS trace (
  run_id INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  seq    INTEGER NOT NULL,
  at_ns  INTEGER NOT NULL,
  line   TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS trace_by_seq ON trace (run_id, seq);

-- Per order, what the executor reported, in publication order.
CREATE VIEW IF NOT EXISTS execution_log (run_id, order_id, action, at_ns) AS
  SELECT run_id, order_id,
         CASE channel
           WHEN 'order.executed' THEN 'EXECUTED'
           WHEN 'order.recovered' THEN 'RECOVERED'
           ELSE 'FAILED'
         END,
         at_ns
  FROM events
  WHERE channel IN ('order.executed', 'order.recovered',
                    'order.execution_failed')
  ORDER BY run_id, seq;

-- Orders that needed more than one attempt; `summary` lists the attempts
-- as "1:timeout, 2:rejected(RATE_LIMITED), 3:ack".
CREATE VIEW IF NOT EXISTS retried_orders AS
  SELECT o.run_id, o.order_id, o.retry_count, o.success, o.error_code,
         (SELECT count(*) FROM attempts a
          WHERE a.run_id = o.run_id AND a.order_id = o.order_id) AS attempts,
         (SELECT group_concat(item, ', ')
          FROM (SELECT a.attempt || ':' || a.outcome
                       || coalesce('(' || a.error_code || ')', '') AS item
                FROM attempts a
                WHERE a.run_id = o.run_id AND a.order_id = o.order_id
                ORDER BY a.attempt)) AS summary
  FROM orders o
  WHERE o.retry_count > 0;

-- Successful orders whose result came from a duplicate check that found
-- the order at the exchange (a lost ack recovered without a resubmit).
CREATE VIEW IF NOT EXISTS recovered_orders AS
  SELECT o.run_id, o.order_id, o.exchange_order_id, o.retry_count,
         o.finished_at_ns,
         min(c.after_attempt) AS found_after_attempt,
         count(*) AS found_checks
  FROM orders o
  JOIN duplicate_checks c
    ON c.run_id = o.run_id AND c.order_id = o.order_id
  WHERE o.success = 1 AND c.outcome = 'found'
  GROUP BY o.run_id, o.order_id;

-- Idempotency keys that reached the exchange as more than one order: the
-- double execution the executor must prevent.
CREATE VIEW IF NOT EXISTS duplicate_fills AS
  SELECT run_id, idem_key,
         count(DISTINCT exchange_order_id) AS exchange_orders,
         count(*) AS fills,
         group_concat(DISTINCT exchange_order_id) AS exchange_order_ids
  FROM fills
  GROUP BY run_id, idem_key
  HAVING count(DISTINCT exchange_order_id) > 1;

-- Virtual time from an order's start to its result; NULLs for an order
-- that never got one.
CREATE VIEW IF NOT EXISTS time_to_result AS
  SELECT run_id, order_id, started_at_ns, finished_at_ns,
         finished_at_ns - started_at_ns AS duration_ns
  FROM orders;
