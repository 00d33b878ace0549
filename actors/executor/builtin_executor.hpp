// The built-in executor: the original OrderExecutor's retry rule, to the
// letter of scenario-format.md, plus its final check and STATUS_UNKNOWN.
//
//   attempt n fails (timeout, network error, non-fatal reject), n < max:
//     check at once -> found: success, no resubmit
//                   -> not found / failed / timed out: back off
//                      initial * multiplier^(n-1) (jitter), submit n+1
//   fatal code: the order ends at once
//   would end failed after any attempt timed out, final_check on:
//     one more check -> found: success; not found: failure stands;
//                       no answer: failure STATUS_UNKNOWN
//   a late success for an earlier attempt, before the result: success.
//   honour_retry_after: a backoff lasts at least until the time an
//   answer's retry_after named (counted from the answer's arrival).
#pragma once

#include "actors/executor/executor_api.hpp"

#include <string>

namespace execsim {

class builtin_executor final : public executor_logic {
public:
  explicit builtin_executor(executor_port& port) noexcept : port_(port) {
  }

  void on_execute() override;
  void on_submit_answer(const submit_answer& answer) override;
  void on_check_answer(const check_answer& answer) override;
  void on_timer(std::uint64_t id) override;

  /// The backoff before attempt `failed_attempt + 1`, jitter applied.
  static ns_t backoff(const executor_config& cfg, int failed_attempt,
                      ns_t previous, std::uint64_t random_word) noexcept;

private:
  enum class phase { idle, submitting, checking, backing_off, done };
  /// Why a duplicate check runs: it decides what "not found" means.
  enum class check_purpose { before_retry, final, duplicate_reject };
  enum class timer_kind : std::uint64_t {
    submit_timeout = 1,
    check_timeout = 2,
    backoff = 3
  };

  static std::uint64_t timer_id(timer_kind k, int attempt) noexcept {
    return (static_cast<std::uint64_t>(k) << 32)
           | static_cast<std::uint32_t>(attempt);
  }

  void send_attempt(int n);
  void attempt_failed(std::string code, std::string error);
  void end_failed();
  void start_check(check_purpose purpose);
  void check_unanswered();
  void check_not_found();
  void start_backoff();
  void succeed(std::uint64_t exchange_order,
               const std::optional<decimal>& fill_price);
  void fail(std::string code, std::string error);
  bool is_fatal(const std::string& code) const;
  /// With honour_retry_after: the next submit waits until now + retry_after.
  void note_retry_after(ns_t retry_after);

  executor_port& port_;
  std::string key_;
  phase phase_ = phase::idle;
  check_purpose purpose_ = check_purpose::before_retry;
  int attempt_ = 0;
  bool any_timeout_ = false;
  bool any_failure_ = false;
  std::string last_code_;
  std::string last_error_;
  ns_t last_backoff_ = 0;
  /// No submit before this virtual time (an answer's retry_after).
  ns_t not_before_ = 0;
};

} // namespace execsim
