// The recording's writer thread (sim/batch_writer.hpp): batches are written
// in the order handed over, the queue never holds more than its bound (the
// simulation waits instead), the first failure is kept and nothing after it
// is written, and drain() returns only when everything handed over is done.
#include "sim/batch_writer.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using execsim::batch_writer;
using execsim::row_batch;

namespace {

/// A batch that says which one it is: one attempt row named "b<i>".
row_batch numbered(int i) {
  row_batch b;
  b.attempts.push_back({});
  b.attempts.back().order_id = "b" + std::to_string(i);
  return b;
}

} // namespace

TEST_CASE("batch writer: every batch written, in the order handed over",
          "[recording][writer]") {
  std::vector<std::string> written; // only the writer thread appends
  batch_writer w{[&](const row_batch& rows) {
    written.push_back(rows.attempts.at(0).order_id);
  }};
  for (int i = 1; i <= 100; ++i)
    w.submit(numbered(i));
  CHECK(w.drain().empty());
  REQUIRE(written.size() == 100);
  for (int i = 1; i <= 100; ++i)
    CHECK(written[static_cast<std::size_t>(i - 1)] == "b" + std::to_string(i));
}

TEST_CASE("batch writer: a slow SQLite holds the simulation back at the "
          "queue's bound",
          "[recording][writer]") {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<int> started{0};
  batch_writer w{[&](const row_batch&) {
                   ++started;
                   std::unique_lock<std::mutex> lock(mu);
                   cv.wait(lock, [&] { return release; });
                 },
                 2};
  std::atomic<int> submitted{0};
  std::thread sim([&] {
    for (int i = 1; i <= 6; ++i) {
      w.submit(numbered(i));
      ++submitted;
    }
  });
  // The writer holds batch 1; batches 2 and 3 fill the queue; the fourth
  // submit waits. Nothing the simulation hands over beyond that is kept.
  while (started.load() < 1 || submitted.load() < 3)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(submitted.load() == 3);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  sim.join();
  CHECK(w.drain().empty());
  CHECK(started.load() == 6);
}

TEST_CASE("batch writer: the first failure is kept and nothing after it is "
          "written",
          "[recording][writer]") {
  std::vector<std::string> written;
  batch_writer w{[&](const row_batch& rows) {
    const auto& id = rows.attempts.at(0).order_id;
    if (id == "b3")
      throw std::runtime_error("disk I/O error");
    written.push_back(id);
  }};
  for (int i = 1; i <= 10; ++i)
    w.submit(numbered(i));
  CHECK(w.drain() == "disk I/O error");
  CHECK(written == std::vector<std::string>{"b1", "b2"});
  w.submit(numbered(11));
  CHECK(w.drain() == "disk I/O error");
  CHECK(written.size() == 2);
}

TEST_CASE("batch writer: a run that records nothing starts no thread and "
          "drains at once",
          "[recording][writer]") {
  int calls = 0;
  batch_writer w{[&](const row_batch&) { ++calls; }};
  CHECK(w.drain().empty());
  CHECK(w.thread_cpu_seconds() == 0);
  CHECK(calls == 0);
}
