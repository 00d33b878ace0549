// A run's row batches written on a thread of their own, so that the
// simulation (one thread, the test scheduler) and SQLite overlap on two
// cores. The queue is bounded: a simulation that outruns SQLite waits
// (back-pressure), so memory stays at `max_queued` batches whatever the
// run's length. Batches are written in the order handed over, by one
// thread, so the recording is the same as a direct write's; the run's one
// transaction is untouched (the caller begins and finishes it, before the
// first submit and after drain()).
#pragma once

#include "sim/records.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace execsim {

class batch_writer {
public:
  /// Writes one batch; throws on failure (the first failure is kept and
  /// every later batch is dropped: a run missing rows is never committed).
  using write_fn = std::function<void(const row_batch&)>;

  static constexpr std::size_t default_max_queued = 4;

  explicit batch_writer(write_fn write,
                        std::size_t max_queued = default_max_queued);
  ~batch_writer();

  batch_writer(const batch_writer&) = delete;
  batch_writer& operator=(const batch_writer&) = delete;

  /// Queues `rows`; waits while `max_queued` batches are already waiting.
  /// The thread starts with the first batch (a run that records nothing
  /// starts none).
  void submit(row_batch&& rows);

  /// Waits until every batch submitted so far is written. Returns the first
  /// failure's text, or "" when all were written.
  std::string drain();

  /// CPU seconds the writing thread has used so far (for `execsim bench`).
  double thread_cpu_seconds() const;

private:
  void loop();

  write_fn write_;
  std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable wake_writer_;
  std::condition_variable wake_sim_;
  std::deque<row_batch> queue_;
  bool busy_ = false; // the writer holds a batch out of the queue
  bool stopping_ = false;
  std::string error_;
  double cpu_seconds_ = 0;
  std::thread thread_;
};

} // namespace execsim
