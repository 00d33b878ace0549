#include "sim/probes.hpp"

#include "sim/assert.hpp"

#include "sim/exchange_ledger.hpp"
#include "sim/order_state.hpp"

#include <algorithm>

namespace execsim {

namespace {

struct probe_doc {
  probe p;
  const char* name;
  const char* meaning;
};

const probe_doc docs[probe_count] = {
  {probe::ack_after_timeout, "ack_after_timeout",
   "an attempt's ack arrived after the executor had timed it out"},
  {probe::late_ack_during_backoff, "late_ack_during_backoff",
   "a late ack arrived while the executor waited to retry: after every "
   "check following that attempt had ended, before the next attempt was "
   "sent, and before the order's result"},
  {probe::check_while_in_flight, "check_while_in_flight",
   "a duplicate check was sent while the exchange already held an order "
   "with the key and no ack had reached the executor"},
  {probe::duplicate_key_reject, "duplicate_key_reject",
   "an attempt was rejected with DUPLICATE_CLIENT_ORDER_ID"},
  {probe::final_check_found, "final_check_found",
   "a final check (after the last allowed attempt or a fatal reject) "
   "answered found"},
  {probe::final_check_unknown, "final_check_unknown",
   "a final check got no usable answer (failed, or timed out)"},
  {probe::outage_across_retry, "outage_across_retry",
   "an outage failed two consecutive attempts of one order at send"},
  {probe::check_found, "check_found",
   "a duplicate check answered found (in time)"},
  {probe::check_not_found_but_filled, "check_not_found_but_filled",
   "a duplicate check answered not found although it was sent after an "
   "order with the key had filled"},
  {probe::ack_at_timeout, "ack_at_timeout",
   "an attempt's ack arrived exactly submit_timeout after the attempt was "
   "sent: at the very instant its timeout is due"},
  {probe::check_answer_at_timeout, "check_answer_at_timeout",
   "a duplicate check's answer arrived exactly check_timeout after the check "
   "was sent: at the very instant its timeout is due"},
};

const probe_doc& doc_of(probe p) {
  return docs[static_cast<std::size_t>(p)];
}

void set(probe_hits& hits, probe p) {
  hits.set(static_cast<std::size_t>(p));
}

bool is_ack(const attempt_obs& a) {
  return a.answer == submit_status::ack && a.answered_at.has_value();
}

/// The check's recorded outcome is `status` (answered before it timed out).
bool answered(const check_obs& c, check_status status) {
  return !c.timed_out && c.answer == status;
}

bool unanswered(const check_obs& c) {
  return c.timed_out || !c.answer || *c.answer == check_status::failed
         || *c.answer == check_status::network_error;
}

/// When the executor stopped waiting for `c` (nullopt: it never did).
std::optional<ns_t> check_ended(const check_obs& c) {
  if (c.timed_out)
    return c.timed_out_at;
  return c.answered_at;
}

/// No retry could follow attempt `n`: it was the last allowed, or a fatal
/// code rejected it in time (a late reject changes nothing).
bool last_allowed(const order_state& o, int n, const executor_config& cfg) {
  // 0: a poll before the first submit, never after the last attempt.
  if (n < 1)
    return false;
  EXECSIM_ASSERT(static_cast<std::size_t>(n) <= o.attempts.size());
  if (n >= cfg.max_attempts)
    return true;
  const auto& a = o.attempts[static_cast<std::size_t>(n) - 1];
  return !a.timed_out && a.answer == submit_status::rejected
         && std::find(cfg.fatal_codes.begin(), cfg.fatal_codes.end(),
                      a.error_code)
              != cfg.fatal_codes.end();
}

bool in_backoff(const order_state& o, std::size_t i) {
  const auto& a = o.attempts[i];
  if (!a.timed_out || !is_ack(a) || a.answered_after_result)
    return false;
  auto t = *a.answered_at;
  if (i + 1 < o.attempts.size() && o.attempts[i + 1].sent_at <= t)
    return false;
  for (const auto& c : o.checks) {
    if (c.after_attempt != static_cast<int>(i) + 1)
      continue;
    auto ended = check_ended(c);
    if (!ended || *ended >= t)
      return false;
  }
  return true;
}

void attempt_probes(const order_state& o, const executor_config& cfg,
                    probe_hits& hits) {
  for (std::size_t i = 0; i < o.attempts.size(); ++i) {
    const auto& a = o.attempts[i];
    if (a.timed_out && is_ack(a))
      set(hits, probe::ack_after_timeout);
    // Both the ack and the timeout are due at this instant: which one the
    // executor handles first is a same-time ordering question.
    if (is_ack(a) && *a.answered_at == a.sent_at + cfg.submit_timeout)
      set(hits, probe::ack_at_timeout);
    if (in_backoff(o, i))
      set(hits, probe::late_ack_during_backoff);
    if (a.answer == submit_status::rejected
        && a.error_code == "DUPLICATE_CLIENT_ORDER_ID")
      set(hits, probe::duplicate_key_reject);
  }
}

/// Whether the executor had an ack for `o` at `t`.
bool acked_by(const order_state& o, ns_t t) {
  return std::any_of(o.attempts.begin(), o.attempts.end(),
                     [t](const attempt_obs& a) {
                       return is_ack(a) && *a.answered_at <= t;
                     });
}

void check_probes(const order_state& o,
                  const std::vector<const exchange_order*>& held,
                  const executor_config& cfg, probe_hits& hits) {
  for (const auto& c : o.checks) {
    bool created = false;
    bool filled = false;
    for (const auto* x : held) {
      created = created || x->created_at <= c.sent_at;
      filled = filled || (x->first_filled_at && *x->first_filled_at <= c.sent_at);
    }
    if (created && !acked_by(o, c.sent_at))
      set(hits, probe::check_while_in_flight);
    if (answered(c, check_status::found))
      set(hits, probe::check_found);
    if (answered(c, check_status::not_found) && filled)
      set(hits, probe::check_not_found_but_filled);
    // The answer and the check's timeout are due at the same instant.
    if (c.answered_at && c.answer != check_status::network_error
        && *c.answered_at == c.sent_at + cfg.check_timeout)
      set(hits, probe::check_answer_at_timeout);
    if (!last_allowed(o, c.after_attempt, cfg))
      continue;
    if (answered(c, check_status::found))
      set(hits, probe::final_check_found);
    if (unanswered(c))
      set(hits, probe::final_check_unknown);
  }
}

} // namespace

const char* to_string(probe p) noexcept {
  return doc_of(p).name;
}

const char* probe_meaning(probe p) noexcept {
  return doc_of(p).meaning;
}

const std::vector<probe>& all_probes() {
  static const std::vector<probe> list = [] {
    std::vector<probe> v;
    for (const auto& d : docs)
      v.push_back(d.p);
    return v;
  }();
  return list;
}

std::optional<probe> probe_named(std::string_view name) {
  for (const auto& d : docs)
    if (name == d.name)
      return d.p;
  return std::nullopt;
}

std::string probe_name_list() {
  std::string list;
  for (const auto& d : docs)
    list += (list.empty() ? "" : ", ") + std::string{d.name};
  return list;
}

probe_hits order_probes(const order_state& o, const exchange_ledger* ledger,
                        const executor_config& cfg) {
  probe_hits hits;
  attempt_probes(o, cfg, hits);
  std::vector<const exchange_order*> held;
  if (ledger != nullptr && !o.idem_key.empty())
    held = ledger->with_key(o.idem_key);
  check_probes(o, held, cfg, hits);
  return hits;
}

void probe_tracker::submit_outage(const order_state& o, int attempt) {
  auto [it, fresh] = last_outage_attempt_.emplace(o.spec.id, attempt);
  if (!fresh) {
    if (it->second == attempt - 1)
      set(hits_, probe::outage_across_retry);
    it->second = attempt;
  }
}

void probe_tracker::order_done(const order_state& o,
                               const exchange_ledger* ledger) {
  last_outage_attempt_.erase(o.spec.id);
  hits_ |= order_probes(o, ledger, cfg_);
}

} // namespace execsim
