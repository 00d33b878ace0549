// The compact storage a run keeps per order (#20: a million orders under
// 300 MiB): text packed in a pool, a hash index of numbers over text kept
// elsewhere, elements in fixed chunks, and each key's first owner. What
// the end-of-run checks rely on: nothing moves, every key is found with its
// own number, and a key's owner is the order that chose it first.
#include <catch2/catch.hpp>

#include "sim/chunked_list.hpp"
#include "sim/key_owners.hpp"
#include "sim/text_pool.hpp"
#include "sim/view_index.hpp"

#include <string>
#include <vector>

using namespace execsim;

TEST_CASE("text_pool: kept text never moves, across blocks and beyond one",
          "[memory]") {
  text_pool pool;
  std::vector<std::string_view> kept;
  // 20,000 texts of 9-13 bytes: several 64 KiB blocks.
  for (int i = 0; i < 20000; ++i)
    kept.push_back(pool.keep("key-" + std::to_string(i * 7919)));
  std::string big(text_pool::block_bytes + 10, 'x');
  auto whole = pool.keep(big);
  for (int i = 0; i < 20000; ++i)
    REQUIRE(kept[static_cast<std::size_t>(i)]
            == "key-" + std::to_string(i * 7919));
  CHECK(whole == big);
  const char* both = pool.keep({"T1:AAPL", "o17"});
  CHECK(std::string_view(both, 10) == "T1:AAPLo17");
}

TEST_CASE("view_index: every key finds its own number, others none",
          "[memory]") {
  std::vector<std::string> texts{""}; // number n's text is texts[n]
  view_index index;
  auto key_of = [&](std::uint32_t n) -> std::string_view { return texts[n]; };
  for (std::uint32_t n = 1; n <= 50000; ++n) {
    texts.push_back("T1:AAPL:" + std::to_string(n) + ":MKT:t+0:v1");
    index.insert(texts.back(), n);
  }
  CHECK(index.size() == 50000);
  for (std::uint32_t n = 1; n <= 50000; ++n)
    REQUIRE(index.find(texts[n], key_of) == n);
  CHECK(index.find("T1:AAPL:0:MKT:t+0:v1", key_of) == 0);
  CHECK(index.find("", key_of) == 0);
  view_index empty;
  CHECK(empty.find("anything", key_of) == 0);
}

TEST_CASE("chunked_list: elements stay put and iterate in order",
          "[memory]") {
  chunked_list<std::uint64_t, 4> list; // tiny chunks: many of them
  std::vector<const std::uint64_t*> where;
  for (std::uint64_t i = 0; i < 1000; ++i)
    where.push_back(&list.push_back(i * i));
  REQUIRE(list.size() == 1000);
  std::uint64_t i = 0;
  for (auto v : list) {
    REQUIRE(v == i * i);
    REQUIRE(where[i] == &list[i]);
    ++i;
  }
  CHECK(i == 1000);
  CHECK(list.back() == 999u * 999u);
}

TEST_CASE("key_owners: a key's owner is the first order that chose it",
          "[memory]") {
  key_owners owners;
  CHECK(owners.claim("T1:AAPL:100:MKT:t+0:v1", "o1") == "o1");
  CHECK(owners.claim("T1:MSFT:5:MKT:t+0:v1", "o2") == "o2");
  // o3 chooses o1's key: o1 stays its owner (a distinct_keys violation).
  CHECK(owners.claim("T1:AAPL:100:MKT:t+0:v1", "o3") == "o1");
  CHECK(owners.size() == 2);
  CHECK(owners.number_of("T1:AAPL:100:MKT:t+0:v1") == 1);
  CHECK(owners.number_of("T1:MSFT:5:MKT:t+0:v1") == 2);
  CHECK(owners.number_of("T1:IBM:1:MKT:t+0:v1") == 0);
  const char* r = owners.record(2);
  CHECK(key_record::key(r) == "T1:MSFT:5:MKT:t+0:v1");
  CHECK(key_record::id(r) == "o2");
  CHECK(key_record::key(key_record::empty).empty());
}
