#include "actors/executor/executor_api.hpp"

#include "actors/executor/builtin_executor.hpp"
#include "actors/process/asyncio_executor.hpp"
#include "actors/process/process_executor.hpp"

#include <map>
#include <mutex>

namespace execsim {

namespace {

struct registry {
  std::mutex mtx;
  std::map<std::string, executor_factory> factories;

  registry() {
    factories.emplace("builtin", [](executor_port& port) {
      return std::make_unique<builtin_executor>(port);
    });
    factories.emplace("process", [](executor_port& port) {
      return std::make_unique<process_executor>(port);
    });
    factories.emplace("asyncio", [](executor_port& port) {
      return std::make_unique<asyncio_executor>(port);
    });
  }
};

registry& the_registry() {
  static registry r;
  return r;
}

} // namespace

bool register_executor(const std::string& name, executor_factory factory) {
  auto& r = the_registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  return r.factories.emplace(name, std::move(factory)).second;
}

const executor_factory* find_executor(const std::string& name) {
  auto& r = the_registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  // "asyncio:module:callable" (--executor) names the asyncio executor.
  auto i = r.factories.find(is_asyncio_kind(name) ? "asyncio" : name);
  // std::map nodes are stable: the pointer outlives the lock.
  return i == r.factories.end() ? nullptr : &i->second;
}

std::vector<std::string> executor_names() {
  auto& r = the_registry();
  std::lock_guard<std::mutex> guard{r.mtx};
  std::vector<std::string> names;
  for (const auto& kv : r.factories)
    names.push_back(kv.first);
  return names;
}

} // namespace execsim
