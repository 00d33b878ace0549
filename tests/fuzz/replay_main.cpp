// The fuzz targets without libFuzzer: runs each file given (or each file
// of each directory given, in name order) through LLVMFuzzerTestOneInput
// once. ctest replays tests/fuzz/regressions/<target>/ and the seed corpus
// this way in the normal build, so an input that once crashed stays fixed.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

std::vector<std::filesystem::path> inputs_of(const char* arg) {
  std::vector<std::filesystem::path> out;
  std::filesystem::path p{arg};
  if (!std::filesystem::is_directory(p)) {
    out.push_back(p);
    return out;
  }
  for (const auto& entry : std::filesystem::directory_iterator(p))
    if (entry.is_regular_file())
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::filesystem::exists(argv[i])) {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
    for (const auto& path : inputs_of(argv[i])) {
      std::ifstream in(path, std::ios::binary);
      std::string data{std::istreambuf_iterator<char>(in), {}};
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()),
                             data.size());
      ++count;
    }
  }
  std::printf("%zu inputs ran without a finding\n", count);
  return 0;
}
