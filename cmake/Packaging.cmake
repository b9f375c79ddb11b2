# Installation of the CMake package and the Debian package (CPack).
include(CMakePackageConfigHelpers)

set(JSORM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/jsorm)
install(EXPORT jsormTargets NAMESPACE jsorm:: DESTINATION ${JSORM_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/jsormConfig.cmake.in
  ${PROJECT_BINARY_DIR}/jsormConfig.cmake INSTALL_DESTINATION ${JSORM_CMAKE_DIR})
# Before 1.0 a minor release may change the ABI, so only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/jsormConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/jsormConfig.cmake
  ${PROJECT_BINARY_DIR}/jsormConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/JsormHelpers.cmake
  ${PROJECT_SOURCE_DIR}/cmake/JsormProvenance.cmake
  DESTINATION ${JSORM_CMAKE_DIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME jsorm)
set(CPACK_PACKAGE_VENDOR "jsorm for C++")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Schema migrations for C++ schema modules, with SQLite and PostgreSQL adapters")
set(CPACK_PACKAGE_CONTACT "jsorm developers <dev@jsorm.invalid>")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Runtime libraries of bookworm; the -dev packages are only needed to build schema modules.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6, libstdc++6, libfmt9, libboost-program-options1.74.0, libtomlplusplus3, libsqlite3-0, libpq5, libmariadb3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libboost-dev, libfmt-dev, cmake, g++")
include(CPack)
