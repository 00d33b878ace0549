// Zeller's delta debugging (ddmin), complement steps only: the shrinker's
// way of removing faults and orders.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <vector>

namespace execsim {

/// A 1-minimal subset of `items` for which `fails` still holds (given it
/// holds for `items`): removing any one more item makes it pass. At most
/// O(n^2) calls of `fails` for n items.
template <class T>
std::vector<T> ddmin(std::vector<T> items,
                     const std::function<bool(const std::vector<T>&)>& fails) {
  if (items.empty() || fails({}))
    return {};
  std::size_t n = 2;
  while (items.size() >= 2) {
    auto chunk = (items.size() + n - 1) / n;
    bool reduced = false;
    for (std::size_t start = 0; start < items.size(); start += chunk) {
      std::vector<T> rest;
      for (std::size_t i = 0; i < items.size(); ++i)
        if (i < start || i >= start + chunk)
          rest.push_back(items[i]);
      if (fails(rest)) {
        items = std::move(rest);
        n = std::max<std::size_t>(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (reduced)
      continue;
    if (n >= items.size())
      break;
    n = std::min(items.size(), n * 2);
  }
  return items;
}

} // namespace execsim
