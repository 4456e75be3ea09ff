#include "orchestrator/plan.h"

#include <deque>

namespace dm::orchestrator {

Plan::Plan(const model::Graph& graph, Direction direction, std::vector<Service> services,
           unsigned cap)
    : graph_(graph), direction_(direction), services_(services.size()), cap_(cap) {
  for (size_t i = 0; i < services_.size(); i++) {
    services_[i].service = services[i];
    if (!services[i].included) services_[i].state = State::Excluded;
  }
}

const std::vector<size_t>& Plan::prerequisites(size_t i) const {
  return direction_ == Direction::Up ? graph_.dependencies(i) : graph_.dependants(i);
}

Plan::Stage Plan::needed_stage(size_t i, Step step) const {
  switch (step) {
    case Step::Image:
      return Stage::Pending;
    case Step::Create:
      return services_[i].service.create_needs_ready ? Stage::Ready : Stage::Created;
    case Step::Prepare:
    case Step::Start:
      return Stage::Ready;
    case Step::Stop:
      return Stage::Stopped;
  }
  return Stage::Ready;
}

bool Plan::satisfies(size_t p, Stage needed) const {
  const Entry& e = services_[p];
  if (needed == Stage::Pending || e.state == State::Excluded) return true;
  if (direction_ == Direction::Down)
    return e.stage == Stage::Stopped || e.state == State::Failed || e.state == State::Done;
  return e.stage >= needed;
}

Plan::Gate Plan::gate(size_t i, Step step) const {
  const Entry& e = services_[i];
  if (e.state == State::Skipped) return {Gate::Kind::Blocked, e.skipped_by};
  if (e.state != State::Active || cancelled_) return {Gate::Kind::Blocked, kCancelled};
  Stage needed = needed_stage(i, step);
  for (size_t p : prerequisites(i)) {
    State s = services_[p].state;
    if (direction_ == Direction::Up && (s == State::Failed || s == State::Skipped))
      return {Gate::Kind::Blocked, p};
    if (!satisfies(p, needed)) return {Gate::Kind::Wait, p};
  }
  return {Gate::Kind::Open, 0};
}

void Plan::begin(size_t i) { services_[i].begun = true; }

void Plan::reach(size_t i, Stage stage) {
  Entry& e = services_[i];
  if (e.stage < stage) e.stage = stage;
}

bool Plan::finish(size_t i) {
  Entry& e = services_[i];
  if (e.state != State::Active) return false;
  e.state = State::Done;
  e.stage = direction_ == Direction::Up ? Stage::Ready : Stage::Stopped;
  return true;
}

std::vector<size_t> Plan::fail(size_t i) {
  services_[i].state = State::Failed;
  std::vector<size_t> skipped;
  if (direction_ == Direction::Down) return skipped;
  std::deque<size_t> reached{i};
  while (!reached.empty()) {
    size_t x = reached.front();
    reached.pop_front();
    for (size_t d : graph_.dependants(x)) {
      Entry& e = services_[d];
      if (e.state != State::Active) continue;
      e.state = State::Skipped;
      e.skipped_by = x;
      skipped.push_back(d);
      reached.push_back(d);
    }
  }
  return skipped;
}

void Plan::cancelled(size_t i) {
  if (services_[i].state == State::Active) services_[i].state = State::Cancelled;
}

std::vector<size_t> Plan::cancel() {
  cancelled_ = true;
  std::vector<size_t> out;
  for (size_t i = 0; i < services_.size(); i++) {
    Entry& e = services_[i];
    if (e.state == State::Active && !e.begun) {
      e.state = State::Cancelled;
      out.push_back(i);
    }
  }
  return out;
}

bool Plan::try_take_slot() {
  if (cap_ != 0 && slots_in_use_ >= cap_) return false;
  slots_in_use_++;
  return true;
}

void Plan::give_slot() {
  if (slots_in_use_ > 0) slots_in_use_--;
}

std::optional<size_t> Plan::skipped_because(size_t i) const {
  if (services_[i].state != State::Skipped) return std::nullopt;
  return services_[i].skipped_by;
}

bool Plan::finished() const {
  for (const Entry& e : services_)
    if (e.state == State::Active) return false;
  return true;
}

}  // namespace dm::orchestrator
