// Every message of the shared corpus (../shared/corpus, see its README.md) through the whole
// decoding path, plus comparisons with the expected results that some of its sources ship.
// The corpus is not part of the repository: these tests skip when SMTPEEK_CORPUS is unset or
// points nowhere.
#include "mime/DecodedMessage.h"
#include "mime/ExportFileName.h"
#include "mime/Headline.h"
#include "mime/HtmlResources.h"
#include "mime/MimeRuntime.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>

namespace {

QString corpusDir()
{
    const QString dir = qEnvironmentVariable("SMTPEEK_CORPUS");
    return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : QString();
}

#define SKIP_WITHOUT_CORPUS()                                                                      \
    if (corpusDir().isEmpty())                                                                     \
    QSKIP("SMTPEEK_CORPUS is unset or not a folder: the shared MIME corpus is not checked out "    \
          "next to this clone")

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Files that are the sources' expected outputs or licences rather than messages.
bool isMessageFile(const QString &relativePath)
{
    const QString name = QFileInfo(relativePath).fileName();
    static const QStringList outputSuffixes = {".json", ".xml", ".out", ".openpgp-block"};
    return !name.startsWith(QLatin1Char('.')) && !name.contains(QLatin1String("_decoded_")) &&
           !name.startsWith(QLatin1String("README")) &&
           !name.startsWith(QLatin1String("COPYING")) && !name.contains(QLatin1String("LICENSE")) &&
           std::none_of(outputSuffixes.begin(), outputSuffixes.end(),
                        [&name](const QString &suffix) { return name.endsWith(suffix); });
}

QStringList corpusFiles(const QString &subfolder, const std::function<bool(const QString &)> &keep)
{
    QStringList files;
    const QDir root(corpusDir());
    QDirIterator it(root.filePath(subfolder), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString relative = root.relativeFilePath(it.next());
        if (keep(relative))
            files.append(relative);
    }
    files.sort();
    return files;
}

// Every bare LF becomes CRLF, as mail-parser's "*.crlf.json" expectations assume.
QByteArray withCrlf(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size() + raw.size() / 20);
    for (qsizetype i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == '\n' && (i == 0 || raw.at(i - 1) != '\r'))
            out += '\r';
        out += raw.at(i);
    }
    return out;
}

QString excerpt(const QString &text)
{
    QString cut = text.left(60);
    return cut.replace(QLatin1String("\r"), QLatin1String("\\r"))
        .replace(QLatin1String("\n"), QLatin1String("\\n"));
}

struct ExpectedPart
{
    QString path;
    QString contentType; // empty when mail-parser recorded none
    QString bodyKind;    // Text, Html, Binary, InlineBinary, Multipart, Message
    QJsonValue body;
};

// mail-parser's parse as a list of our paths: parts[0] is the root, a Multipart body lists
// child indexes, a Message body holds the enclosed message's own parts.
void collectExpected(const QJsonObject &message, int index, const QString &path,
                     QList<ExpectedPart> &out)
{
    const QJsonArray parts = message.value(QLatin1String("parts")).toArray();
    const QJsonObject part = parts.at(index).toObject();
    ExpectedPart expected{path, QString(), QString(), QJsonValue()};
    for (const QJsonValue &header : part.value(QLatin1String("headers")).toArray()) {
        const QJsonObject field = header.toObject();
        if (field.value(QLatin1String("name")).toString() != QLatin1String("content_type"))
            continue;
        const QJsonObject type = field.value(QLatin1String("value"))
                                     .toObject()
                                     .value(QLatin1String("ContentType"))
                                     .toObject();
        expected.contentType = (type.value(QLatin1String("c_type")).toString() + QLatin1Char('/') +
                                type.value(QLatin1String("c_subtype")).toString())
                                   .toLower();
    }
    const QJsonObject body = part.value(QLatin1String("body")).toObject();
    expected.bodyKind = body.keys().value(0);
    expected.body = body.value(expected.bodyKind);
    out.append(expected);
    if (expected.bodyKind == QLatin1String("Multipart")) {
        const QJsonArray children = expected.body.toArray();
        for (qsizetype i = 0; i < children.size(); ++i)
            collectExpected(message, children.at(i).toInt(),
                            path + QLatin1Char('.') + QString::number(i + 1), out);
    } else if (expected.bodyKind == QLatin1String("Message")) {
        collectExpected(expected.body.toObject(), 0, path + QLatin1String(".1"), out);
    }
}

