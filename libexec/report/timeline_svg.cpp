#include "libexec/report/timeline_svg.hpp"

#include "libexec/report/html_escape.hpp"
#include "libexec/report/row_text.hpp"
#include "libexec/report/trace_messages.hpp"
#include "sim/virtual_time.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

namespace execsim::cli {

namespace {

constexpr int axis_height = 34;
constexpr int lane_height = 46;

/// The lanes top to bottom: the driver, one executor per order (in the
/// orders' recorded order), then the fixed actors, then any other actor
/// the trace names, by name.
class lanes {
public:
  lanes(const row_batch& rows, const std::vector<trace_message>& messages) {
    std::vector<std::string> seen;
    for (const auto& m : messages)
      seen.insert(seen.end(), {m.from, m.to});
    auto used = [&](const std::string& name) {
      return std::find(seen.begin(), seen.end(), name) != seen.end();
    };
    if (used("driver"))
      add("driver");
    for (const auto& o : rows.orders)
      add(executor_prefix + o.order_id);
    for (const auto& name : {"network", "exchange", "bus", "tracker",
                             "recorder"})
      if (used(name) || std::string(name) == "exchange"
          || std::string(name) == "bus")
        add(name);
    std::sort(seen.begin(), seen.end());
    for (const auto& name : seen)
      if (!name.empty())
        add(name);
  }

  int y(const std::string& name) const {
    auto it = index_.find(name);
    auto i = it == index_.end() ? 0 : it->second;
    return axis_height + lane_height * i + lane_height / 2;
  }

  int height() const {
    return axis_height + lane_height * static_cast<int>(names_.size()) + 8;
  }

  std::string svg() const {
    std::string out;
    for (const auto& name : names_)
      out += fmt::format("<g class=\"lane\" data-lane=\"{0}\"><line "
                         "class=\"lane-line\" x1=\"0\" y1=\"{1}\" x2=\"0\" "
                         "y2=\"{1}\"/><text class=\"lane-name\" x=\"6\" "
                         "y=\"{2}\">{0}</text></g>\n",
                         html_escape(name), y(name), y(name) + 4);
    return out;
  }

private:
  void add(const std::string& name) {
    if (index_.count(name) != 0)
      return;
    index_.emplace(name, static_cast<int>(names_.size()));
    names_.push_back(name);
  }

