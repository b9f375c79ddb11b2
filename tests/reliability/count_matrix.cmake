# Counts the bad-input matrix: the CLI test cases tagged [bad-input] (each a process run
# asserting one error line, its exit code and an unchanged database). Fails below MIN, so
# deleting or untagging cases cannot shrink the matrix unnoticed.
#   cmake -DTESTS=<jsorm_cli_tests> -DMIN=30 -P count_matrix.cmake
# Catch2 2.x exits with the number of tests listed, so the exit code says nothing here.
execute_process(COMMAND ${TESTS} "[bad-input]" --list-test-names-only OUTPUT_VARIABLE names)
string(REGEX REPLACE "\n+$" "" names "${names}")
string(REPLACE "\n" ";" names "${names}")
list(LENGTH names count)
message(STATUS "bad-input matrix: ${count} cases")
if(count LESS MIN)
  message(FATAL_ERROR "the bad-input matrix has ${count} cases tagged [bad-input]; at least ${MIN} expected")
endif()
