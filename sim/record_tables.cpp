#include "sim/record_tables.hpp"

#include <cstdint>

namespace execsim {

namespace {

/// A runs column that is the member `M` of the run's header.
template <auto M>
record_column<run_row> header_column(const char* name, const char* decl,
                                     const char* comment = "") {
  return {{name, decl, comment, written_at_insert},
          [](sqlite3_stmt* stmt, int i, const run_row& row) {
            return sql::bind(stmt, i, row.header.*M);
          },
          [](sqlite3_stmt* stmt, int i, run_row& row) {
            sql::read(stmt, i, row.header.*M);
          }};
}

/// A runs column the run's finishing UPDATE writes.
template <auto M>
record_column<run_row> result_column(const char* name, const char* decl,
                                     const char* comment = "") {
  auto c = column<M>(name, decl, comment);
  c.schema.written = written_at_finish;
  return c;
}

record_table<run_row> make_runs() {
  record_table<run_row> t{
    {"runs", 1, {},
     "CREATE INDEX IF NOT EXISTS runs_by_scenario ON runs (scenario, run_id);\n"},
    {},
    "run_id"};
  t.columns = {
    header_column<&run_header::scenario>("scenario", "TEXT NOT NULL",
                                         "the scenario's name"),
    header_column<&run_header::file>("file", "TEXT NOT NULL",
                                     "path it was loaded from"),
    header_column<&run_header::scenario_text>(
      "scenario_text", "TEXT NOT NULL", "the file's full text, for replay"),
    // Stored as a plain INTEGER so people can read and query it; begin_run
    // refuses seeds above 2^63-1.
    {{"seed", "INTEGER NOT NULL CHECK (seed >= 0)", "", written_at_insert},
     [](sqlite3_stmt* stmt, int i, const run_row& row) {
       return sql::bind(stmt, i, static_cast<std::int64_t>(row.header.seed));
     },
     [](sqlite3_stmt* stmt, int i, run_row& row) {
       std::int64_t seed = 0;
       sql::read(stmt, i, seed);
       row.header.seed = static_cast<std::uint64_t>(seed);
     }},
    column<&run_row::verdict>(
      "verdict",
      "TEXT NOT NULL DEFAULT 'running' "
      "CHECK (verdict IN ('pass', 'fail', 'running'))"),
    result_column<&run_row::digest>("digest", "TEXT",
                                    "hex of the run's trace"),
    result_column<&run_row::virtual_end_ns>("virtual_end_ns", "INTEGER"),
    result_column<&run_row::wall_ms>("wall_ms", "REAL"),
    header_column<&run_header::started_at>("started_at", "TEXT NOT NULL",
                                           "wall clock, ISO 8601"),
    header_column<&run_header::kind>("kind", "TEXT NOT NULL DEFAULT 'run'",
                                     "run|explore|backtest|replay"),
    // Version 3: what stopped a run (the executor program's own error).
    added_in(3, result_column<&run_row::error>(
                  "error", "TEXT",
                  "what stopped the run: a broken executor, a limit; "
                  "NULL = nothing")),
  };
  // The verdict is 'running' until the run finishes.
  t.columns[4].schema.written = written_at_insert | written_at_finish;
  t.schema.columns.push_back(
    {"run_id", "INTEGER PRIMARY KEY", "", written_never});
  for (const auto& c : t.columns)
    t.schema.columns.push_back(c.schema);
  return t;
}

record_table<exploration_row> make_explorations() {
  using r = exploration_row;
  record_table<r> t{{"explorations", 4, {},
                     "CREATE INDEX IF NOT EXISTS explorations_by_range ON "
                     "explorations (file, seed_from, seeds, shard_count);\n"},
                    {},
                    "exploration_id"};
  t.columns = {
    column<&r::scenario>("scenario", "TEXT NOT NULL", "the scenario's name"),
    column<&r::file>("file", "TEXT NOT NULL", "path it was loaded from"),
    column<&r::seed_from>("seed_from", "INTEGER NOT NULL",
                          "the seed range's first seed"),
    column<&r::seeds>("seeds", "INTEGER NOT NULL",
                      "the range's size, over every shard"),
    column<&r::shard_index>("shard_index", "INTEGER NOT NULL", "I of I/N"),
    column<&r::shard_count>("shard_count", "INTEGER NOT NULL", "N of I/N"),
    column<&r::seeds_run>("seeds_run", "INTEGER NOT NULL",
                          "seeds this shard ran"),
    column<&r::failing_seeds>("failing_seeds", "INTEGER NOT NULL"),
    column<&r::digest>("digest", "TEXT NOT NULL",
                       "XOR over the shard's seeds: shards' digests XOR to "
                       "the range's"),
    column<&r::wall_ms>("wall_ms", "REAL NOT NULL"),
    column<&r::started_at>("started_at", "TEXT NOT NULL",
                           "wall clock, ISO 8601"),
    column<&r::probes>("probes", "TEXT",
                       "JSON object: probe -> seeds that reached it"),
  };
  t.schema.columns.push_back(
    {"exploration_id", "INTEGER PRIMARY KEY", "", written_never});
  for (const auto& c : t.columns)
    t.schema.columns.push_back(c.schema);
  return t;
}

record_table<order_row> make_orders() {
  using r = order_row;
  return per_run_table<r>(
    "orders", 1, "rowid",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS orders_by_order
  ON orders (run_id, order_id);
CREATE INDEX IF NOT EXISTS orders_by_key ON orders (run_id, idem_key);
)sql",
    {column<&r::order_id>("order_id", "TEXT NOT NULL", "the scenario's id"),
     column<&r::idem_key>("idem_key", "TEXT NOT NULL"),
     column<&r::trader>("trader", "TEXT NOT NULL"),
     column<&r::symbol>("symbol", "TEXT NOT NULL"),
     column<&r::side>("side", "TEXT NOT NULL CHECK (side IN ('buy', 'sell'))"),
     column<&r::quantity>("quantity", "INTEGER NOT NULL"),
     column<&r::price>("price", "TEXT", "decimal; NULL = market order"),
     column<&r::success>("success", "INTEGER CHECK (success IN (0, 1))",
                         "NULL = no result"),
     column<&r::exchange_order_id>("exchange_order_id", "TEXT"),
     column<&r::fill_price>("fill_price", "TEXT", "decimal"),
     column<&r::error>("error", "TEXT"),
     column<&r::error_code>("error_code", "TEXT"),
     column<&r::retry_count>("retry_count", "INTEGER NOT NULL"),
     column<&r::started_at_ns>("started_at_ns", "INTEGER NOT NULL"),
     column<&r::finished_at_ns>("finished_at_ns", "INTEGER",
                                "NULL = no result")});
}

record_table<attempt_row> make_attempts() {
  using r = attempt_row;
  return per_run_table<r>(
    "attempts", 1, "rowid",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS attempts_by_order
  ON attempts (run_id, order_id, attempt);
)sql",
    {column<&r::order_id>("order_id", "TEXT NOT NULL"),
     column<&r::attempt>("attempt", "INTEGER NOT NULL CHECK (attempt >= 1)"),
     column<&r::sent_at_ns>("sent_at_ns", "INTEGER NOT NULL"),
     column<&r::answered_at_ns>("answered_at_ns", "INTEGER",
                                "NULL = no answer came"),
     column<&r::outcome>("outcome",
                         "TEXT NOT NULL CHECK (outcome IN ('ack', 'timeout', "
                         "'network_error', 'rejected'))"),
     column<&r::error_code>("error_code", "TEXT"),
     // Version 3: late answers and attempts the order left behind.
     added_in(3, column<&r::timed_out_at_ns>(
                   "timed_out_at_ns", "INTEGER",
                   "when the executor gave up waiting; NULL = never")),
     added_in(3, column<&r::late_answer>(
                   "late_answer",
                   "TEXT CHECK (late_answer IN ('ack', 'rejected', "
                   "'network_error'))",
                   "the answer that came after the timeout, at "
                   "answered_at_ns")),
     added_in(3, column<&r::abandoned>(
                   "abandoned", "INTEGER CHECK (abandoned IN (0, 1))",
                   "1 = the order finished while this attempt was awaited; "
                   "NULL = recorded before version 3"))});
}