QByteArray bytesOf(const QJsonArray &array)
{
    QByteArray bytes;
    bytes.reserve(array.size());
    for (const QJsonValue &value : array)
        bytes += char(value.toInt());
    return bytes;
}

// Where our decoding and mail-parser's differ, one line per difference.
QStringList mailParserDisagreements(const QByteArray &raw, const QJsonObject &expectedMessage)
{
    QList<ExpectedPart> expected;
    collectExpected(expectedMessage, 0, QStringLiteral("1"), expected);
    const DecodedMessage message = decodeMessage(raw);
    QStringList differences;
    if (message.parts.size() != expected.size())
        differences.append(
            QStringLiteral("%1 parts, expected %2").arg(message.parts.size()).arg(expected.size()));
    for (const ExpectedPart &want : std::as_const(expected)) {
        const MimePart *part = message.part(want.path);
        if (!part) {
            differences.append(QStringLiteral("%1: missing").arg(want.path));
            continue;
        }
        if (!want.contentType.isEmpty() && !want.contentType.endsWith(QLatin1Char('/')) &&
            part->contentType != want.contentType)
            differences.append(QStringLiteral("%1: %2, expected %3")
                                   .arg(want.path, part->contentType, want.contentType));
        const QByteArray content = decodePartContent(raw, want.path);
        if (want.bodyKind == QLatin1String("Text") || want.bodyKind == QLatin1String("Html")) {
            const QString text = decodeText(content, part->charset);
            if (text != want.body.toString())
                differences.append(
                    QStringLiteral("%1: text \"%2\", expected \"%3\"")
                        .arg(want.path, excerpt(text), excerpt(want.body.toString())));
        } else if (want.bodyKind.endsWith(QLatin1String("Binary"))) {
            if (content != bytesOf(want.body.toArray()))
                differences.append(QStringLiteral("%1: bytes differ").arg(want.path));
        }
    }
    return differences;
}

