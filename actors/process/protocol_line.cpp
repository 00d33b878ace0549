#include "actors/process/protocol_line.hpp"

#include "actors/executor/port_rules.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>
#include <limits>

namespace execsim {

namespace {

using nlohmann::json;

/// Length of the valid UTF-8 sequence at `p` (1..4), 0 when it is not one
/// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(const unsigned char* p, std::size_t n) noexcept {
  auto c = p[0];
  if (c < 0x80)
    return 1;
  std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || len > n)
    return 0;
  for (std::size_t i = 1; i < len; ++i)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)
      || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
    return 0;
  return len;
}

/// Offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view text) noexcept {
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    auto len = utf8_sequence(p + i, text.size() - i);
    if (len == 0)
      return i;
    i += len;
  }
  return std::string_view::npos;
}

/// Whether arrays and objects nest deeper than `max` (strings skipped): a
/// deep line would otherwise exhaust the stack when parsed or printed.
bool nests_deeper(std::string_view text, int max) noexcept {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max)
        return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

std::string got(const json& v) {
  auto text = v.dump();
  return text.size() > 60 ? text.substr(0, 60) + "..." : text;
}

/// Reads the fields of one line's object; the first problem wins.
class fields {
public:
  fields(const json& j, std::string& error) : j_(j), error_(error) {
  }

  /// A string; absent or null is "" unless `required`.
  bool text(const char* key, std::string& out, bool required) {
    auto i = j_.find(key);
    if (i == j_.end() || i->is_null()) {
      if (!required)
        return true;
      return fail(i == j_.end() ? fmt::format("\"{}\" is missing", key)
                                : fmt::format("\"{}\" is null (expected a "
                                              "string)",
                                              key));
    }
    if (!i->is_string())
      return fail(fmt::format("\"{}\" must be a string{} (got {})", key,
                              required ? "" : " or null", got(*i)));
    out = i->get<std::string>();
    if (required && out.empty())
      return fail(fmt::format("\"{}\" is empty", key));
    return true;
  }

  /// A required integer in lo..hi.
  bool integer(const char* key, std::int64_t lo, std::int64_t hi,
               std::int64_t& out) {
    const json* v = required(key, "an integer");
    if (v == nullptr)
      return false;
    if (!v->is_number_integer())
      return fail(fmt::format("\"{}\" must be an integer (got {})", key,
                              got(*v)));
    bool fits = v->is_number_unsigned()
                  ? v->get<std::uint64_t>() <= static_cast<std::uint64_t>(hi)
                      && (lo <= 0
                          || v->get<std::uint64_t>()
                               >= static_cast<std::uint64_t>(lo))
                  : v->get<std::int64_t>() >= lo
                      && v->get<std::int64_t>() <= hi;
    if (!fits)
      return fail(fmt::format("\"{}\" must be {}..{} (got {})", key, lo, hi,
                              got(*v)));
    out = v->get<std::int64_t>();
    return true;
  }

  bool unsigned64(const char* key, std::uint64_t& out) {
    const json* v = required(key, "an integer");
    if (v == nullptr)
      return false;
    if (!v->is_number_unsigned())
      return fail(fmt::format("\"{}\" must be an integer 0..{} (got {})", key,
                              std::numeric_limits<std::uint64_t>::max(),
                              got(*v)));
    out = v->get<std::uint64_t>();
    return true;
  }

  bool boolean(const char* key, bool& out) {
    const json* v = required(key, "true or false");
    if (v == nullptr)
      return false;
    if (!v->is_boolean())
      return fail(fmt::format("\"{}\" must be true or false (got {})", key,
                              got(*v)));
    out = v->get<bool>();
    return true;
  }