record_table<check_row> make_duplicate_checks() {
  using r = check_row;
  return per_run_table<r>(
    "duplicate_checks", 1, "rowid",
    R"sql(CREATE INDEX IF NOT EXISTS duplicate_checks_by_order
  ON duplicate_checks (run_id, order_id, after_attempt);
)sql",
    {column<&r::order_id>("order_id", "TEXT NOT NULL"),
     column<&r::after_attempt>("after_attempt", "INTEGER NOT NULL"),
     column<&r::sent_at_ns>("sent_at_ns", "INTEGER NOT NULL"),
     column<&r::answered_at_ns>("answered_at_ns", "INTEGER",
                                "NULL = no answer came"),
     column<&r::outcome>("outcome",
                         "TEXT NOT NULL CHECK (outcome IN ('found', "
                         "'not_found', 'failed', 'timeout'))"),
     column<&r::exchange_order_id>("exchange_order_id", "TEXT",
                                   "set when found")});
}

record_table<fill_row> make_fills() {
  using r = fill_row;
  return per_run_table<r>(
    "fills", 1, "rowid",
    R"sql(CREATE INDEX IF NOT EXISTS fills_by_key ON fills (run_id, idem_key);
CREATE INDEX IF NOT EXISTS fills_by_order ON fills (run_id, order_id);
)sql",
    {column<&r::exchange_order_id>("exchange_order_id", "TEXT NOT NULL"),
     column<&r::idem_key>("idem_key", "TEXT NOT NULL"),
     column<&r::order_id>("order_id", "TEXT NOT NULL"),
     column<&r::quantity>("quantity", "INTEGER NOT NULL"),
     column<&r::price>("price", "TEXT NOT NULL", "decimal"),
     column<&r::filled_at_ns>("filled_at_ns", "INTEGER NOT NULL")});
}

