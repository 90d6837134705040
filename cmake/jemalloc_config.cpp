// jemalloc's settings for the programs that link it (cmake/OpsgraphAllocator.cmake); jemalloc
// reads this variable at start-up, and MALLOC_CONF in the environment still overrides it.
//
// A background thread hands freed pages back to the system once they have stayed unused for
// three seconds (jemalloc's default is ten): an engine's memory follows its tasks in flight down
// after a burst instead of staying at the peak. Not shorter: under steady load a page handed back
// is soon asked for again, and on a virtual machine each round costs a TLB shootdown and a page
// fault (about 12 µs each where bench/README.md was measured). At one second the SQLite load run
// spent 5-9% more CPU a task; at ten, the memory store's peak grew by 13-19 MiB
// (bench/README.md, "Allocator").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:3000,muzzy_decay_ms:0";
}
