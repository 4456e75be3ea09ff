// Benchmark: validating large generated groups (model::validate, which every
// operation runs first), to keep it linear in the number of services.
//
// Shapes: a chain (each service needs the one before), a ring (the chain
// closed into one cycle, which validation must report), a fan-out (every
// service needs the first) and a fan-in (the last service needs all others).
// Each line is the median of ROUNDS runs; the target is well under 0.1 s for
// 10,000 services on the machines of DESIGN.md.
//
//   bench_validate [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "model/service.h"
#include "model/validate.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Shape {
  const char* name;
  // The dependencies of service i of n, by index.
  std::function<std::vector<size_t>(size_t i, size_t n)> dependencies;
};

std::vector<Shape> shapes() {
  return {
      {"chain", [](size_t i,
                   size_t) { return i == 0 ? std::vector<size_t>{} : std::vector<size_t>{i - 1}; }},
      {"ring", [](size_t i, size_t n) { return std::vector<size_t>{(i + n - 1) % n}; }},
      {"fan-out",
       [](size_t i, size_t) { return i == 0 ? std::vector<size_t>{} : std::vector<size_t>{0}; }},
      {"fan-in",
       [](size_t i, size_t n) {
         std::vector<size_t> all;
         if (i == n - 1)
           for (size_t j = 0; j + 1 < n; ++j) all.push_back(j);
         return all;
       }},
  };
}

std::string name_of(size_t i) { return "service-" + std::to_string(i); }

dm::model::GroupDef generate(const Shape& shape, size_t n) {
  dm::model::GroupDef group;
  group.name = "bench";
  group.directory = "/srv/bench";
  group.services.resize(n);
  for (size_t i = 0; i < n; ++i) {
    dm::model::ServiceDef& s = group.services[i];
    s.name = name_of(i);
    s.image = "busybox:latest";
    for (size_t d : shape.dependencies(i, n)) s.dependencies.push_back(name_of(d));
  }
  return group;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::printf("%-8s %8s %12s %9s\n", "shape", "services", "validate s", "problems");
  for (size_t n : {size_t{10000}, size_t{20000}}) {
    for (const Shape& shape : shapes()) {
      dm::model::GroupDef group = generate(shape, n);
      std::vector<double> times;
      size_t problems = 0;
      for (int r = 0; r < rounds; ++r) {
        Clock::time_point began = Clock::now();
        problems = dm::model::validate(group, {}).size();
        times.push_back(std::chrono::duration<double>(Clock::now() - began).count());
      }
      std::sort(times.begin(), times.end());
      std::printf("%-8s %8zu %12.4f %9zu\n", shape.name, n, times[times.size() / 2], problems);
      std::fflush(stdout);
    }
  }
  return 0;
}