  /// "X-<n>" (n >= 1) is n; absent, null and "" are 0 (none).
  bool exchange_order(const char* key, std::uint64_t& out) {
    std::string t;
    if (!text(key, t, false))
      return false;
    if (t.empty())
      return true;
    auto* last = t.data() + t.size();
    auto r = t.rfind("X-", 0) == 0
               ? std::from_chars(t.data() + 2, last, out)
               : std::from_chars_result{t.data(), std::errc::invalid_argument};
    if (r.ec != std::errc{} || r.ptr != last || out == 0 || t.size() == 2
        || t[2] == '+')
      return fail(fmt::format("\"{}\" must be \"X-<n>\" with n >= 1, \"\" or "
                              "null (got {})",
                              key, got(json(t))));
    return true;
  }

  /// A decimal string; absent, null and "" are none.
  bool price(const char* key, std::optional<decimal>& out) {
    auto i = j_.find(key);
    if (i == j_.end() || i->is_null()
        || (i->is_string() && i->get_ref<const std::string&>().empty()))
      return true;
    if (!i->is_string())
      return fail(fmt::format("\"{}\" must be a decimal string like "
                              "\"150.25\" or null (got {})",
                              key, got(*i)));
    std::string perr;
    out = decimal::parse(i->get_ref<const std::string&>(), perr);
    if (!out)
      return fail(fmt::format("\"{}\" is not a decimal ({}; got {})", key,
                              perr, got(*i)));
    return true;
  }

  const json& raw() const noexcept {
    return j_;
  }

  bool fail(std::string why) {
    error_ = std::move(why);
    return false;
  }

private:
  const json* required(const char* key, const char* expected) {
    auto i = j_.find(key);
    if (i == j_.end()) {
      fail(fmt::format("\"{}\" is missing", key));
      return nullptr;
    }
    if (i->is_null()) {
      fail(fmt::format("\"{}\" is null (expected {})", key, expected));
      return nullptr;
    }
    return &*i;
  }

  const json& j_;
  std::string& error_;
};

/// `lowest` is 0 for a check's after_attempt (a poll may come before the
/// first submit; the port's rules refuse 0 for any other check).
bool attempt_field(fields& f, const char* key, port_action& a,
                   std::int64_t lowest = 1) {
  std::int64_t v = 0;
  if (!f.integer(key, lowest, port_attempt_max, v))
    return false;
  a.attempt = static_cast<int>(v);
  return true;
}

bool read_submit_or_check(fields& f, port_action& a) {
  bool submit = a.what == port_action::kind::submit;
  if (!attempt_field(f, submit ? "attempt" : "after_attempt", a, submit ? 1 : 0)
      || !f.text("idem_key", a.idem_key, true))
    return false;
  if (a.what != port_action::kind::check)
    return true;
  auto p = f.raw().find("poll");
  if (p == f.raw().end() || p->is_null())
    return true;
  return f.boolean("poll", a.poll);
}

bool read_timer(fields& f, port_action& a) {
  std::int64_t after = 0;
  if (!f.unsigned64("id", a.timer_id)
      || !f.integer("after_ns", 0, port_timer_ns_max, after))
    return false;
  a.after_ns = after;
  return true;
}

bool read_publish(fields& f, port_action& a) {
  std::string name;
  if (!f.text("channel", name, true))
    return false;
  bool known = false;
  for (auto c : {event_channel::execution_started, event_channel::executed,
                 event_channel::recovered, event_channel::execution_failed})
    if (name == to_string(c)) {
      a.channel = c;
      known = true;
    }
  if (!known)
    return f.fail(fmt::format("\"channel\" must be order.execution_started, "
                              "order.executed, order.recovered or "
                              "order.execution_failed (got {})",
                              got(json(name))));
  auto p = f.raw().find("payload");
  a.payload_json = p == f.raw().end() ? std::string{"{}"} : p->dump();
  return true;
}

bool read_result(fields& f, port_action& a) {
  auto& r = a.result;
  std::int64_t retries = 0;
  if (!f.boolean("success", r.success)
      || !f.integer("retry_count", 0, port_attempt_max, retries)
      || !f.exchange_order("exchange_order_id", r.exchange_order)
      || !f.price("fill_price", r.fill_price)
      || !f.text("error", r.error, false)
      || !f.text("error_code", r.error_code, false))
    return false;
  r.retry_count = static_cast<int>(retries);
  return true;
}

