#include "DumpCommand.h"

#include "store/MessageExport.h"
#include "store/StoreOpener.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

int runDumpCommand(const QStringList &arguments, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write the messages of an smtpeek database as .eml files or one mbox."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("db"), QStringLiteral("The SQLite database to read."),
         QStringLiteral("path")},
        {QStringLiteral("dir"), QStringLiteral("Write one .eml file per message into this folder."),
         QStringLiteral("folder")},
        {QStringLiteral("mbox"),
         QStringLiteral("Write every message into this mbox (mboxrd) file."),
         QStringLiteral("file")},
        {QStringLiteral("query"), QStringLiteral("Only the messages that match this search."),
         QStringLiteral("search")},
    });
    const auto usage = [&err](const QString &message) {
        err << "smtpeek dump: " << message << Qt::endl;
        return 2;
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        return usage(
            QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    const QString db = parser.value(QStringLiteral("db"));
    if (db.isEmpty())
        return usage(QStringLiteral("--db PATH is required"));
    const bool toDir = parser.isSet(QStringLiteral("dir"));
    if (toDir == parser.isSet(QStringLiteral("mbox")))
        return usage(QStringLiteral("give one of --dir DIR and --mbox FILE"));
    const QString query = parser.value(QStringLiteral("query")).trimmed();
    if (const QString problem = MessageQuery::syntaxProblem(query); !problem.isEmpty())
        return usage(QStringLiteral("--query: %1").arg(problem));
    // Opening a missing file would create an empty database.
    if (!QFileInfo(db).isFile()) {
        err << "smtpeek dump: " << db << ": no such database" << Qt::endl;
        return 1;
    }
    StoreOptions options;
    options.path = db;
    QString error;
    const std::unique_ptr<MessageStore> store = openStore(options, &error);
    if (!store) {
        err << "smtpeek dump: " << db << ": " << error << Qt::endl;
        return 1;
    }
    if (toDir && !QDir().mkpath(parser.value(QStringLiteral("dir")))) {
        err << "smtpeek dump: cannot create " << parser.value(QStringLiteral("dir")) << Qt::endl;
        return 1;
    }
    QList<qint64> ids = store->matchingIds(MessageQuery::parse(query), -1);
    std::reverse(ids.begin(), ids.end()); // oldest first, as mail arrived
    const QString target = parser.value(toDir ? QStringLiteral("dir") : QStringLiteral("mbox"));
    const bool written = toDir ? exportToFolder(store.get(), ids, target, &error) >= 0
                               : exportToMbox(store.get(), ids, target, &error);
    if (!written) {
        err << "smtpeek dump: " << error << Qt::endl;
        return 1;
    }
    err << "smtpeek dump: " << ids.size() << " messages written to " << target << Qt::endl;
    return 0;
}
