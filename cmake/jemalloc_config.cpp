// jemalloc's settings for the programs that link it (cmake/OpsgraphAllocator.cmake); jemalloc
// reads this variable at start-up, and MALLOC_CONF in the environment still overrides it.
//
// A background thread hands freed pages back to the system, and pages stay cached for one second
// rather than ten: an engine's memory follows its tasks in flight down after a burst instead of
// staying at the peak, at no measurable cost in the engine benchmarks (bench/README.md,
// "Allocator").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
