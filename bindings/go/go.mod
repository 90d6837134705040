module opsgraph.dev/opsgraph

go 1.19
