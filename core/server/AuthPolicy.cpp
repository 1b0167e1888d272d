#include "AuthPolicy.h"

#include <QFile>

bool AuthPolicy::accepts(const SaslExchange::Credentials &credentials) const
{
    if (mode == Mode::Any)
        return true;
    if (mode == Mode::Off)
        return false;
    const auto it = users.constFind(credentials.user);
    if (it == users.cend())
        return false;
    if (!credentials.challenge.isEmpty())
        return SaslExchange::cramMd5Matches(credentials, *it);
    return credentials.password == *it;
}

bool AuthPolicy::loadUsers(const QString &path, QHash<QByteArray, QByteArray> *users,
                           QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the user list %1: %2").arg(path, file.errorString());
        return false;
    }
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QByteArray line = file.readLine().trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0) {
            *error = QStringLiteral("%1:%2: expected user:password").arg(path).arg(lineNumber);
            return false;
        }
        users->insert(line.left(colon), line.mid(colon + 1));
    }
    if (users->isEmpty()) {
        *error = QStringLiteral("the user list %1 has no users").arg(path);
        return false;
    }
    return true;
}
