-- The recording's schema as execsim released it: what
-- tests/recording_schema_test.cpp compares a fresh recording with.
-- Version 3 (applied after version 2): runs.error, the attempts' late
-- answers, UNKNOWN in execution_log, recovered_orders with the contract's
-- meaning of "recovered", found_by_check.
ALTER TABLE runs ADD COLUMN error TEXT;
ALTER TABLE attempts ADD COLUMN timed_out_at_ns INTEGER;
ALTER TABLE attempts ADD COLUMN late_answer TEXT CHECK (late_answer IN ('ack', 'rejected', 'network_error'));
ALTER TABLE attempts ADD COLUMN abandoned INTEGER CHECK (abandoned IN (0, 1));

DROP VIEW IF EXISTS execution_log;
-- Per order, what the executor reported, in publication order: EXECUTED,
-- RECOVERED (a success after at least one failed attempt), FAILED, or
-- UNKNOWN (a failure whose error_code is STATUS_UNKNOWN: the exchange may
-- hold the order).
CREATE VIEW execution_log (run_id, order_id, action, at_ns) AS
  SELECT e.run_id, e.order_id,
         CASE
           WHEN e.channel = 'order.executed' THEN 'EXECUTED'
           WHEN e.channel = 'order.recovered' THEN 'RECOVERED'
           WHEN EXISTS (SELECT 1 FROM orders o
                        WHERE o.run_id = e.run_id AND o.order_id = e.order_id
                          AND o.error_code = 'STATUS_UNKNOWN') THEN 'UNKNOWN'
           ELSE 'FAILED'
         END,
         e.at_ns
  FROM events e
  WHERE e.channel IN ('order.executed', 'order.recovered',
                      'order.execution_failed')
  ORDER BY e.run_id, e.seq;

DROP VIEW IF EXISTS recovered_orders;
-- Orders that recovered: they succeeded after at least one failed attempt
-- (the order.recovered event; execution_log's RECOVERED), at
-- recovered_at_ns. found_after_attempt and found_checks say whether a
-- duplicate check found the order (NULL and 0 when none did).
CREATE VIEW recovered_orders AS
  SELECT o.run_id, o.order_id, o.exchange_order_id, o.retry_count,
         o.finished_at_ns,
         (SELECT min(c.after_attempt) FROM duplicate_checks c
          WHERE c.run_id = o.run_id AND c.order_id = o.order_id
            AND c.outcome = 'found') AS found_after_attempt,
         (SELECT count(*) FROM duplicate_checks c
          WHERE c.run_id = o.run_id AND c.order_id = o.order_id
            AND c.outcome = 'found') AS found_checks,
         (SELECT min(e.at_ns) FROM events e
          WHERE e.run_id = o.run_id AND e.order_id = o.order_id
            AND e.channel = 'order.recovered') AS recovered_at_ns
  FROM orders o
  WHERE EXISTS (SELECT 1 FROM events e
                WHERE e.run_id = o.run_id AND e.order_id = o.order_id
                  AND e.channel = 'order.recovered');

-- Successful orders whose result came from a duplicate check that found
-- the order at the exchange (a lost ack resolved without a resubmit).
CREATE VIEW IF NOT EXISTS found_by_check AS
  SELECT o.run_id, o.order_id, o.exchange_order_id, o.retry_count,
         o.finished_at_ns,
         min(c.after_attempt) AS found_after_attempt,
         count(*) AS found_checks
  FROM orders o
  JOIN duplicate_checks c
    ON c.run_id = o.run_id AND c.order_id = o.order_id
  WHERE o.success = 1 AND c.outcome = 'found'
  GROUP BY o.run_id, o.order_id;
