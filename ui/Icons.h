#pragma once

#include <QIcon>

// The app's icons. Drawn from the bundled PNG or painted, so they look the same with or
// without an icon theme (Xvfb, minimal desktops) and without Qt's SVG plugin.
namespace Icons {
QIcon app();
QIcon attachment();
QIcon warning();
QIcon error();
QIcon start();
QIcon stop();
// The app icon with the unread count in a badge (no badge at 0).
QIcon withUnreadBadge(int unread);
} // namespace Icons
