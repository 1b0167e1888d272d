# `cmake --build BUILD --target package` makes the Debian package smtpeek_VERSION_ARCH.deb from
# the install rules; dpkg-shlibdeps (dpkg-dev) finds the library packages it depends on.
set(SMTPEEK_PACKAGE_MAINTAINER "The smtpeek developers <smtpeek@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME smtpeek)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The smtpeek developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SMTP capture server for developers, with a desktop inspector")
# Lines of at most 80 characters, as Debian wants them.
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "smtpeek accepts every message an application under development sends over"
    "SMTP, delivers none, and shows each session's raw transcript and each message"
    "decoded, live, in a Qt window. The same binary runs headless for CI, with a"
    "Mailpit-compatible HTTP API.")
set(CPACK_PACKAGE_CONTACT "${SMTPEEK_PACKAGE_MAINTAINER}")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SMTPEEK_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION mail)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/smtpeek/smtpeek)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Qt loads its SQLite driver as a plugin, which dpkg-shlibdeps cannot see.
set(CPACK_DEBIAN_PACKAGE_DEPENDS libqt6sql6-sqlite)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
