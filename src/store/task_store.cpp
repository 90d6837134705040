#include <opsgraph/store/task_store.hpp>

namespace opsgraph::store {

std::unique_ptr<WorkWatch> TaskStore::watch_work(std::function<void()> /*on_work*/) {
  return nullptr;
}

}  // namespace opsgraph::store