// Where GMime and the source's own parser legitimately read a malformed message differently.
// Each entry must still disagree (an unexpected pass fails the test), so the list stays true.
QHash<QString, const char *> buildKnownDisagreements()
{
    static const char *const prefixBoundaries =
        "boundaries that are prefixes of each other: GMime matches a boundary only when whole "
        "(RFC 2046), the other parser by prefix, so the trees differ";
    static const char *const outerBoundaryEndsInner =
        "an outer boundary inside an unclosed inner multipart: GMime ends the inner multipart "
        "there (RFC 2046 5.1.2), mail-parser keeps the rest as text of the inner part";
    QHash<QString, const char *> reasons = {
        {"mime4j/testmsgs/ending-boundaries_decoded_1_1.txt",
         "text after the boundary on its line: mime4j accepts it (RFC 2046's implementor note), "
         "GMime does not see a boundary there"},
        {"mime4j/testmsgs/very-very-long-boundary_decoded_1_1.txt",
         "a boundary of thousands of characters: GMime does not match it, the multipart is empty"},
        {"mime4j/testmsgs/malformedHeader-noheader_decoded_1.txt",
         "no header at all: smtpeek shows the whole input as the body, mime4j takes it as header"},
        {"mime4j/testmsgs/malformedHeaderStartsBody-noheader_decoded_1.txt",
         "no header at all: smtpeek shows the whole input as the body, mime4j takes the first "
         "line as a header"},
        {"mime4j/testmsgs/malformedHeaderStartsBody-nocrlfcrlf_decoded_1.txt",
         "a line without a colon inside the header: GMime skips it with a warning and reads on, "
         "mime4j starts the body there"},
        {"mime4j-mimetools/multi-bad_decoded_1_1.txt",
         "two Content-Type headers: GMime uses the last (text/plain), mime4j the first "
         "(multipart)"},
        {"mime4j-mimetools/double-bound_decoded_1_1.txt",
         "doubled boundary lines: mime4j keeps an empty part between them, GMime does not, so "
         "the paths shift"},
        {"mime4j-mimetools/double-bound_decoded_1_2.txt", "doubled boundary lines (see 1_1)"},
        {"mime4j-mimetools/double-bound_decoded_1_6.txt", "doubled boundary lines (see 1_1)"},
        {"mime4j-mimetools/double-bound_decoded_1_8.txt", "doubled boundary lines (see 1_1)"},
        {"mime4j-mimetools/double-bound_decoded_1_10.bin", "doubled boundary lines (see 1_1)"},
        {"mime4j-mimetools/2002_06_12_doublebound_decoded_1_2.txt",
         "doubled boundary lines: the paths shift (see double-bound)"},
        {"mime4j-mimetools/2002_06_12_doublebound_decoded_1_3.txt",
         "doubled boundary lines: the paths shift (see double-bound)"},
        {"mail-parser/eml/malformed/000.eml",
         "part headers ended by the next boundary: GMime keeps empty parts, mail-parser drops "
         "them"},
        {"mail-parser/eml/malformed/001.eml", prefixBoundaries},
        {"mail-parser/eml/malformed/002.eml",
         "a multipart without any boundary line: GMime gives an empty multipart (warned), "
         "mail-parser a text part"},
        {"mail-parser/eml/malformed/004.eml", prefixBoundaries},
        {"mail-parser/eml/malformed/007.eml", prefixBoundaries},
        {"mail-parser/eml/malformed/008.eml", prefixBoundaries},
        {"mail-parser/eml/malformed/009.eml", outerBoundaryEndsInner},
        {"mail-parser/eml/malformed/011.eml", outerBoundaryEndsInner},
        {"mail-parser/eml/malformed/012.eml", outerBoundaryEndsInner},
        {"mail-parser/eml/malformed/016.eml",
         "boundaries over 70 characters that differ only near the end: GMime does not tell "
         "them apart"},
        {"mail-parser/eml/malformed/017.eml",
         "boundary parameter without the ';' separator: GMime ignores it (warned)"},
        {"mail-parser/eml/malformed/022.eml",
         "a message/rfc822 part that is not a message: GMime skips the invalid header line "
         "(warned); the raw source keeps it"},
        {"mail-parser/eml/rfc/000.eml",
         "placeholder text in base64 parts: GMime decodes the alphabet characters it finds "
         "(smtpeek warns), mail-parser keeps the text"},
        {"mail-parser/eml/thirdparty/002.eml",
         "garbage after base64 padding: GMime stops at the padding, mail-parser decodes on"},
        {"mail-parser/eml/thirdparty/005.eml",
         "UTF-16 with an odd trailing byte: smtpeek shows U+FFFD where mail-parser drops it; "
         "'--1--' in mid-line is not a boundary for GMime"},
        {"mail-parser/eml/thirdparty/010.eml",
         "closing boundary at the very end without a line break: GMime keeps the CR before it"},
        {"mail-parser/eml/thirdparty/015.eml",
         "attached messages cut off after their header: GMime gives an empty multipart, "
         "mail-parser nests differently"},
    };
    // mail-parser's header tables, by row: mostly deliberately broken syntax read differently.
    const auto rows = [&reasons](const char *table, std::initializer_list<int> numbers,
                                 const char *reason) {
        for (int number : numbers)
            reasons.insert(QStringLiteral("%1 #%2").arg(QLatin1String(table)).arg(number), reason);
    };
    rows("unstructured", {2, 3, 4, 19, 24, 25, 26},
         "folding: GMime removes only the line breaks (RFC 5322 unfolding), mail-parser also "
         "collapses the whitespace");
    rows("unstructured", {21, 27, 28},
         "an encoded word glued to the text before it: shown as written, mail-parser adds a "
         "space");
    rows("unstructured", {22}, "whitespace around an empty encoded word");
    rows("address", {8, 9, 10, 11, 14, 22, 42},
         "comments: GMime drops them, mail-parser appends them to the display name");
    rows("address", {13}, "obsolete route and spaces inside the address: GMime normalises");
    rows("address", {33}, "spaces inside a quoted display name: trimmed");
    rows("address", {37, 38, 39, 40, 41, 43, 44, 45, 46, 47},
         "List-* URLs in angle brackets are not mailboxes; smtpeek reads them only as text");
    rows("address", {55, 56}, "an encoded word after the address or after a comment");
    rows("content_type", {4, 38, 39, 47, 48, 58, 67, 68, 69, 101},
         "not a type/subtype: GMime uses application/octet-stream (warned)");
    rows("content_type", {5},
         "a comment after a parameter: GMime keeps it in the value (the charset is cut at it)");
    rows("content_type", {23, 30, 31}, "parameters without ';' between them");
    rows("content_type", {29}, "mail-parser reports an RFC 2231 language as an extra parameter");
    rows("content_type", {34},
         "whitespace between adjacent encoded words is dropped (RFC 2047 6.2), mail-parser "
         "keeps it");
    rows("content_type", {46}, "empty parameters before name=value: GMime stops reading");
    rows("content_type", {55, 56, 57}, "an unterminated quoted value: GMime keeps the quote");
    rows("content_type", {59, 61}, "hostile RFC 2231 section numbers: GMime keeps fewer");
    rows("content_type", {76, 77, 78}, "a type with two slashes: GMime keeps the first two");
    rows("date", {10}, "obsolete date with comments and a two-digit year: GMime gives up");
    rows("date", {12}, "not a date: GMime guesses");
    rows("date", {30}, "EST5EDT is not an RFC 5322 zone: GMime uses +0000");
    rows("date", {31},
         "military zone 'A': GMime reads +0100, mail-parser -0000 as RFC 5322 advises");
    return reasons;
}

