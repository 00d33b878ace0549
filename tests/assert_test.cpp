// EXECSIM_ASSERT runs in the build the tests run (every build): a child
// process trips an assertion through a deliberately broken input to an
// internal function and must die by SIGABRT with "execsim: assertion
// failed: ..." on stderr.
#include "actors/exchange/exchange_book.hpp"
#include "sim/order_table.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <functional>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace execsim;

namespace {

struct child_death {
  bool by_sigabrt = false;
  std::string err;
};

/// Runs `body` in a forked child with stderr on a pipe; returns how it died.
child_death run_child(const std::function<void()>& body) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::fflush(nullptr);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDERR_FILENO);
    std::signal(SIGABRT, SIG_DFL); // not Catch's handler: die as execsim does
    body();
    _exit(0); // the assertion did not fire
  }
  close(fds[1]);
  child_death d;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0)
    d.err.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  d.by_sigabrt = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  return d;
}

} // namespace

TEST_CASE("assert: filling more than the order's quantity aborts",
          "[assert]") {
  auto d = run_child([] {
    exchange_config cfg;
    exchange_book book(cfg, [](const fill_row&) {});
    exchange_order o;
    o.id = 1;
    o.quantity = 10;
    std::string error;
    book.fill(0, o, 4, *decimal::parse("150.25", error));
    book.fill(0, o, 7, *decimal::parse("150.25", error)); // 11 of 10
  });
  CHECK(d.by_sigabrt);
  CHECK(d.err.rfind("execsim: assertion failed: quantity <= o.quantity - "
                    "o.filled (",
                    0)
        == 0);
  CHECK(d.err.find("exchange_book.cpp:") != std::string::npos);
}

TEST_CASE("assert: a fill of nothing aborts", "[assert]") {
  auto d = run_child([] {
    exchange_config cfg;
    exchange_book book(cfg, [](const fill_row&) {});
    exchange_order o;
    o.id = 1;
    o.quantity = 10;
    std::string error;
    book.fill(0, o, 0, *decimal::parse("150.25", error));
  });
  CHECK(d.by_sigabrt);
  CHECK(d.err.rfind("execsim: assertion failed: quantity > 0 (", 0) == 0);
}

TEST_CASE("assert: releasing an order twice aborts", "[assert]") {
  auto d = run_child([] {
    order_table t;
    order_spec spec;
    spec.id = "o1";
    auto ix = t.add(spec, true);
    t.release(ix);
    t.release(ix);
  });
  CHECK(d.by_sigabrt);
  CHECK(d.err.rfind("execsim: assertion failed: !released_[ix] (", 0) == 0);
}

TEST_CASE("assert: releasing an order with a message in flight aborts",
          "[assert]") {
  auto d = run_child([] {
    order_table t;
    order_spec spec;
    spec.id = "o1";
    auto ix = t.add(spec, false);
    t.at(ix).in_flight = 1;
    t.release(ix);
  });
  CHECK(d.by_sigabrt);
  CHECK(d.err.rfind("execsim: assertion failed: slots_[ix]->in_flight == 0 (",
                    0)
        == 0);
}
