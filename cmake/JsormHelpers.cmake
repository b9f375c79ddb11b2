# Helpers users call to build schema modules and adapter plugins against jsorm.
# Installed with the package; used unchanged inside this build.

# jsorm_add_schema_module(NAME SOURCES src... [MIGRATIONS_DIR dir])
# Builds lib<NAME>.so linked to jsorm::core only, with hidden visibility so the module
# exports nothing but its jsorm entry points. Every .cpp in MIGRATIONS_DIR is compiled in,
# so a generated migration is picked up by the next build without editing CMake files.
function(jsorm_add_schema_module name)
  cmake_parse_arguments(ARG "" "MIGRATIONS_DIR" "SOURCES" ${ARGN})
  set(sources ${ARG_SOURCES})
  if(ARG_MIGRATIONS_DIR)
    get_filename_component(dir "${ARG_MIGRATIONS_DIR}" ABSOLUTE)
    file(GLOB migration_sources CONFIGURE_DEPENDS "${dir}/*.cpp")
    list(SORT migration_sources)
    list(APPEND sources ${migration_sources})
  endif()
  add_library(${name} MODULE ${sources})
  target_link_libraries(${name} PRIVATE jsorm::core)
  set_target_properties(${name} PROPERTIES
    PREFIX "lib"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
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
