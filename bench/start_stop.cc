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
// When `docker compose version` works, Docker Compose v2 is measured in the
// same rounds as a peer: the same services, dependencies and network in a
// compose file, `up -d` for the start and `down` for the stop and removal
// (bench/compose-install builds and installs it).
//
//   bench_start_stop [IMAGE] [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/json.h"
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

// Docker Compose v2 (the docker CLI plugin), when installed.
bool compose_found() { return std::system("docker compose version >/dev/null 2>&1") == 0; }

// The shape as a compose file (JSON is YAML): the same image, command,
// dependencies and network as the floor's.
std::string compose_file(const Shape& shape, int n, const std::string& image,
                         const std::string& project) {
  dm::Json services = dm::Json::object();
  for (int i = 0; i < n; i++) {
    dm::Json service = dm::Json::object();
    service.set("image", image);
    service.set("command", kCommand);
    std::vector<std::string> deps;
    for (int d : shape.deps(i)) deps.push_back("s" + std::to_string(d));
    if (!deps.empty()) service.set("depends_on", deps);
    services.set(("s" + std::to_string(i)).c_str(), std::move(service));
  }
  dm::Json network = dm::Json::object();
  network.set("name", project);
  dm::Json networks = dm::Json::object();
  networks.set("default", std::move(network));
  dm::Json file = dm::Json::object();
  file.set("name", project);
  file.set("services", std::move(services));
  file.set("networks", std::move(networks));
  std::string path = "/tmp/" + project + ".compose.yaml";
  std::ofstream(path) << file.dump() << "\n";
  return path;
}

double timed_command(const std::string& command) {
  auto t0 = Clock::now();
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0)
    std::fprintf(stderr, "failed: %s\n", command.c_str());
  return seconds_since(t0);
}

// Compose's start (up -d) and stop with removal (down).
std::pair<double, double> compose_run(const Shape& shape, int n, const std::string& image) {
  std::string path = compose_file(shape, n, image, "bench-compose");
  std::string compose = "docker compose -f " + path;
  double start = timed_command(compose + " up -d");
  double stopped = timed_command(compose + " down");
  std::remove(path.c_str());
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
  bool compose = compose_found();
  if (!compose)
    std::printf(
        "Docker Compose v2 not found (docker compose version failed): measured without "
        "it; bench/compose-install builds and installs it\n");
  std::printf("%-9s %3s  %10s %10s %6s %10s %6s  %10s %10s %6s %10s %6s\n", "graph", "n",
              "floor up", "dm up", "ratio", "compose up", "ratio", "floor down", "dm down", "ratio",
              "compose dn", "ratio");
  double worst = 0;
  for (int n : {10, 50}) {
    for (const Shape& shape : shapes()) {
      std::vector<double> fs, fd, ds, dd, cs, cd;
      for (int r = 0; r < rounds; r++) {
        auto f = floor_run(*engine, shape, n, image);
        auto d = drillmaster_run(client, shape, n, image);
        fs.push_back(f.first);
        fd.push_back(f.second);
        ds.push_back(d.first);
        dd.push_back(d.second);
        if (!compose) continue;
        auto c = compose_run(shape, n, image);
        cs.push_back(c.first);
        cd.push_back(c.second);
      }
      double up = median(ds) / median(fs), down = median(dd) / median(fd);
      worst = std::max(worst, up);
      std::printf("%-9s %3d  %9.2fs %9.2fs %5.2fx", shape.name.c_str(), n, median(fs), median(ds),
                  up);
      if (compose)
        std::printf(" %9.2fs %5.2fx", median(cs), median(cs) / median(fs));
      else
        std::printf(" %10s %6s", "-", "-");
      std::printf("  %9.2fs %9.2fs %5.2fx", median(fd), median(dd), down);
      if (compose)
        std::printf(" %9.2fs %5.2fx\n", median(cd), median(cd) / median(fd));
      else
        std::printf(" %10s %6s\n", "-", "-");
      std::fflush(stdout);
    }
  }
  std::printf("worst start ratio: %.2fx (target: at most 1.30x)\n", worst);
  dm_client_free(client);
  return 0;
}
