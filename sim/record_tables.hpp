// Every table of the recording (recording-schema.md), each described once
// in record_tables.cpp: columns, SQL types, constraints, comments, and how
// its rows bind and read back. The schema's DDL, the writer's INSERTs and
// the reader's SELECTs all come from these descriptions.
#pragma once

#include "sim/record_table.hpp"
#include "sim/records.hpp"

#include <vector>

namespace execsim {

const record_table<run_row>& runs_table();
/// Not a run's table: one row per explore process (version 4).
const record_table<exploration_row>& explorations_table();
const record_table<order_row>& orders_table();
const record_table<attempt_row>& attempts_table();
const record_table<check_row>& duplicate_checks_table();
const record_table<fill_row>& fills_table();
const record_table<event_row>& events_table();
const record_table<fault_row>& faults_table();
const record_table<violation_row>& violations_table();
const record_table<trace_row>& trace_table();
const record_table<arrival_row>& arrivals_table();
/// Version 5: one row per order the reconciler worked on.
const record_table<reconciliation_row>& reconciliations_table();

/// Calls `f(table, &row_batch::member)` for each table of a run's rows,
/// in schema order.
template <class F>
void for_each_batch_table(F&& f) {
  f(orders_table(), &row_batch::orders);
  f(attempts_table(), &row_batch::attempts);
  f(duplicate_checks_table(), &row_batch::checks);
  f(fills_table(), &row_batch::fills);
  f(events_table(), &row_batch::events);
  f(faults_table(), &row_batch::faults);
  f(violations_table(), &row_batch::violations);
  f(trace_table(), &row_batch::trace);
  f(arrivals_table(), &row_batch::arrivals);
  f(reconciliations_table(), &row_batch::reconciliations);
}

/// The schema of every table, runs first, in the order they were created.
const std::vector<table_schema>& recording_tables();

/// The tables that hold a run's rows (runs and those with a run_id): every
/// table but explorations.
const std::vector<table_schema>& run_tables();

} // namespace execsim
