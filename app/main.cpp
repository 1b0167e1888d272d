#include "ConfigFile.h"
#include "HeadlessRunner.h"
#include "Options.h"
#include "SignalWatcher.h"

#include "DesktopApp.h"
#include "cli/DumpCommand.h"
#include "cli/IngestCommand.h"
#include "cli/McpCommand.h"
#include "cli/SendmailCommand.h"
#include "cli/WaitCommand.h"
#include "mime/InspectReport.h"
#include "mime/MimeRuntime.h"
#include "store/StoreOpener.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QProcessEnvironment>
#include <QSysInfo>
#include <QTextStream>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {
int fail(const QString &message, int exitCode)
{
    QTextStream(stderr) << "smtpeek: " << message << Qt::endl;
    return exitCode;
}

int runHeadless(const AppOptions &options)
{
    QString error;
    std::unique_ptr<MessageStore> store = openStore(storeOptions(options), &error);
    if (!store)
        return fail(error, 1);
    HeadlessRunner runner(options, store.get());
    // Watch for signals before listening: a supervisor may stop us as soon as we listen.
    SignalWatcher signals_;
    QObject::connect(&signals_, &SignalWatcher::terminationRequested, &runner,
                     &HeadlessRunner::stop);
    if (!runner.start(&error))
        return fail(error, 1);
    return QCoreApplication::exec();
}

// `smtpeek COMMAND ...`: the tools for test suites and scripts, each with its own options.
std::optional<int> runSubcommand(int argc, char *argv[])
{
    using Command = int (*)(const QStringList &, QTextStream &, QTextStream &);
    static const QHash<QString, Command> commands = {
        {QStringLiteral("wait"), runWaitCommand},
        {QStringLiteral("dump"), runDumpCommand},
        {QStringLiteral("ingest"),
         [](const QStringList &arguments, QTextStream &, QTextStream &err) {
             return runIngestCommand(arguments, err);
         }},
        {QStringLiteral("sendmail"),
         [](const QStringList &arguments, QTextStream &, QTextStream &err) {
             QFile input;
             if (!input.open(stdin, QIODevice::ReadOnly)) {
                 err << "smtpeek sendmail: cannot read standard input" << Qt::endl;
                 return 74; // EX_IOERR
             }
             return runSendmailCommand(arguments, &input, err);
         }},
        {QStringLiteral("mcp"),
         [](const QStringList &arguments, QTextStream &, QTextStream &err) {
             QFile input;
             QFile output;
             // Unbuffered: a request must be answered before the next line arrives.
             if (!input.open(0, QIODevice::ReadOnly | QIODevice::Unbuffered) ||
                 !output.open(1, QIODevice::WriteOnly | QIODevice::Unbuffered)) {
                 err << "smtpeek mcp: cannot open standard input and output" << Qt::endl;
                 return 74; // EX_IOERR
             }
             return runMcpCommand(arguments, &input, &output, err);
         }},
    };
    const Command command = argc > 1 ? commands.value(QString::fromLocal8Bit(argv[1])) : nullptr;
    if (!command)
        return std::nullopt;
    QCoreApplication app(argc, argv);
    QStringList arguments = QCoreApplication::arguments();
    arguments[0] += u' ' + arguments.takeAt(1); // "smtpeek wait" in usage and errors
    QTextStream out(stdout);
    QTextStream err(stderr);
    return command(arguments, out, err);
}

// Event loops run on Qt's own poll() dispatcher rather than GLib's: GLib wakes a loop with an
// eventfd write on every socket notifier change and every posted event, about 20 syscalls per
// short SMTP session on the server thread alone. The desktop's GUI thread keeps GLib for its
// platform integration; a headless run has no GUI thread. Must run before any thread starts.
void useQtEventDispatchers(bool headless)
{
    const auto setUnlessGiven = [](const char *name) {
        if (!qEnvironmentVariableIsSet(name))
            qputenv(name, "1");
    };
    setUnlessGiven("QT_NO_THREADED_GLIB");
    if (headless)
        setUnlessGiven("QT_NO_GLIB");
}

// Message buffers (up to a few MB) are allocated in a session's thread and freed in the store's.
// With glibc's defaults each big one is mapped and unmapped (a TLB shoot-down across threads), or
// its pages are handed back and faulted in again: W3 (200 KB messages) spent more CPU on that
// than on storing them. Freed memory is now kept for reuse, up to the trim threshold.
void reuseFreedMessageMemory()
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    reuseFreedMessageMemory();
    MimeRuntime mime; // before any thread starts
    QCoreApplication::setApplicationName(QStringLiteral("smtpeek"));
    QCoreApplication::setOrganizationName(QStringLiteral("smtpeek"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SMTPEEK_VERSION));

    if (const std::optional<int> exitCode = runSubcommand(argc, argv))
        return *exitCode;
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    ParsedOptions parsed = parseOptions(
        arguments, QProcessEnvironment::systemEnvironment().toStringList(), defaultConfigPath());
    if (!parsed.options) {
        if (parsed.exitCode == 0) {
            QTextStream(stdout) << parsed.message;
            return 0;
        }
        return fail(parsed.message, parsed.exitCode);
    }
    AppOptions options = *parsed.options;
    useQtEventDispatchers(options.headless);
    if (!options.headless && options.inspectPath.isEmpty())
        return runDesktop(argc, argv, options, parsed.configProblems);
    if (options.hostname.isEmpty())
        options.hostname = QSysInfo::machineHostName();

    QCoreApplication app(argc, argv);
    if (!options.inspectPath.isEmpty()) {
        QTextStream out(stdout);
        QTextStream err(stderr);
        return runInspect(options.inspectPath, options.inspectJson, out, err);
    }
    return runHeadless(options);
}
