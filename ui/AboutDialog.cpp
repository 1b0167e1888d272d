#include "AboutDialog.h"

#include <QMessageBox>
#include <QObject>

void showAboutDialog(QWidget *parent)
{
    QMessageBox::about(
        parent, QObject::tr("About smtpeek"),
        QObject::tr("<h3>smtpeek %1</h3>"
                    "<p>An SMTP capture server for development: it accepts every message, "
                    "delivers none, and shows each session and message as it arrives.</p>"
                    "<p>Copyright © 2026 The smtpeek developers.<br>"
                    "Released under the <a href=\"https://opensource.org/licenses/MIT\">MIT "
                    "License</a>. The notices of the software it uses are in its documentation, "
                    "third-party-notices.md.</p>"
                    "<p>Built with Qt %2, running on Qt %3.</p>")
            .arg(QStringLiteral(SMTPEEK_VERSION), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion())));
}
