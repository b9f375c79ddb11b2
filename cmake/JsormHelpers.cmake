# Helpers users call to build schema modules and adapter plugins against jsorm.
# Installed with the package; used unchanged inside this build.

# JsormProvenance.cmake lies next to this file, in the source tree and when installed.
set(_JSORM_HELPERS_DIR "${CMAKE_CURRENT_LIST_DIR}")

# Schema modules are compiled at -Og whatever the build type: their code runs once per
# command (building the migration steps), and -O2 costs about twice the compile time of
# -Og for little. -O0 is cheaper still to compile (a 1000-migration module: 7.0 s against
# 8.9 s) but leaves every std::string and std::function call of a source's loop out of
# line: -Og made building a 10,000-migration source about three times faster (measured in
# bench/). Set to "" to compile modules with the build type's flags.
set(JSORM_SCHEMA_MODULE_OPTIMIZATION "-Og" CACHE STRING
    "Optimisation flag for schema modules built by jsorm_add_schema_module (empty: the build type's)")

# jsorm_add_schema_module(NAME SOURCES src... [MIGRATIONS_DIR dir] [OPTIMIZATION flag])
# Builds lib<NAME>.so linked to jsorm::core only, with hidden visibility so the module
# exports nothing but its jsorm entry points. Every .cpp in MIGRATIONS_DIR is compiled in,
# so a generated migration is picked up by the next build without editing CMake files.
# OPTIMIZATION overrides JSORM_SCHEMA_MODULE_OPTIMIZATION for this module.
# The module records how it was built (git revision, UTC time, compiler) in the exported
# text jsorm_module_provenance, which `jsorm inspect` shows.
function(jsorm_add_schema_module name)
  cmake_parse_arguments(ARG "" "MIGRATIONS_DIR;OPTIMIZATION" "SOURCES" ${ARGN})
  set(sources ${ARG_SOURCES})
  if(ARG_MIGRATIONS_DIR)
    get_filename_component(dir "${ARG_MIGRATIONS_DIR}" ABSOLUTE)
    file(GLOB migration_sources CONFIGURE_DEPENDS "${dir}/*.cpp")
    list(SORT migration_sources)
    list(APPEND sources ${migration_sources})
  endif()
  # Regenerated whenever the module's own sources change, so the revision and time are
  # those of the build that compiled them, not of the last configure.
  find_package(Git QUIET)
  set(provenance "${CMAKE_CURRENT_BINARY_DIR}/${name}_jsorm_provenance.cpp")
  add_custom_command(OUTPUT "${provenance}"
    COMMAND "${CMAKE_COMMAND}" "-DOUTPUT=${provenance}" "-DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}"
            "-DGIT_EXECUTABLE=${GIT_EXECUTABLE}"
            "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
            -P "${_JSORM_HELPERS_DIR}/JsormProvenance.cmake"
    DEPENDS ${sources} "${_JSORM_HELPERS_DIR}/JsormProvenance.cmake"
    COMMENT "Recording the build provenance of ${name}"
    VERBATIM)
  add_library(${name} MODULE ${sources} "${provenance}")
  target_link_libraries(${name} PRIVATE jsorm::core)
  set_target_properties(${name} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(DEFINED ARG_OPTIMIZATION)
    set(optimization "${ARG_OPTIMIZATION}")
  else()
    set(optimization "${JSORM_SCHEMA_MODULE_OPTIMIZATION}")
  endif()
  if(optimization)
    # Target options come after CMAKE_CXX_FLAGS_<CONFIG> on the command line, and the last
    # -O flag wins.
    target_compile_options(${name} PRIVATE ${optimization})
  endif()
endfunction()

# jsorm_add_adapter(NAME SOURCES src...)
# Builds libjsorm_adapter_<NAME>.so, the file name the host searches for.
function(jsorm_add_adapter name)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  set(target jsorm_adapter_${name})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE jsorm::core)
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME jsorm_adapter_${name}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