  std::vector<std::string> names_;
  std::map<std::string, int> index_;
};

std::string title(const std::string& text) {
  return "<title>" + html_escape(text) + "</title>";
}

/// A mark at one instant: a group the script moves to its time.
std::string point(const std::string& kind, const std::string& attrs, ns_t at,
                  const std::string& shape, const std::string& row) {
  return fmt::format("<g class=\"mark {0}\" data-kind=\"{0}\"{1} "
                     "data-t0=\"{2}\">{3}{4}</g>\n",
                     kind, attrs, at, shape, title(row));
}

std::string bar(const std::string& what, ns_t from, ns_t to, int y,
                const std::string& row) {
  return fmt::format("<rect class=\"bar {0}\" data-kind=\"bar\" "
                     "data-bar=\"{0}\" data-t0=\"{1}\" data-t1=\"{2}\" "
                     "x=\"0\" width=\"0\" y=\"{3}\" height=\"8\">{4}</rect>\n",
                     what, from, std::max(from, to), y, title(row));
}

std::string arrows_svg(const row_batch& rows, const lanes& l,
                       const std::vector<trace_message>& messages,
                       std::size_t shown, const std::string& head) {
  std::string out;
  answer_send_times answers;
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& t = rows.trace[i];
    const auto& m = messages[i];
    auto [sent, text] = labelled(m, t.at_ns, rows);
    // An answer leaves the exchange when its request arrived there.
    answers.note(m, t.at_ns);
    if (auto left = answers.sent(m))
      sent = *left;
    auto row = fmt::format("{} -> {}: {} (sent {}, arrived {})\n{}", m.from,
                           m.to, text, format_duration(sent),
                           format_duration(t.at_ns), row_text(t));
    bool self = m.from == m.to;
    out += fmt::format("<line class=\"arrow{}\" data-kind=\"arrow\" "
                       "data-t0=\"{}\" data-t1=\"{}\" x1=\"0\" y1=\"{}\" "
                       "x2=\"0\" y2=\"{}\" marker-end=\"url(#{})\">{}"
                       "</line>\n",
                       self ? " self" : "", sent, t.at_ns,
                       l.y(m.from) - (self ? 18 : 0),
                       l.y(m.to) - (self ? 4 : 0), head, title(row));
  }
  return out;
}

std::string fault_svg(const fault_row& f, const lanes& l) {
  auto m = fault_mark(f);
  auto attrs = fmt::format(" data-fault=\"{}\"", html_escape(f.kind));
  if (m.lost) {
    auto y0 = l.y(m.from);
    auto ym = (y0 + l.y(m.to)) / 2;
    auto shape = fmt::format(
      "<line x1=\"0\" y1=\"{0}\" x2=\"12\" y2=\"{1}\"/><path "
      "class=\"cross\" d=\"M7,{2} l10,10 M7,{3} l10,-10\"/><text x=\"20\" "
      "y=\"{4}\">{5}</text>",
      y0, ym, ym - 5, ym + 5, ym + 4, html_escape(f.kind));
    return point("lost", attrs, f.at_ns, shape, m.text + "\n" + row_text(f));
  }
  auto y = l.y(m.from);
  auto shape = fmt::format("<path d=\"M0,{} l6,7 l-6,7 l-6,-7 z\"/><text "
                           "x=\"8\" y=\"{}\">{}</text>",
                           y - 21, y - 10, html_escape(f.kind));
  return point("fault", attrs, f.at_ns, shape, m.text + "\n" + row_text(f));
}

/// When the executor stopped waiting for a request: its answer, its
/// timeout, or the order's end (an abandoned attempt; a timeout after it).
ns_t request_end(ns_t sent, bool timed_out, std::optional<ns_t> answered,
                 std::optional<ns_t> timed_out_at, ns_t timeout,
                 std::optional<ns_t> finished) {
  if (!timed_out)
    return answered.value_or(sent);
  auto end = timed_out_at ? *timed_out_at : sent + timeout;
  return finished ? std::min(end, std::max(sent, *finished)) : end;
}

struct order_bars {
  std::map<int, ns_t> attempt_end;
  std::map<int, ns_t> check_end;
};

std::string bars_svg(const row_batch& rows,
                     const std::optional<report_timeouts>& timeouts,
                     const lanes& l) {
  std::map<std::string, std::optional<ns_t>> finished;
  for (const auto& o : rows.orders)
    finished[o.order_id] = o.finished_at_ns;
  std::map<std::string, order_bars> ends;
  std::string out;
  for (const auto& a : rows.attempts) {
    auto fin = finished[a.order_id];
    auto end = a.abandoned.value_or(false) && fin
                 ? *fin
                 : request_end(a.sent_at_ns, a.outcome == "timeout",
                               a.answered_at_ns, a.timed_out_at_ns,
                               timeouts ? timeouts->submit : 0, fin);
    ends[a.order_id].attempt_end[a.attempt] = end;
    out += bar("attempt", a.sent_at_ns, end,
               l.y(executor_prefix + a.order_id) - 12, row_text(a));
  }
  for (const auto& c : rows.checks) {
    auto end = request_end(c.sent_at_ns, c.outcome == "timeout",
                           c.answered_at_ns, std::nullopt,
                           timeouts ? timeouts->check : 0,
                           finished[c.order_id]);
    ends[c.order_id].check_end[c.after_attempt] = end;
    out += bar("check", c.sent_at_ns, end,
               l.y(executor_prefix + c.order_id) + 4, row_text(c));
  }
  // The wait before attempt k: from the end of attempt k - 1 (or of its
  // check) to attempt k's send.
  for (const auto& a : rows.attempts) {
    if (a.attempt <= 1)
      continue;
    const auto& e = ends[a.order_id];
    ns_t from = a.sent_at_ns;
    if (auto it = e.attempt_end.find(a.attempt - 1); it != e.attempt_end.end())
      from = it->second;
    if (auto it = e.check_end.find(a.attempt - 1); it != e.check_end.end())
      from = std::max(from, it->second);
    out += bar("backoff", std::min(from, a.sent_at_ns), a.sent_at_ns,
               l.y(executor_prefix + a.order_id) - 4,
               fmt::format("backoff before attempt {} of {}: {} to {}",
                           a.attempt, a.order_id, format_duration(from),
                           format_duration(a.sent_at_ns)));
  }
  return out;
}

std::string outcome_marks(const row_batch& rows, const lanes& l) {
  std::string out;
  for (const auto& f : rows.fills) {
    auto y = l.y("exchange");
    out += point("fill", "", f.filled_at_ns,
                 fmt::format("<circle cx=\"0\" cy=\"{}\" r=\"5\"/>", y),
                 fmt::format("fill {} @ {} ({}) for {}\n", f.quantity,
                             f.price, f.exchange_order_id, f.order_id)
                   + row_text(f));
  }
  for (const auto& e : rows.events)
    out += point("event", "", e.at_ns,
                 fmt::format("<rect x=\"-4\" y=\"{}\" width=\"8\" "
                             "height=\"8\"/>",
                             l.y("bus") - 4),
                 "event " + e.channel + "\n" + row_text(e));
  for (const auto& o : rows.orders) {
    if (!o.finished_at_ns)
      continue;
    auto ok = o.success.value_or(false);
    out += point("result", ok ? " data-success=\"1\"" : " data-success=\"0\"",
                 *o.finished_at_ns,
                 fmt::format("<path class=\"{}\" d=\"M0,{} l7,-7 l-7,-7 "
                             "l-7,7 z\"/>",
                             ok ? "ok" : "failed",
                             l.y(executor_prefix + o.order_id) + 22),
                 "result of " + o.order_id + "\n" + row_text(o));
  }
  return out;
}

} // namespace