record_table<event_row> make_events() {
  using r = event_row;
  // Events not about one order come with an empty id; NULL says "none" the
  // same way faults and violations do (and reads back as "").
  record_column<r> order_id{
    {"order_id", "TEXT", "NULL = not about one order", written_at_insert},
    [](sqlite3_stmt* stmt, int i, const r& row) {
      return row.order_id.empty() ? sql::bind_null(stmt, i)
                                  : sql::bind(stmt, i, row.order_id);
    },
    [](sqlite3_stmt* stmt, int i, r& row) { sql::read(stmt, i, row.order_id); }};
  return per_run_table<r>(
    "events", 1, "seq",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS events_by_seq ON events (run_id, seq);
CREATE INDEX IF NOT EXISTS events_by_order ON events (run_id, order_id);
)sql",
    {column<&r::seq>("seq", "INTEGER NOT NULL",
                     "publication order within the run"),
     column<&r::at_ns>("at_ns", "INTEGER NOT NULL"),
     column<&r::channel>("channel", "TEXT NOT NULL"), order_id,
     column<&r::payload>("payload", "TEXT NOT NULL", "JSON")});
}

record_table<fault_row> make_faults() {
  using r = fault_row;
  return per_run_table<r>(
    "faults", 1, "rowid",
    R"sql(CREATE INDEX IF NOT EXISTS faults_by_order ON faults (run_id, order_id);
)sql",
    {column<&r::at_ns>("at_ns", "INTEGER NOT NULL"),
     column<&r::kind>("kind", "TEXT NOT NULL"),
     column<&r::order_id>("order_id", "TEXT",
                          "NULL = not tied to one order (outage)"),
     column<&r::attempt>("attempt", "INTEGER"),
     column<&r::detail>("detail", "TEXT NOT NULL",
                        "e.g. 'delay=3s', 'code=RATE_LIMITED'")});
}

record_table<violation_row> make_violations() {
  using r = violation_row;
  return per_run_table<r>(
    "violations", 1, "rowid",
    R"sql(CREATE INDEX IF NOT EXISTS violations_by_run
  ON violations (run_id, invariant);
)sql",
    {column<&r::invariant>("invariant", "TEXT NOT NULL"),
     column<&r::order_id>("order_id", "TEXT"),
     column<&r::detail>("detail", "TEXT NOT NULL")});
}

