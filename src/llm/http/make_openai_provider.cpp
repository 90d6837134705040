// The public factory of <opsgraph/llm/openai.hpp>.

#include <opsgraph/llm/openai.hpp>

#include "llm/http/openai_provider.hpp"

namespace opsgraph::llm {

result<std::shared_ptr<Provider>> make_openai_provider(Executor executor, OpenAIConfig config) {
  try {
    OPSGRAPH_TRY(auto provider,
                 http::OpenAIProvider::create(std::move(executor), std::move(config)));
    return std::shared_ptr<Provider>(std::move(provider));
  } catch (...) {
    return error_from_current_exception("make_openai_provider");
  }
}

}  // namespace opsgraph::llm