std::string timeline_svg(const row_batch& rows,
                         const std::optional<report_timeouts>& timeouts,
                         const std::string& id, std::size_t arrows_max) {
  auto shown = std::min(rows.trace.size(), arrows_max);
  std::vector<trace_message> messages;
  std::vector<trace_message> all_named; // for the lanes
  for (std::size_t i = 0; i < shown; ++i) {
    auto m = parse_trace_line(rows.trace[i].line);
    // A line that is not a message: drawn on the driver's lane.
    messages.push_back(m ? *m : trace_message{"driver", "driver",
                                              rows.trace[i].line});
  }
  all_named = messages;
  for (const auto& f : rows.faults)
    all_named.push_back(fault_mark(f));
  lanes l{rows, all_named};
  auto omitted = rows.trace.size() - shown;
  std::string out = fmt::format(
    "<svg class=\"timeline\" id=\"{0}\" xmlns=\"http://www.w3.org/2000/svg\" "
    "width=\"1200\" height=\"{1}\" data-arrows-omitted=\"{2}\">\n"
    "<defs><marker id=\"{0}-head\" viewBox=\"0 0 10 10\" refX=\"10\" "
    "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
    "orient=\"auto-start-reverse\"><path class=\"head\" d=\"M0,0 L10,5 "
    "L0,10 z\"/></marker><clipPath id=\"{0}-clip\"><rect class=\"clip\" "
    "x=\"0\" y=\"0\" "
    "width=\"0\" height=\"{1}\"/></clipPath></defs>\n"
    "<g class=\"axis\"></g>\n{3}<g class=\"marks\" "
    "clip-path=\"url(#{0}-clip)\">\n",
    id, l.height(), omitted, l.svg());
  out += bars_svg(rows, timeouts, l);
  out += arrows_svg(rows, l, messages, shown, id + "-head");
  for (const auto& f : rows.faults)
    out += fault_svg(f, l);
  out += outcome_marks(rows, l);
  out += "</g>\n";
  if (omitted > 0)
    out += fmt::format("<text class=\"omitted\" x=\"6\" y=\"14\">{} more "
                       "messages not drawn</text>\n",
                       omitted);
  return out + "</svg>\n";
}

} // namespace execsim::cli