record_table<trace_row> make_trace() {
  using r = trace_row;
  return per_run_table<r>("trace", 1, "seq",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS trace_by_seq ON trace (run_id, seq);
)sql",
                          {column<&r::seq>("seq", "INTEGER NOT NULL"),
                           column<&r::at_ns>("at_ns", "INTEGER NOT NULL"),
                           column<&r::line>("line", "TEXT NOT NULL")});
}

// Version 2: backtests record each order's arrival quote, so slippage can
// be asked of the recording in SQL.
record_table<arrival_row> make_arrivals() {
  using r = arrival_row;
  return per_run_table<r>(
    "arrivals", 2, "rowid",
    R"sql(CREATE INDEX IF NOT EXISTS arrivals_by_order ON arrivals (run_id, order_id);
)sql",
    {column<&r::order_id>("order_id", "TEXT NOT NULL"),
     column<&r::symbol>("symbol", "TEXT NOT NULL"),
     column<&r::side>("side", "TEXT NOT NULL CHECK (side IN ('buy', 'sell'))"),
     column<&r::at_ns>("at_ns", "INTEGER NOT NULL",
                       "when the order was sent (virtual time)"),
     column<&r::arrival_mid>("arrival_mid", "REAL",
                             "(bid + ask) / 2 then; NULL = no quote yet")});
}

// Version 5: what the reconciler found out about each STATUS_UNKNOWN order.
record_table<reconciliation_row> make_reconciliations() {
  using r = reconciliation_row;
  return per_run_table<r>(
    "reconciliations", 5, "rowid",
    R"sql(CREATE UNIQUE INDEX IF NOT EXISTS reconciliations_by_order
  ON reconciliations (run_id, order_id);
)sql",
    {column<&r::order_id>("order_id", "TEXT NOT NULL"),
     column<&r::queries>("queries", "INTEGER NOT NULL",
                         "queries sent to the exchange"),
     column<&r::outcome>("outcome",
                         "TEXT CHECK (outcome IN ('found', 'not_found', "
                         "'gave_up'))",
                         "NULL = not over when the run ended"),
     column<&r::exchange_order_id>("exchange_order_id", "TEXT",
                                   "set when found"),
     column<&r::fill_price>("fill_price", "TEXT", "decimal; found and filled"),
     column<&r::unknown_at_ns>("unknown_at_ns", "INTEGER NOT NULL",
                               "the STATUS_UNKNOWN result"),
     column<&r::ended_at_ns>("ended_at_ns", "INTEGER",
                             "when the outcome was known"),
     column<&r::deadline_ns>("deadline_ns", "INTEGER NOT NULL",
                             "unknown_resolved: resolved by then")});
}

} // namespace

const record_table<run_row>& runs_table() {
  static const auto t = make_runs();
  return t;
}
const record_table<order_row>& orders_table() {
  static const auto t = make_orders();
  return t;
}
const record_table<attempt_row>& attempts_table() {
  static const auto t = make_attempts();
  return t;
}
const record_table<check_row>& duplicate_checks_table() {
  static const auto t = make_duplicate_checks();
  return t;
}
const record_table<fill_row>& fills_table() {
  static const auto t = make_fills();
  return t;
}
const record_table<event_row>& events_table() {
  static const auto t = make_events();
  return t;
}
const record_table<fault_row>& faults_table() {
  static const auto t = make_faults();
  return t;
}
const record_table<exploration_row>& explorations_table() {
  static const auto t = make_explorations();
  return t;
}
const record_table<violation_row>& violations_table() {
  static const auto t = make_violations();
  return t;
}
const record_table<trace_row>& trace_table() {
  static const auto t = make_trace();
  return t;
}
const record_table<arrival_row>& arrivals_table() {
  static const auto t = make_arrivals();
  return t;
}

const record_table<reconciliation_row>& reconciliations_table() {
  static const auto t = make_reconciliations();
  return t;
}

const std::vector<table_schema>& run_tables() {
  static const std::vector<table_schema> tables = [] {
    std::vector<table_schema> out{runs_table().schema};
    for_each_batch_table(
      [&](const auto& table, auto) { out.push_back(table.schema); });
    return out;
  }();
  return tables;
}

const std::vector<table_schema>& recording_tables() {
  static const std::vector<table_schema> tables = [] {
    auto out = run_tables();
    out.push_back(explorations_table().schema);
    return out;
  }();
  return tables;
}

} // namespace execsim