const QHash<QString, const char *> &knownDisagreements()
{
    static const QHash<QString, const char *> reasons = buildKnownDisagreements();
    return reasons;
}

void expectKnownDisagreement()
{
    if (const char *reason = knownDisagreements().value(QString::fromUtf8(QTest::currentDataTag())))
        QEXPECT_FAIL("", reason, Continue);
}

// mime4j stores expected text with CRLF even where the message has bare LF lines.
QByteArray withLf(QByteArray text)
{
    return text.replace("\r\n", "\n");
}

// A message whose only interesting field is `name`, holding `value` as the table gives it.
QByteArray messageWithHeader(const QString &name, const QString &value)
{
    QByteArray field = value.toUtf8();
    if (!field.endsWith('\n'))
        field += "\r\n";
    const QByteArray from =
        name == QLatin1String("From") ? QByteArray() : "From: a@example.com\r\n";
    return from + name.toLatin1() + ':' + field + "\r\nbody\r\n";
}

QString addressesText(const QList<MailAddress> &addresses)
{
    QStringList entries;
    for (const MailAddress &address : addresses)
        entries.append(address.group + QLatin1Char('|') + address.name + QLatin1Char('|') +
                       address.address);
    return entries.join(QLatin1String("; "));
}

QString expectedAddressesText(const QJsonObject &expected)
{
    QList<MailAddress> addresses;
    const auto appendList = [&addresses](const QJsonArray &list, const QString &group) {
        for (const QJsonValue &entry : list)
            addresses.append({entry[QLatin1String("name")].toString(),
                              entry[QLatin1String("address")].toString(), group});
    };
    appendList(expected.value(QLatin1String("List")).toArray(), QString());
    for (const QJsonValue &group : expected.value(QLatin1String("Group")).toArray()) {
        const QJsonArray members = group[QLatin1String("addresses")].toArray();
        const QString name = group[QLatin1String("name")].toString();
        if (members.isEmpty())
            addresses.append({QString(), QString(), name});
        appendList(members, name);
    }
    return addressesText(addresses);
}

QString contentTypeText(const QString &type, const QList<QPair<QString, QString>> &parameters)
{
    QString text = type;
    for (const auto &[name, value] : parameters)
        text += QLatin1String("; ") + name.toLower() + QLatin1Char('=') + value;
    return text;
}

QString expectedContentTypeText(const QJsonObject &expected)
{
    QList<QPair<QString, QString>> parameters;
    for (const QJsonValue &attribute : expected.value(QLatin1String("attributes")).toArray())
        parameters.append({attribute[0].toString(), attribute[1].toString()});
    const QString subtype = expected.value(QLatin1String("c_subtype")).toString();
    return contentTypeText(
        (expected.value(QLatin1String("c_type")).toString() + QLatin1Char('/') + subtype).toLower(),
        parameters);
}

QString expectedDateText(const QJsonObject &expected)
{
    const auto field = [&expected](const char *name) {
        return expected.value(QLatin1String(name)).toInt();
    };
    const int offset = (field("tz_hour") * 3600 + field("tz_minute") * 60) *
                       (expected.value(QLatin1String("tz_before_gmt")).toBool() ? -1 : 1);
    const QDateTime local(QDate(field("year"), field("month"), field("day")),
                          QTime(field("hour"), field("minute"), field("second")),
                          QTimeZone(offset));
    return local.toString(Qt::ISODate);
}

