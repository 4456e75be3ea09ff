// Benchmark: drillmaster's start and stop of generated service graphs against
// a floor measured in the same run on the same engine.
//
// The floor is what the engine itself costs: the same containers created and
// started by direct Engine API calls, level by level (every service of one
// dependency level at once, the next level when those run), no hooks; and
// stopped and removed the same way in reverse. Times are medians of several
// rounds that alternate floor and drillmaster, so drift in a noisy machine
// hits both. The ratio is what to read, not the seconds.
//
//   bench_start_stop [IMAGE] [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "drillmaster/drillmaster.h"
#include "engine/client.h"

namespace {

using Clock = std::chrono::steady_clock;
const std::vector<std::string> kCommand = {"sh", "-c",
                                           "trap 'exit 0' TERM; sleep 2147483647 & wait"};

struct Shape {
  std::string name;
  // dependencies of service i (indices < i)
  std::function<std::vector<int>(int i)> deps;
};

std::vector<Shape> shapes() {
  return {
      {"chain", [](int i) { return i == 0 ? std::vector<int>{} : std::vector<int>{i - 1}; }},
      {"fan-out", [](int i) { return i == 0 ? std::vector<int>{} : std::vector<int>{0}; }},
      // Layers of five; each service needs two of the layer before.
      {"layered",
       [](int i) {
         int layer = i / 5;
         if (layer == 0) return std::vector<int>{};
         int base = (layer - 1) * 5;
         return std::vector<int>{base + (i % 5), base + ((i + 1) % 5)};
       }},
  };
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void parallel(const std::vector<std::function<void()>>& jobs) {
  std::vector<std::thread> threads;
  for (const auto& job : jobs) threads.emplace_back(job);
  for (auto& t : threads) t.join();
}

// The floor's levels: 0 without dependencies, else one more than the highest
// of its dependencies (which come first: a shape's dependencies have lower
// indices).
std::vector<std::vector<int>> levels_of(const Shape& shape, int n) {
  std::vector<int> level(n, 0);
  for (int i = 0; i < n; i++)
    for (int d : shape.deps(i)) level[i] = std::max(level[i], level[d] + 1);
  std::vector<std::vector<int>> out(*std::max_element(level.begin(), level.end()) + 1);
  for (int i = 0; i < n; i++) out[level[i]].push_back(i);
  return out;
}

// The floor: direct API calls, level by level.
std::pair<double, double> floor_run(dm::engine::Client& engine, const Shape& shape, int n,
                                    const std::string& image) {
  std::string group = "bench-floor";
  auto levels = levels_of(shape, n);
  std::vector<std::string> ids(n);
  auto t0 = Clock::now();
  std::string network = engine.network_create(group, {{"io.drillmaster.bench", "1"}});
  for (const auto& level : levels) {
    std::vector<std::function<void()>> jobs;
    for (int i : level) {
      jobs.push_back([&, i] {
        dm::engine::ContainerSpec spec;
        spec.name = group + "-s" + std::to_string(i);
        spec.body.set("Image", image);
        spec.body.set("Cmd", kCommand);
        spec.labels = {{"io.drillmaster.bench", "1"}};
        // On the group's network under the service's name, as drillmaster does.
        dm::Json host = dm::Json::object();
        host.set("NetworkMode", group);
        spec.body.set("HostConfig", std::move(host));
        dm::Json endpoint = dm::Json::object();
        endpoint.set("Aliases", std::vector<std::string>{"s" + std::to_string(i)});
        dm::Json endpoints = dm::Json::object();
        endpoints.set(group.c_str(), std::move(endpoint));
        dm::Json networking = dm::Json::object();
        networking.set("EndpointsConfig", std::move(endpoints));
        spec.body.set("NetworkingConfig", std::move(networking));
        ids[i] = engine.container_create(spec);
        engine.container_start(ids[i]);
      });
    }
    parallel(jobs);
  }
  double start = seconds_since(t0);
  t0 = Clock::now();
  for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
    std::vector<std::function<void()>> jobs;
    for (int i : *level) {
      jobs.push_back([&, i] {
        engine.container_stop(ids[i], 10);
        engine.container_remove(ids[i], true, false);
      });
    }
    parallel(jobs);
  }
  engine.network_remove(network);
  return {start, seconds_since(t0)};
}

std::pair<double, double> drillmaster_run(dm_client* client, const Shape& shape, int n,
                                          const std::string& image) {
  dm_group* group = nullptr;
  dm_group_new(&group, "bench-dm");
  const char* argv[] = {kCommand[0].c_str(), kCommand[1].c_str(), kCommand[2].c_str()};
  for (int i = 0; i < n; i++) {
    dm_service* s = nullptr;
    dm_group_add_service(&s, group, ("s" + std::to_string(i)).c_str(), image.c_str());
    dm_service_set_cmd(s, argv, 3);
    for (int d : shape.deps(i)) dm_service_add_dependency(s, ("s" + std::to_string(d)).c_str());
  }
  dm_result* result = nullptr;
  auto t0 = Clock::now();
  int rc = dm_group_start(&result, group, client, nullptr);
  double start = seconds_since(t0);
  if (rc != DM_OK) std::fprintf(stderr, "start failed: %s\n", dm_error_last());
  dm_result_free(result);
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  t0 = Clock::now();
  rc = dm_group_stop(&result, group, client, &stop);
  double stopped = seconds_since(t0);
  if (rc != DM_OK) std::fprintf(stderr, "stop failed: %s\n", dm_error_last());
  dm_result_free(result);
  dm_group_free(group);
  return {start, stopped};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::string image = argc > 1 ? argv[1] : "drillmaster-test/busybox:latest";
  int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  auto engine = dm::engine::Client::open({});
  dm_client* client = nullptr;
  if (dm_client_open(&client, nullptr) != DM_OK) {
    std::fprintf(stderr, "%s\n", dm_error_last());
    return 1;
  }
  std::printf("%-9s %3s  %10s %10s %6s  %10s %10s %6s\n", "graph", "n", "floor up", "dm up",
              "ratio", "floor down", "dm down", "ratio");
  double worst = 0;
  for (int n : {10, 50}) {
    for (const Shape& shape : shapes()) {
      std::vector<double> fs, fd, ds, dd;
      for (int r = 0; r < rounds; r++) {
        auto f = floor_run(*engine, shape, n, image);
        auto d = drillmaster_run(client, shape, n, image);
        fs.push_back(f.first);
        fd.push_back(f.second);
        ds.push_back(d.first);
        dd.push_back(d.second);
      }
      double up = median(ds) / median(fs), down = median(dd) / median(fd);
      worst = std::max(worst, up);
      std::printf("%-9s %3d  %9.2fs %9.2fs %5.2fx  %9.2fs %9.2fs %5.2fx\n", shape.name.c_str(), n,
                  median(fs), median(ds), up, median(fd), median(dd), down);
      std::fflush(stdout);
    }
  }
  std::printf("worst start ratio: %.2fx (target: at most 1.30x)\n", worst);
  dm_client_free(client);
  return 0;
}
