# OPSGRAPH_SANITIZE=address,undefined instruments every target built in this tree. Set per
# build directory (the dev and asan presets), never for a release.
if(OPSGRAPH_SANITIZE)
  add_compile_options(-fsanitize=${OPSGRAPH_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${OPSGRAPH_SANITIZE})
endif()
