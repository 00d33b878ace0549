#include "libexec/report/order_selection.hpp"

#include "libexec/report/trace_messages.hpp"

#include <fmt/format.h>

#include <set>

namespace execsim::cli {

namespace {

template <class Row, class Keep>
void copy_if(const std::vector<Row>& from, std::vector<Row>& to, Keep keep) {
  for (const auto& r : from)
    if (keep(r))
      to.push_back(r);
}

/// Whether `text` names event `seq`: "seq=<seq>" followed by no digit.
bool names_seq(const std::string& text, std::int64_t seq) {
  auto key = fmt::format("seq={}", seq);
  for (auto at = text.find(key); at != std::string::npos;
       at = text.find(key, at + 1)) {
    auto end = at + key.size();
    if (end == text.size() || text[end] < '0' || text[end] > '9')
      return true;
  }
  return false;
}

bool keep_line(const trace_row& t, const std::set<std::string>& executors,
               const std::vector<std::int64_t>& seqs) {
  auto m = parse_trace_line(t.line);
  if (!m)
    return false;
  if (executors.count(m->from) != 0 || executors.count(m->to) != 0)
    return true;
  for (auto seq : seqs)
    if (names_seq(m->text, seq))
      return true;
  return false;
}

} // namespace

row_batch select_orders(const row_batch& rows,
                        const std::vector<std::string>& ids,
                        std::vector<std::string>& unknown) {
  if (ids.empty())
    return rows;
  std::set<std::string> chosen(ids.begin(), ids.end());
  std::set<std::string> known;
  for (const auto& o : rows.orders)
    known.insert(o.order_id);
  for (const auto& id : chosen)
    if (known.count(id) == 0)
      unknown.push_back(id);
  auto in = [&](const std::string& id) { return chosen.count(id) != 0; };
  auto in_or_none = [&](const std::optional<std::string>& id) {
    return !id || in(*id);
  };
  row_batch out;
  copy_if(rows.orders, out.orders, [&](auto& r) { return in(r.order_id); });
  copy_if(rows.attempts, out.attempts,
          [&](auto& r) { return in(r.order_id); });
  copy_if(rows.checks, out.checks, [&](auto& r) { return in(r.order_id); });
  copy_if(rows.fills, out.fills, [&](auto& r) { return in(r.order_id); });
  copy_if(rows.events, out.events, [&](auto& r) { return in(r.order_id); });
  copy_if(rows.faults, out.faults,
          [&](auto& r) { return in_or_none(r.order_id); });
  copy_if(rows.violations, out.violations,
          [&](auto& r) { return in_or_none(r.order_id); });
  copy_if(rows.arrivals, out.arrivals,
          [&](auto& r) { return in(r.order_id); });
  std::set<std::string> executors;
  for (const auto& id : chosen)
    executors.insert(executor_prefix + id);
  std::vector<std::int64_t> seqs;
  for (const auto& e : out.events)
    seqs.push_back(e.seq);
  copy_if(rows.trace, out.trace,
          [&](auto& t) { return keep_line(t, executors, seqs); });
  return out;
}

} // namespace execsim::cli
