#include "libexec/run/runner.hpp"

#include "actors/driver.hpp"
#include "actors/event_bus.hpp"
#include "actors/exchange/exchange.hpp"
#include "actors/exchange/exchange_book.hpp"
#include "actors/executor/executor_api.hpp"
#include "actors/reconciler.hpp"
#include "actors/recorder.hpp"
#include "actors/executor/timer_service.hpp"
#include "sim/batch_writer.hpp"
#include "sim/fault_plan.hpp"
#include "sim/invariants.hpp"
#include "sim/network.hpp"
#include "sim/order_safety.hpp"
#include "sim/order_source.hpp"
#include "sim/order_table.hpp"
#include "sim/reconciliation.hpp"
#include "sim/recording.hpp"
#include "sim/run_context.hpp"
#include "libexec/run/run_extension.hpp"
#include "sim/run_log.hpp"
#include "sim/scenario_paths.hpp"
#include "sim/trace.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <set>

namespace execsim {

std::string wall_clock_iso8601() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

std::string value_text(const sql_value& v) {
  if (auto i = std::get_if<std::int64_t>(&v))
    return std::to_string(*i);
  if (auto d = std::get_if<double>(&v))
    return fmt::format("{}", *d);
  return fmt::format("\"{}\"", std::get<std::string>(v));
}

bool values_equal(const sql_value& expected, const sql_value& actual) {
  auto as_double = [](const sql_value& v, double& out) {
    if (auto i = std::get_if<std::int64_t>(&v)) {
      out = static_cast<double>(*i);
      return true;
    }
    if (auto d = std::get_if<double>(&v)) {
      out = *d;
      return true;
    }
    return false;
  };
  if (expected.index() == actual.index())
    return expected == actual;
  double a = 0;
  double b = 0;
  if (as_double(expected, a) && as_double(actual, b))
    return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(a));
  return false;
}

/// Everything one run owns, torn down in reverse order.
struct run_world {
  run_world(const scenario& sc, const run_options& opt, runtime& rt,
            std::uint64_t seed)
    : trace_(opt.trace_lines_max),
      log_(orders_,
           opt.db || opt.capture ? run_log::batch_sink{[this](row_batch&& rows) {
             deliver(std::move(rows));
           }}
                  : run_log::batch_sink{}),
      probes_(sc.executor),
      faults_(sc, seed, opt.explore, log_),
      net_(ctx_),
      book_(sc.exchange, [this](const fill_row& row) { log_.fill(row); }) {
    ctx_.sc = &sc;
    ctx_.seed = seed;
    ctx_.rt = &rt;
    ctx_.orders = &orders_;
    ctx_.tr = &trace_;
    ctx_.faults = &faults_;
    ctx_.net = &net_;
    ctx_.log = &log_;
    ctx_.book = &book_;
    if (sc.reconciler.present)
      ctx_.reconciliations = &reconciliations_;
    if (opt.db || opt.capture)
      trace_.set_sink([this](std::int64_t seq, ns_t at, const std::string& l) {
        log_.trace_line(seq, at, l);
      });
    log_.set_ledger(&book_.ledger());
    // log_ is declared before book_: it outlives the texts' last reader.
    book_.share_texts(&log_.key_texts());
    log_.set_probes(&probes_);
  }

  run_context ctx_;
  order_table orders_;
  trace trace_;
  run_log log_;
  probe_tracker probes_;
  fault_plan faults_;
  network net_;
  exchange_book book_;
  reconciliation_book reconciliations_;
  caf::actor reconciler_;
  caf::actor recorder_;
  caf::actor tracker_;
  status_counts statuses_;
  recorder_target target_;
  // Declared after target_: stopped (and joined) before target_ goes.
  batch_writer writer_{[this](const row_batch& rows) {
    target_.db->write(target_.run_id, rows);
  }};

  /// A batch of the run log: kept in memory at once (capture), written to
  /// SQLite on the writer's thread (the simulation goes on meanwhile).
  void deliver(row_batch&& rows) {
    if (target_.capture != nullptr)
      capture_batch(*target_.capture, rows);
    if (target_.db != nullptr)
      writer_.submit(std::move(rows));
  }
};

