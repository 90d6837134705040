# Fails when a C or C++ file of the repository is not as clang-format (.clang-format) writes it.
#   cmake -DCLANG_FORMAT=<path> -DSOURCE_DIR=<repo> -P cmake/CheckFormat.cmake
set(folders include src tests bench examples apps mock http service capi)
set(files)
foreach(folder IN LISTS folders)
  file(GLOB_RECURSE found "${SOURCE_DIR}/${folder}/*.hpp" "${SOURCE_DIR}/${folder}/*.cpp"
       "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.c")
  list(APPEND files ${found})
endforeach()
list(LENGTH files count)
execute_process(COMMAND "${CLANG_FORMAT}" --dry-run --Werror ${files}
                RESULT_VARIABLE failed ERROR_VARIABLE complaints)
if(failed)
  message(FATAL_ERROR "clang-format would change these files (run clang-format -i):\n${complaints}")
endif()
message(STATUS "clang-format: ${count} files as formatted")
