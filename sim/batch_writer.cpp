#include "sim/batch_writer.hpp"

#include "sim/assert.hpp"

#include <ctime>
#include <exception>
#include <utility>

namespace execsim {

namespace {

double this_thread_cpu() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec)
         + static_cast<double>(ts.tv_nsec) * 1e-9;
}

} // namespace

batch_writer::batch_writer(write_fn write, std::size_t max_queued)
  : write_(std::move(write)), max_queued_(max_queued) {
  EXECSIM_ASSERT(write_);
  EXECSIM_ASSERT(max_queued_ >= 1 && max_queued_ <= 64);
}

batch_writer::~batch_writer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_writer_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void batch_writer::submit(row_batch&& rows) {
  std::unique_lock<std::mutex> lock(mu_);
  EXECSIM_ASSERT(!stopping_);
  if (!thread_.joinable())
    thread_ = std::thread([this] { loop(); });
  wake_sim_.wait(lock, [&] { return queue_.size() < max_queued_; });
  if (!error_.empty())
    return; // the run is lost already; nothing more is written
  queue_.push_back(std::move(rows));
  lock.unlock();
  wake_writer_.notify_one();
}

std::string batch_writer::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  wake_sim_.wait(lock, [&] { return queue_.empty() && !busy_; });
  return error_;
}

double batch_writer::thread_cpu_seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cpu_seconds_;
}

void batch_writer::loop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty())
      return; // stopping, and everything handed over is written
    row_batch rows = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    bool failed = !error_.empty();
    lock.unlock();
    wake_sim_.notify_all(); // room in the queue
    std::string why;
    if (!failed) {
      try {
        write_(rows);
      } catch (const std::exception& e) {
        why = e.what();
      }
    }
    auto cpu = this_thread_cpu();
    lock.lock();
    if (!why.empty() && error_.empty())
      error_ = std::move(why);
    busy_ = false;
    cpu_seconds_ = cpu;
    wake_sim_.notify_all(); // drain() may be waiting
  }
}

} // namespace execsim