struct Timing
{
    QString file;
    qint64 ms;
};
QList<Timing> timings;

} // namespace

class TestMimeCorpus : public QObject
{
    Q_OBJECT

    MimeRuntime m_mime;

private Q_SLOTS:
    void cleanupTestCase();

    void everyMessageDecodes_data();
    void everyMessageDecodes();
    void mime4jDecodedBodies_data();
    void mime4jDecodedBodies();
    void mailParserStructure_data();
    void mailParserStructure();
    void mailParserHeaderTables_data();
    void mailParserHeaderTables();
};

void TestMimeCorpus::cleanupTestCase()
{
    std::sort(timings.begin(), timings.end(),
              [](const Timing &a, const Timing &b) { return a.ms > b.ms; });
    for (const Timing &timing : timings.mid(0, 5))
        qInfo("slowest: %s %lld ms", qPrintable(timing.file), timing.ms);
}

void TestMimeCorpus::everyMessageDecodes_data()
{
    SKIP_WITHOUT_CORPUS();
    QTest::addColumn<QString>("file");
    for (const QString &file : corpusFiles(QString(), isMessageFile))
        QTest::newRow(qPrintable(file)) << file;
}

// No crash, hang or sanitizer report anywhere on the way from raw bytes to what the inspector
// and the exports show; the tree the adapter returns is consistent.
void TestMimeCorpus::everyMessageDecodes()
{
    QFETCH(QString, file);
    const QByteArray raw = readFile(QDir(corpusDir()).filePath(file));

    QElapsedTimer timer;
    timer.start();
    const DecodedMessage message = decodeMessage(raw);
    timings.append({file, timer.elapsed()});

    // The list's headline takes shortcuts (a single part is read from its header block only):
    // it must still agree with the full decode.
    const MessageHeadline headline = readHeadline(raw);
    if (message.hasHeader) {
        const bool anyAttachment =
            std::any_of(message.parts.cbegin(), message.parts.cend(),
                        [](const MimePart &part) { return part.isAttachment; });
        QCOMPARE(headline.hasAttachments, anyAttachment);
        QCOMPARE(headline.subject.simplified(), message.subject.simplified());
        QCOMPARE(headline.messageId.simplified(), message.messageId.simplified());
        QCOMPARE(headline.dateMs,
                 message.date.isValid() ? message.date.toMSecsSinceEpoch() : qint64(0));
        // Local parts only: the list line shows an internationalised domain in its IDNA form.
        for (const MailAddress &address : message.from)
            QVERIFY2(headline.from.contains(address.address.section(u'@', 0, 0)),
                     qPrintable(headline.from));
        for (const MailAddress &address : message.to)
            QVERIFY2(headline.to.contains(address.address.section(u'@', 0, 0)),
                     qPrintable(headline.to));
    }
    QVERIFY(!message.parts.isEmpty());
    QSet<QString> paths;
    ExportFileNameSet names;
    for (const MimePart &part : message.parts) {
        QVERIFY2(!paths.contains(part.path), qPrintable(part.path));
        paths.insert(part.path);
        QCOMPARE(part.path.count(QLatin1Char('.')), part.depth);
        const QString name = names.add(part.fileName, part.contentType, part.path);
        QVERIFY(!name.isEmpty() && !name.contains(QLatin1Char('/')) && name != QLatin1String(".."));
    }
    QVERIFY(message.textBodyPath.isEmpty() || paths.contains(message.textBodyPath));
    QVERIFY(message.htmlBodyPath.isEmpty() || paths.contains(message.htmlBodyPath));
    for (const RemoteResource &resource : findRemoteResources(message.htmlBody))
        QVERIFY(!resource.url.isEmpty());
}

void TestMimeCorpus::mime4jDecodedBodies_data()
{
    SKIP_WITHOUT_CORPUS();
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    const auto isDecodedBody = [](const QString &file) {
        return file.contains(QLatin1String("_decoded_")) && !file.endsWith(QLatin1String(".xml"));
    };
    for (const QString &folder : {QStringLiteral("mime4j"), QStringLiteral("mime4j-mimetools")}) {
        for (const QString &expected : corpusFiles(folder, isDecodedBody)) {
            const qsizetype marker = expected.lastIndexOf(QLatin1String("_decoded_"));
            const QString message = expected.left(marker) + QLatin1String(".msg");
            const QString path = QFileInfo(expected.mid(marker + 9))
                                     .completeBaseName()
                                     .replace(QLatin1Char('_'), QLatin1Char('.'));
            QTest::newRow(qPrintable(expected)) << message << path << expected;
        }
    }
}

