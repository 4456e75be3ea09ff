// What operations hand back: a dm_result, a dm_report and a dm_event, each
// copied into a plain value that outlives the C object it came from.

#include "core.h"

namespace dm_python {

Result convert_result(const dm_result* res, int status, const std::string& message) {
  Result out;
  out.status = status;
  out.status_name = dm_status_name(status);
  out.message = message;
  out.cancelled = dm_result_cancelled(res) != 0;
  out.failures = dm_result_failures(res);
  size_t n = dm_result_count(res);
  for (size_t i = 0; i < n; ++i) {
    int outcome = dm_result_outcome(res, i);
    out.services.push_back(ServiceResult{
        dm_result_service(res, i), outcome, dm_outcome_name(outcome), dm_result_reason(res, i),
        dm_result_container_id(res, i), dm_result_seconds(res, i)});
  }
  return out;
}

namespace {

std::vector<PublishedPort> convert_published(const dm_report* report, size_t index) {
  std::vector<PublishedPort> out;
  size_t n = dm_report_published_count(report, index);
  for (size_t i = 0; i < n; ++i) {
    const char *container_port = nullptr, *host_ip = nullptr;
    int host_port = 0;
    check(dm_report_published(report, index, i, &container_port, &host_ip, &host_port));
    out.push_back(PublishedPort{container_port, host_ip, host_port});
  }
  return out;
}

}  // namespace

std::vector<ServiceStatus> convert_report(const dm_report* report) {
  std::vector<ServiceStatus> out;
  size_t n = dm_report_count(report);
  for (size_t i = 0; i < n; ++i)
    out.push_back(ServiceStatus{
        dm_report_service(report, i), dm_report_state(report, i), dm_report_status_text(report, i),
        dm_report_health(report, i), dm_report_container_id(report, i),
        dm_report_container_name(report, i), dm_report_image(report, i), dm_report_ports(report, i),
        dm_report_outdated(report, i) != 0, convert_published(report, i)});
  return out;
}

Event convert_event(const dm_event* event) {
  Event ev;
  if (event->service) ev.service = event->service;
  ev.phase = event->phase;
  ev.phase_name = dm_phase_name(event->phase);
  ev.message = event->message ? event->message : "";
  ev.timestamp = event->timestamp;
  return ev;
}

void bind_results(py::module_& m) {
  py::class_<ServiceResult>(m, "ServiceResult", "One service's outcome of an operation.")
      .def_readonly("service", &ServiceResult::service)
      .def_readonly("outcome", &ServiceResult::outcome)
      .def_readonly("outcome_name", &ServiceResult::outcome_name)
      .def_readonly("reason", &ServiceResult::reason)
      .def_readonly("container_id", &ServiceResult::container_id)
      .def_readonly("seconds", &ServiceResult::seconds)
      .def("__repr__", [](const ServiceResult& r) {
        return "<ServiceResult " + r.service + ": " + r.outcome_name + ">";
      });

  py::class_<Result>(m, "Result", "What an operation did, service by service (dm_result).")
      .def_readonly("status", &Result::status)
      .def_readonly("status_name", &Result::status_name)
      .def_readonly("message", &Result::message)
      .def_readonly("cancelled", &Result::cancelled)
      .def_readonly("failures", &Result::failures)
      .def_readonly("services", &Result::services)
      .def("__repr__", [](const Result& r) {
        return "<Result " + r.status_name + ", " + std::to_string(r.services.size()) + " services>";
      });

  py::class_<PublishedPort>(m, "PublishedPort",
                            "A container port published on a host address (dm_report_published).")
      .def_readonly("container_port", &PublishedPort::container_port, "e.g. '5432/tcp'")
      .def_readonly("host_ip", &PublishedPort::host_ip,
                    "The address it is bound on, as the engine reports it: '0.0.0.0', '::'...")
      .def_readonly("host_port", &PublishedPort::host_port)
      .def("__repr__", [](const PublishedPort& p) {
        return "<PublishedPort " + p.host_ip + ":" + std::to_string(p.host_port) + "->" +
               p.container_port + ">";
      });

  py::class_<ServiceStatus>(m, "ServiceStatus", "One service's line of a status report.")
      .def_readonly("service", &ServiceStatus::service)
      .def_readonly("state", &ServiceStatus::state)
      .def_readonly("status_text", &ServiceStatus::status_text)
      .def_readonly("health", &ServiceStatus::health)
      .def_readonly("container_id", &ServiceStatus::container_id)
      .def_readonly("container_name", &ServiceStatus::container_name)
      .def_readonly("image", &ServiceStatus::image)
      .def_readonly("ports", &ServiceStatus::ports)
      .def_readonly("outdated", &ServiceStatus::outdated)
      .def_readonly("published", &ServiceStatus::published,
                    "Each binding of a running container, IPv4 before IPv6 (dm_report_published).")
      .def("__repr__", [](const ServiceStatus& s) {
        return "<ServiceStatus " + s.service + ": " + s.state + ">";
      });

  py::class_<Event>(m, "Event", "A progress event of an operation (dm_event).")
      .def_readonly("service", &Event::service)
      .def_readonly("phase", &Event::phase)
      .def_readonly("phase_name", &Event::phase_name)
      .def_readonly("message", &Event::message)
      .def_readonly("timestamp", &Event::timestamp)
      .def("__repr__", [](const Event& e) {
        return "<Event " + e.service.value_or("(group)") + ": " + e.phase_name + ">";
      });
}

}  // namespace dm_python
