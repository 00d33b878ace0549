-- The recording's schema as execsim released it: what
-- tests/recording_schema_test.cpp compares a fresh recording with.
-- Version 5 (applied after version 4): the reconciliations table, one row
-- per order a [reconciler] worked on; execution_log's RECONCILED and
-- UNRESOLVED.
CREATE TABLE IF NOT EXISTS reconciliations (
  run_id            INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  order_id          TEXT NOT NULL,
  queries           INTEGER NOT NULL,  -- queries sent to the exchange
  outcome           TEXT CHECK (outcome IN ('found', 'not_found', 'gave_up')),
  exchange_order_id TEXT,              -- set when found
  fill_price        TEXT,              -- decimal; found and filled
  unknown_at_ns     INTEGER NOT NULL,  -- the STATUS_UNKNOWN result
  ended_at_ns       INTEGER,           -- when the outcome was known
  deadline_ns       INTEGER NOT NULL   -- unknown_resolved: resolved by then
);
CREATE UNIQUE INDEX IF NOT EXISTS reconciliations_by_order
  ON reconciliations (run_id, order_id);

DROP VIEW IF EXISTS execution_log;
-- Per order, in publication order: EXECUTED, RECOVERED (a success after at
-- least one failed attempt), FAILED, UNKNOWN (a failure whose error_code is
-- STATUS_UNKNOWN: the exchange may hold the order), then, where a
-- [reconciler] ran, RECONCILED (it found the order or ruled it out) or
-- UNRESOLVED (it gave up).
CREATE VIEW execution_log (run_id, order_id, action, at_ns) AS
  SELECT e.run_id, e.order_id,
         CASE
           WHEN e.channel = 'order.executed' THEN 'EXECUTED'
           WHEN e.channel = 'order.recovered' THEN 'RECOVERED'
           WHEN e.channel = 'order.reconciled' THEN
             CASE
               WHEN EXISTS (SELECT 1 FROM reconciliations r
                            WHERE r.run_id = e.run_id
                              AND r.order_id = e.order_id
                              AND r.outcome = 'gave_up') THEN 'UNRESOLVED'
               ELSE 'RECONCILED'
             END
           WHEN EXISTS (SELECT 1 FROM orders o
                        WHERE o.run_id = e.run_id AND o.order_id = e.order_id
                          AND o.error_code = 'STATUS_UNKNOWN') THEN 'UNKNOWN'
           ELSE 'FAILED'
         END,
         e.at_ns
  FROM events e
  WHERE e.channel IN ('order.executed', 'order.recovered',
                      'order.execution_failed', 'order.reconciled')
  ORDER BY e.run_id, e.seq;
