#include "McpCommand.h"

#include "HttpCall.h"
#include "McpSession.h"

#include <QCommandLineParser>

namespace {
// A longer line is answered with a parse error and skipped, so memory stays bounded.
constexpr qint64 kMaxLineBytes = 8 * 1024 * 1024;
// wait_for_messages may take up to an hour on the server's side.
constexpr int kApiTimeoutMs = 3630 * 1000;

// Reads one line of at most kMaxLineBytes; *tooLong when the rest had to be thrown away.
std::optional<QByteArray> nextLine(QIODevice *input, bool *tooLong)
{
    *tooLong = false;
    QByteArray line;
    while (true) {
        const QByteArray chunk = input->readLine(kMaxLineBytes - line.size() + 1);
        if (chunk.isEmpty())
            return line.isEmpty() ? std::nullopt : std::optional(line);
        if (!*tooLong)
            line += chunk;
        if (chunk.endsWith('\n'))
            return line;
        if (line.size() >= kMaxLineBytes) {
            *tooLong = true;
            line.clear();
        }
    }
}
} // namespace

int runMcpCommand(const QStringList &arguments, QIODevice *input, QIODevice *output,
                  QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A Model Context Protocol server over stdio for the mail a running smtpeek holds."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("api"),
                      QStringLiteral("The API to use (default http://127.0.0.1:8025)."),
                      QStringLiteral("url"), QStringLiteral("http://127.0.0.1:8025")});
    if (!parser.parse(arguments)) {
        err << "smtpeek mcp: " << parser.errorText() << Qt::endl;
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        output->write(parser.helpText().toUtf8());
        return 0;
    }
    QUrl base(parser.value(QStringLiteral("api")));
    if (!base.isValid() || (base.scheme() != u"http" && base.scheme() != u"https") ||
        base.host().isEmpty() || !parser.positionalArguments().isEmpty()) {
        err << "smtpeek mcp: --api takes an http(s) URL" << Qt::endl;
        return 2;
    }
    McpSession session([&base](const QByteArray &method, const QString &path,
                               const QByteArray &body) {
        QUrl url = base;
        const qsizetype question = path.indexOf(u'?');
        url.setPath(url.path().chopped(url.path().endsWith(u'/') ? 1 : 0) + path.left(question));
        if (question >= 0)
            url.setQuery(path.mid(question + 1), QUrl::StrictMode);
        const HttpResult result = httpCall(method, url, body, kApiTimeoutMs);
        return McpSession::ApiAnswer{result.status,
                                     result.status ? result.body : result.error.toUtf8()};
    });
    bool tooLong = false;
    while (const std::optional<QByteArray> line = nextLine(input, &tooLong)) {
        if (line->trimmed().isEmpty() && !tooLong)
            continue;
        const std::optional<QByteArray> answer =
            tooLong ? session.handle("{") : session.handle(line->trimmed());
        if (answer) {
            output->write(*answer + '\n');
            output->waitForBytesWritten(-1);
        }
    }
    return 0;
}