void stop(caf::actor& a) {
  if (a)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  a = nullptr;
}

/// Stops whatever could still send: executors, driver, exchange. The bus,
/// tracker and recorder stay until the last rows are written.
void stop_senders(run_world& w) {
  w.orders_.for_each_live([&](order_ix, order_state& o) { stop(o.executor); });
  stop(w.ctx_.driver);
  stop(w.reconciler_);
  stop(w.ctx_.exchange);
}

void stop_observers(run_world& w) {
  stop(w.ctx_.timers);
  stop(w.ctx_.bus);
  stop(w.tracker_);
  stop(w.recorder_);
}

/// `unknown_resolved`, and the reconciliations' rows: only now is the end
/// of the last outage (the moment faults stopped) known.
void check_reconciliations(run_world& w) {
  if (w.ctx_.reconciliations == nullptr)
    return;
  const auto& cfg = w.ctx_.sc->reconciler;
  auto faults_end = w.faults_.last_outage_end();
  const auto& all = w.reconciliations_.all();
  for (auto& v : check_unknown_resolved(cfg, all, faults_end,
                                        w.book_.ledger()))
    w.log_.violation(std::move(v));
  for (const auto& r : all)
    w.log_.reconciliation(make_reconciliation_row(cfg, r, faults_end));
}

void check_invariants_at_end(run_world& w) {
  // Orders that never got a result: `terminal`, and their rows still count.
  std::vector<order_ix> unfinished;
  w.orders_.for_each_live(
    [&](order_ix ix, order_state&) { unfinished.push_back(ix); });
  for (auto ix : unfinished) {
    w.orders_.at(ix).in_flight = 0; // nothing travels once the run is over
    w.log_.release(ix);
  }
  for (auto& v : check_one_fill_per_key(w.book_.ledger()))
    w.log_.violation(std::move(v));
  for (auto& v : check_no_duplicate_exposure(w.book_.ledger()))
    w.log_.violation(std::move(v));
  check_reconciliations(w);
}

} // namespace

std::vector<std::string>
violation_mismatches(const std::vector<std::string>& expected,
                     const std::map<std::string, std::uint64_t>& counts) {
  std::vector<std::string> out;
  for (const auto& name : expected)
    if (counts.count(name) == 0)
      out.push_back(fmt::format("expected a violation of {}, but none "
                                "occurred",
                                name));
  for (const auto& [name, n] : counts)
    if (std::find(expected.begin(), expected.end(), name) == expected.end())
      out.push_back(fmt::format("invariant {} violated {} time{}", name, n,
                                n == 1 ? "" : "s"));
  return out;
}

