#include "libexec/explore/failure_groups.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace execsim {

namespace {

std::string invariant_of(const seed_failure& f) {
  return f.invariant.empty() ? "error" : f.invariant;
}

} // namespace

failure_shape fired_shape(const seed_failure& f) {
  std::set<std::string> kinds;
  for (const auto& fault : f.fired)
    kinds.insert(to_string(fault.kind));
  return {invariant_of(f), {kinds.begin(), kinds.end()}};
}

failure_shape minimal_shape(const seed_failure& f,
                            const std::vector<fault_spec>& minimal_faults) {
  failure_shape shape{invariant_of(f), {}};
  for (const auto& fault : minimal_faults)
    shape.kinds.push_back(to_string(fault.kind));
  std::sort(shape.kinds.begin(), shape.kinds.end());
  return shape;
}

std::string signature_of(const failure_shape& shape) {
  std::string list;
  for (const auto& k : shape.kinds)
    list += (list.empty() ? "" : "+") + k;
  return shape.invariant + " [" + (list.empty() ? "no faults" : list) + "]";
}

std::vector<failure_group>
group_failures(const std::vector<failure_shape>& shapes) {
  std::vector<failure_group> groups;
  std::map<std::string, std::size_t> index; // signature -> groups[i]
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    auto signature = signature_of(shapes[i]);
    auto [it, fresh] = index.emplace(signature, groups.size());
    if (fresh) {
      failure_group g;
      g.signature = signature;
      g.invariant = shapes[i].invariant;
      g.kinds = shapes[i].kinds;
      g.first = i;
      groups.push_back(std::move(g));
    }
    ++groups[it->second].count;
  }
  return groups;
}

} // namespace execsim
