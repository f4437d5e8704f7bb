# Warnings are errors for the project's own targets only; third-party headers come in as SYSTEM
# includes through their imported targets, so their warnings never fail the build.
function(borderlens_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    -Wold-style-cast -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    -Werror)
  if(BORDERLENS_SANITIZE)
    # GCC 12 reports false maybe-uninitialized and null-dereference paths in libstdc++ once the
    # sanitizers instrument it; the sanitizers themselves check those at run time.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized -Wno-null-dereference)
  endif()
endfunction()

# One module, one library target; the include directory is src/ so includes read
# "core/date.h", "store/store.h".
function(borderlens_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(borderlens_${name} STATIC ${ARG_SOURCES})
  add_library(borderlens::${name} ALIAS borderlens_${name})
  target_include_directories(borderlens_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(borderlens_${name} PUBLIC ${ARG_DEPENDS} PRIVATE ${ARG_PRIVATE_DEPENDS})
  borderlens_target_warnings(borderlens_${name})
endfunction()
