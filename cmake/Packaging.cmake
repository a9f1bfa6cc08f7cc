# Installation of the service files and the Debian package (cpack -G DEB).
# The binaries' own install() rules live next to them (daemon/, emulator/); this adds the systemd
# units, the tmpfiles.d file, the documentation and example config, and configures CPack.
#
#   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build -j2
#   cd build && cpack -G DEB          # -> bai2aml_<version>_<arch>.deb
include(GNUInstallDirs)

# Where systemd looks for units and tmpfiles.d on this distribution (Debian 12: /lib/systemd/system,
# /usr/lib/tmpfiles.d), from systemd.pc; overridable for other layouts and for staging.
pkg_get_variable(bai2aml_systemd_unit_dir systemd systemdsystemunitdir)
pkg_get_variable(bai2aml_systemd_tmpfiles_dir systemd tmpfilesdir)
if(NOT bai2aml_systemd_unit_dir)
  set(bai2aml_systemd_unit_dir /lib/systemd/system)
endif()
if(NOT bai2aml_systemd_tmpfiles_dir)
  set(bai2aml_systemd_tmpfiles_dir /usr/lib/tmpfiles.d)
endif()
set(BAI2AML_SYSTEMD_UNIT_DIR ${bai2aml_systemd_unit_dir} CACHE PATH "Where to install the systemd units")
set(BAI2AML_TMPFILES_DIR ${bai2aml_systemd_tmpfiles_dir} CACHE PATH "Where to install the tmpfiles.d file")

install(FILES ${PROJECT_SOURCE_DIR}/systemd/bai2aml.service ${PROJECT_SOURCE_DIR}/systemd/bai2aml@.service
  DESTINATION ${BAI2AML_SYSTEMD_UNIT_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/systemd/bai2aml.tmpfiles DESTINATION ${BAI2AML_TMPFILES_DIR} RENAME bai2aml.conf)

set(bai2aml_doc_dir ${CMAKE_INSTALL_DATADIR}/doc/bai2aml)
install(FILES ${PROJECT_SOURCE_DIR}/systemd/README.md DESTINATION ${bai2aml_doc_dir} RENAME README.systemd.md)
foreach(doc README.md config/bai2aml.example.json config/bai2aml.schema.json)
  if(EXISTS ${PROJECT_SOURCE_DIR}/${doc})
    install(FILES ${PROJECT_SOURCE_DIR}/${doc} DESTINATION ${bai2aml_doc_dir})
  endif()
endforeach()

# Maintainer scripts: apply the tmpfiles.d entry, tell systemd about the units, stop the daemons
# on removal. Units are not enabled: the daemon needs a config and credentials first.
set(bai2aml_deb_scripts ${PROJECT_BINARY_DIR}/debian-scripts)
file(WRITE ${bai2aml_deb_scripts}/postinst [=[#!/bin/sh
set -e
if [ "$1" = configure ]; then
  systemd-tmpfiles --create bai2aml.conf >/dev/null 2>&1 || true
  if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
fi
exit 0
]=])
file(WRITE ${bai2aml_deb_scripts}/prerm [=[#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
  systemctl stop bai2aml.service 'bai2aml@*.service' >/dev/null 2>&1 || true
fi
exit 0
]=])
file(WRITE ${bai2aml_deb_scripts}/postrm [=[#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
exit 0
]=])
file(CHMOD ${bai2aml_deb_scripts}/postinst ${bai2aml_deb_scripts}/prerm ${bai2aml_deb_scripts}/postrm
  PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_PACKAGE_NAME bai2aml)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "bai2aml")
set(CPACK_PACKAGE_CONTACT "bai2aml maintainers <bai2aml@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Declarative daemon migrating Azure Batch AI to Azure Machine Learning")
set(CPACK_PACKAGE_DESCRIPTION
  "bai2aml reads an Azure Batch AI (2018-05-01) inventory and reconciles the equivalent Azure Machine Learning (2024-04-01) resources continuously, as a hardened systemd service, with status files, Prometheus metrics and an ARM emulator for tests and demos.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: computed by dpkg-shlibdeps from the shared libraries the packed binaries really load
# (with their minimum versions), plus systemd, which runs the units. Without dpkg-shlibdeps the
# Debian 12 names of those libraries are listed by hand (Boost.System is header-only in 1.74: no
# library to depend on).
find_program(BAI2AML_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(BAI2AML_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "systemd, libcpprest2.10, libspdlog1.10, libfmt9, libsqlite3-0, libsystemd0, libssl3, libstdc++6, libgcc-s1, libc6")
endif()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${bai2aml_deb_scripts}/postinst ${bai2aml_deb_scripts}/prerm ${bai2aml_deb_scripts}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
include(CPack)