// mime4j's "NAME_decoded_1_2.bin" is the transfer-decoded body of the entity our path calls "1.2".
void TestMimeCorpus::mime4jDecodedBodies()
{
    QFETCH(QString, message);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    const QDir root(corpusDir());
    QByteArray content = decodePartContent(readFile(root.filePath(message)), path);
    QByteArray want = readFile(root.filePath(expected));
    if (expected.endsWith(QLatin1String(".txt"))) {
        content = withLf(content);
        want = withLf(want);
    }
    expectKnownDisagreement();
    QCOMPARE(content, want);
}

void TestMimeCorpus::mailParserStructure_data()
{
    SKIP_WITHOUT_CORPUS();
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("expected");
    const auto isEml = [](const QString &file) { return file.endsWith(QLatin1String(".eml")); };
    for (const QString &eml : corpusFiles(QStringLiteral("mail-parser/eml"), isEml)) {
        const QString expected = eml.left(eml.size() - 4) + QLatin1String(".crlf.json");
        if (QFileInfo::exists(QDir(corpusDir()).filePath(expected)))
            QTest::newRow(qPrintable(eml)) << eml << expected;
    }
}

// Part tree, content types, decoded text and bytes against mail-parser's "*.crlf.json".
void TestMimeCorpus::mailParserStructure()
{
    QFETCH(QString, message);
    QFETCH(QString, expected);
    const QDir root(corpusDir());
    const QByteArray raw = withCrlf(readFile(root.filePath(message)));
    const QJsonObject expectedMessage =
        QJsonDocument::fromJson(readFile(root.filePath(expected))).object();
    const QStringList differences = mailParserDisagreements(raw, expectedMessage);
    expectKnownDisagreement();
    QVERIFY2(differences.isEmpty(), qPrintable(differences.join(QLatin1String("; "))));
}

void TestMimeCorpus::mailParserHeaderTables_data()
{
    SKIP_WITHOUT_CORPUS();
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QJsonValue>("expected");
    const QDir tables(QDir(corpusDir()).filePath(QStringLiteral("mail-parser/header-tables")));
    for (const char *table : {"unstructured", "address", "content_type", "date"}) {
        const QJsonArray rows =
            QJsonDocument::fromJson(readFile(tables.filePath(QLatin1String(table) + ".json")))
                .array();
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject row = rows.at(i).toObject();
            // A null expectation means "not a valid header": nothing to compare.
            if (!row.value(QLatin1String("expected")).isNull())
                QTest::addRow("%s #%d", table, int(i))
                    << QString::fromLatin1(table) << row.value(QLatin1String("header")).toString()
                    << row.value(QLatin1String("expected"));
        }
    }
}

// mail-parser's table-driven header expectations, put through a whole message each: Subject for
// unstructured text, To for addresses, Content-Type, Date.
void TestMimeCorpus::mailParserHeaderTables()
{
    QFETCH(QString, table);
    QFETCH(QString, header);
    QFETCH(QJsonValue, expected);
    QString actual;
    QString want;
    if (table == QLatin1String("unstructured")) {
        actual = decodeMessage(messageWithHeader(QStringLiteral("Subject"), header)).subject;
        want = expected.toString();
    } else if (table == QLatin1String("address")) {
        actual = addressesText(decodeMessage(messageWithHeader(QStringLiteral("To"), header)).to);
        want = expectedAddressesText(expected.toObject());
    } else if (table == QLatin1String("content_type")) {
        const DecodedMessage message =
            decodeMessage(messageWithHeader(QStringLiteral("Content-Type"), header));
        actual =
            contentTypeText(message.parts.first().contentType, message.parts.first().parameters);
        want = expectedContentTypeText(expected.toObject());
    } else {
        actual = decodeMessage(messageWithHeader(QStringLiteral("Date"), header))
                     .date.toString(Qt::ISODate);
        want = expectedDateText(expected.toObject());
    }
    expectKnownDisagreement();
    QCOMPARE(actual, want);
}

QTEST_GUILESS_MAIN(TestMimeCorpus)
#include "tst_mimecorpus.moc"
