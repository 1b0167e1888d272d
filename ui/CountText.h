#pragma once

#include <QLocale>
#include <QString>

// "1 message", "2,048 messages": the app ships no translations, and tr()'s %n without one
// would print "2 message(s)".
inline QString countText(qint64 n, const char *singular, const char *plural)
{
    return QLocale().toString(n) + u' ' + QString::fromUtf8(n == 1 ? singular : plural);
}