namespace {

/// Whether the run will have [[check]]s to run (judge_checks): exploring,
/// only the `always` ones.
bool checks_follow(const scenario& sc, const run_options& opt) {
  return std::any_of(sc.checks.begin(), sc.checks.end(),
                     [&](const auto& c) { return !opt.explore || c.always; });
}

/// Opens the run's transaction (when recording). A recording that cannot
/// begin (locked, read-only, a seed it cannot store) is an error of the
/// run, never an exception out of it. A run with checks is staged until
/// they are done, so that they hold no write lock (sim/recording.hpp).
bool begin_recording(run_world& w, const scenario& sc, const run_options& opt,
                     run_outcome& out) {
  w.target_.capture = opt.capture;
  if (!opt.db)
    return true;
  run_header h;
  h.scenario = sc.name;
  h.file = recorded_file_path(sc.file);
  h.scenario_text = sc.text;
  h.seed = out.seed;
  h.started_at = wall_clock_iso8601();
  h.kind = opt.kind;
  w.target_.db = opt.db;
  try {
    w.target_.run_id = opt.db->begin_run(h, checks_follow(sc, opt));
  } catch (const std::exception& e) {
    out.error = fmt::format("recording failed: {}", e.what());
    out.recording_failed = true;
    return false;
  }
  out.run_id = w.target_.run_id;
  return true;
}

/// Spawns the run's actors and feeds the orders.
void build(run_world& w, const run_options& opt, order_source* source,
           const std::set<std::string>& expected_ids) {
  auto& ctx = w.ctx_;
  ctx.exchange = spawn_exchange(ctx);
  ctx.timers = spawn_timer_service(ctx);
  ctx.bus = spawn_event_bus(ctx);
  w.tracker_ = spawn_status_tracker(ctx, &w.statuses_);
  caf::anon_send(ctx.bus, subscribe_msg{w.tracker_, "tracker", ""});
  // The recorder always subscribes, recording or not: its deliveries are
  // in the trace, so a recorded run and its replay give one digest.
  w.recorder_ = spawn_recorder(ctx);
  caf::anon_send(ctx.bus, subscribe_msg{w.recorder_, "recorder", ""});
  if (ctx.reconciliations != nullptr) {
    w.reconciler_ = spawn_reconciler(ctx);
    caf::anon_send(ctx.bus, subscribe_msg{w.reconciler_, "reconciler",
                                          "order.execution_failed"});
  }
  ctx.driver = spawn_driver(ctx, source, [&expected_ids](const std::string& id) {
    return expected_ids.count(id) > 0;
  });
  if (opt.extension)
    opt.extension->attach(ctx);
  caf::anon_send(ctx.driver, feed_msg{});
}

/// Runs to quiescence (or a limit, or a broken executor).
void drive(run_world& w, const run_options& opt, runtime& rt,
           order_source* source, run_outcome& out) {
  auto& ctx = w.ctx_;
  ns_t work_end = 0;
  auto stop = rt.run(opt.limits, [&] {
    if (!ctx.fatal_error.empty())
      return true; // a broken executor: stop here, report it
    if (w.orders_.live() > 0 || source->peek() != nullptr
        || (opt.extension && opt.extension->busy()))
      return false;
    work_end = rt.now();
    return true;
  });
  out.virtual_end = stop == run_stop::quiescent && work_end > 0 ? work_end
                                                                : rt.now();
  if (!ctx.fatal_error.empty()) {
    out.error = ctx.fatal_error;
    out.executor_broken = true;
  } else if (stop != run_stop::quiescent) {
    out.error = runtime::describe(stop, opt.limits);
  }
  out.steps = rt.steps();
}

/// Stops the actors, checks the end-of-run invariants and hands the last
/// rows (the trace among them) to the recorder.
void tear_down(run_world& w, const run_options& opt, runtime& rt,
               run_outcome& out) {
  stop_senders(w);
  if (opt.extension)
    opt.extension->detach();
  rt.drain();
  check_invariants_at_end(w);
  out.digest = w.trace_.digest();
  out.trace_lines = w.trace_.count();
  w.log_.flush(); // written at once: batches are never simulated traffic
  stop_observers(w);
  rt.drain();
  // Every row is written (or the first failure known) before the run's
  // checks read them and before it commits.
  if (auto why = w.writer_.drain(); !why.empty() && w.target_.error.empty())
    w.target_.error = std::move(why);
  out.writer_cpu_seconds = w.writer_.thread_cpu_seconds();
}

/// Per-order expectations and expect_violations. Expected orders are the
/// ones whose state was kept.
void judge_expectations(const run_world& w, const scenario& sc,
                        const run_options& opt, run_outcome& out) {
  std::map<std::string, const order_state*> kept;
  for (order_ix ix = 0; ix < w.orders_.size(); ++ix)
    if (const auto* st = w.orders_.find(ix))
      kept.emplace(st->spec.id, st);
  // Under random faults per-order expectations do not hold; exploration
  // judges a run by its invariants (and `always` checks) alone.
  for (const auto& e : opt.explore ? std::vector<expectation>{} : sc.expects) {
    auto i = kept.find(e.order);
    const order_state* o = i == kept.end() ? nullptr : i->second;
    for (auto& f : check_expectation(e, o, w.book_.ledger()))
      out.failures.push_back(std::move(f));
  }
  out.violations = w.log_.violations();
  out.violation_counts = w.log_.violation_counts();
  for (auto& m : violation_mismatches(
         opt.explore ? std::vector<std::string>{} : sc.expect_violations,
         out.violation_counts))
    out.check_failures.push_back(std::move(m));
}

void collect_counts(const run_world& w, run_outcome& out) {
  out.orders = w.orders_.size();
  out.successes = w.log_.successes();
  out.fills = w.log_.fills();
  out.faults_fired = w.log_.faults_fired();
  out.faults_by_kind = w.log_.faults_by_kind();
  out.statuses = w.statuses_;
  out.trace = w.trace_.lines();
  out.fired = w.faults_.fired();
  out.probes = w.probes_.hits();
}

/// [[check]] queries; they see the rows of this run (staged, not yet in
/// the file) and the committed runs.
void judge_checks(const scenario& sc, const run_options& opt,
                  run_outcome& out) {
  for (const auto& c : sc.checks) {
    if (opt.explore && !c.always)
      continue;
    std::string err;
    auto got = opt.db->query_scalar(c.sql, out.run_id, err);
    if (!got)
      out.check_failures.push_back(
        fmt::format("check at line {}: {}: {}", c.pos.line, c.sql, err));
    else if (!values_equal(c.equals, *got))
      out.check_failures.push_back(
        fmt::format("check at line {}: {}: expected {}, got {}", c.pos.line,
                    c.sql, value_text(c.equals), value_text(*got)));
  }
}

/// Commits the run, or (when a write already failed, which rolled the run
/// back) keeps the first error: the real cause, not a later symptom.
void finish_recording(const run_options& opt, run_outcome& out) {
  if (out.recording_failed) {
    opt.db->abort_run();
    out.run_id = 0;
    return;
  }
  try {
    // out.error here is what stopped the run (a broken executor, a
    // limit): recording errors never reach a commit.
    // A staged run gets its id in the file only now.
    out.run_id = opt.db->finish_run(out.run_id, out.pass, out.digest,
                                    out.virtual_end, out.wall_ms, out.error);
  } catch (const std::exception& e) {
    opt.db->abort_run();
    out.error = fmt::format("recording failed: {}", e.what());
    out.recording_failed = true;
    out.pass = false;
    out.run_id = 0;
  }
}

} // namespace