std::optional<port_action::kind> action_kind(const std::string& type) {
  using k = port_action::kind;
  for (auto x : {k::submit, k::check, k::set_timer, k::cancel_timer,
                 k::timed_out, k::check_timed_out, k::publish, k::finish})
    if (type == protocol_name(x))
      return x;
  return std::nullopt;
}

bool read_action(fields& f, port_action& a) {
  switch (a.what) {
    case port_action::kind::submit:
    case port_action::kind::check:
      return read_submit_or_check(f, a);
    case port_action::kind::set_timer:
      return read_timer(f, a);
    case port_action::kind::cancel_timer:
      return f.unsigned64("id", a.timer_id);
    case port_action::kind::timed_out:
      return attempt_field(f, "attempt", a);
    case port_action::kind::check_timed_out:
      return attempt_field(f, "after_attempt", a, 0);
    case port_action::kind::publish:
      return read_publish(f, a);
    case port_action::kind::finish:
      return read_result(f, a);
  }
  return false;
}

/// The line as a JSON object, or nullopt with `error` set.
std::optional<json> json_object(std::string_view text, std::string& error) {
  if (auto bad = invalid_utf8_at(text); bad != std::string_view::npos) {
    error = fmt::format("it is not valid UTF-8 (byte {:#04x} at offset {})",
                        static_cast<unsigned char>(text[bad]), bad);
    return std::nullopt;
  }
  if (nests_deeper(text, protocol_depth_max)) {
    error = fmt::format("it nests arrays and objects deeper than {} levels",
                        protocol_depth_max);
    return std::nullopt;
  }
  try {
    auto j = json::parse(text);
    if (j.is_object())
      return j;
    error = "it is not a JSON object";
  } catch (const json::parse_error& e) {
    error = fmt::format("it is not JSON (syntax error at byte {})", e.byte);
  } catch (const json::exception&) {
    // out_of_range.406: a number like 1e600 overflows a double.
    error = "it is not JSON (a number too large for a double)";
  }
  return std::nullopt;
}

} // namespace

std::optional<protocol_line> parse_protocol_line(std::string_view text,
                                                 std::string& error) {
  protocol_line out;
  if (text.find_first_not_of(" \t\r") == std::string_view::npos)
    return out; // blank
  // The line ending every answer, as harnesses spell it: what the general
  // path below makes of it, without parsing a JSON document (a quarter of
  // all lines).
  if (text == R"({"type":"ready"})") {
    out.type = "ready";
    out.what = protocol_line::kind::ready;
    return out;
  }
  auto j = json_object(text, error);
  if (!j)
    return std::nullopt;
  fields f(*j, error);
  auto t = j->find("type");
  if (t == j->end() || !t->is_string()) {
    error = "it has no \"type\" string";
    return std::nullopt;
  }
  out.type = t->get<std::string>();
  if (out.type == "ready") {
    out.what = protocol_line::kind::ready;
    return out;
  }
  auto k = action_kind(out.type);
  if (!k) {
    error = fmt::format("unknown type {} (expected submit, check, set_timer, "
                        "cancel_timer, timed_out, check_timed_out, publish, "
                        "result or ready)",
                        got(*t));
    return std::nullopt;
  }
  out.what = protocol_line::kind::action;
  out.action.what = *k;
  if (!f.text("order_id", out.order_id, true) || !read_action(f, out.action)) {
    error = out.type + ": " + error;
    return std::nullopt;
  }
  return out;
}

std::string printable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    auto len = utf8_sequence(p + i, text.size() - i);
    bool control = len == 1 && (p[i] < 0x20 || p[i] == 0x7F) && p[i] != '\t';
    if (len == 0 || control) {
      out += fmt::format("\\x{:02X}", p[i]);
      ++i;
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string shown_line(std::string_view text) {
  constexpr std::size_t shown_max = 200;
  if (text.size() <= shown_max)
    return printable_text(text);
  auto cut = shown_max;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return fmt::format("{}... ({} bytes)", printable_text(text.substr(0, cut)),
                     text.size());
}

} // namespace execsim
