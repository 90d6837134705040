# Warnings for opsgraph's own targets only: consumers' flags are theirs to choose.
function(opsgraph_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  # GCC bug 109224: at -O1 and above g++ 12 flags every Asio coroutine frame as a mismatched
  # new/delete (the frame's operator new and delete do match). Public headers suppress it around
  # their own coroutines; opsgraph's sources and tests have many, so it is off for them.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wno-mismatched-new-delete)
  endif()
  if(OPSGRAPH_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