run_outcome run_scenario(const scenario& sc, const run_options& opt,
                         runtime* shared_rt) {
  auto wall_start = std::chrono::steady_clock::now();
  std::optional<runtime> own_rt;
  if (shared_rt == nullptr)
    own_rt.emplace();
  runtime& rt = shared_rt ? *shared_rt : *own_rt;
  rt.begin_run();

  run_outcome out;
  out.seed = opt.seed.value_or(sc.seed);
  if (find_executor(sc.executor.kind) == nullptr) {
    out.error = fmt::format("unknown executor kind \"{}\" (known: {})",
                            sc.executor.kind,
                            fmt::join(executor_names(), ", "));
    out.executor_broken = true;
    return out;
  }

  run_world w{sc, opt, rt, out.seed};
  if (!begin_recording(w, sc, opt, out))
    return out;
  std::set<std::string> expected_ids;
  for (const auto& e : sc.expects)
    expected_ids.insert(e.order);
  vector_order_source file_orders{sc.orders};
  order_source* source = opt.source ? opt.source : &file_orders;

  build(w, opt, source, expected_ids);
  drive(w, opt, rt, source, out);
  tear_down(w, opt, rt, out);
  judge_expectations(w, sc, opt, out);
  collect_counts(w, out);
  if (opt.db && out.error.empty() && !w.target_.error.empty()) {
    out.error = "recording failed: " + w.target_.error;
    out.recording_failed = true;
  }
  if (opt.db && out.error.empty())
    judge_checks(sc, opt, out);

  out.pass = out.error.empty() && out.failures.empty()
             && out.check_failures.empty();
  out.wall_ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - wall_start)
                  .count();
  if (opt.db)
    finish_recording(opt, out);
  return out;
}

} // namespace execsim
