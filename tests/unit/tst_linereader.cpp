#include "protocol/LineReader.h"

#include <QTest>

// Feeds input to a reader in pieces of `step` bytes (0: all at once) and collects what it frames.
struct Framed
{
    QList<QByteArray> lines;
    int tooLong = 0;
    QList<QByteArray> messages;
    LineReader::BodyStats stats;
};

static Framed frame(LineReader &reader, const QByteArray &input, int step,
                    bool dataAfterFirstLine = false)
{
    Framed out;
    const int chunk = step <= 0 ? int(input.size()) : step;
    for (qsizetype pos = 0; pos < input.size(); pos += chunk) {
        reader.append(QByteArrayView(input).sliced(pos, std::min<qsizetype>(chunk, input.size() - pos)));
        for (LineReader::Event e = reader.next(); e != LineReader::Event::NeedMore; e = reader.next()) {
            if (e == LineReader::Event::CommandLine) {
                out.lines.append(reader.takeLine());
                if (dataAfterFirstLine && out.lines.size() == 1) {
                    reader.beginMessage();
                    reader.expectData();
                }
            } else if (e == LineReader::Event::CommandTooLong) {
                ++out.tooLong;
            } else if (e == LineReader::Event::DataComplete) {
                out.stats = reader.bodyStats();
                out.messages.append(reader.takeMessage());
            }
        }
    }
    return out;
}

class tst_LineReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commandLines_data();
    void commandLines();
    void data_data();
    void data();
    void messageSizeLimit();
    void chunk();
    void discardBuffered();
};

void tst_LineReader::commandLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<int>("tooLong");

    QTest::newRow("one") << QByteArray("NOOP\r\n") << QList<QByteArray>{"NOOP"} << 0;
    QTest::newRow("pipelined") << QByteArray("A\r\nB\r\nC\r\n") << QList<QByteArray>{"A", "B", "C"} << 0;
    QTest::newRow("bare lf") << QByteArray("A\nB\r\n") << QList<QByteArray>{"A", "B"} << 0;
    QTest::newRow("incomplete") << QByteArray("A\r\nB") << QList<QByteArray>{"A"} << 0;
    QTest::newRow("bare cr stays") << QByteArray("A\rB\r\n") << QList<QByteArray>{"A\rB"} << 0;
    QTest::newRow("exactly 512") << (QByteArray(510, 'x') + "\r\n") << QList<QByteArray>{QByteArray(510, 'x')} << 0;
    QTest::newRow("513") << (QByteArray(511, 'x') + "\r\nNOOP\r\n") << QList<QByteArray>{"NOOP"} << 1;
    QTest::newRow("100 KB without newline") << QByteArray(100 * 1024, 'x') << QList<QByteArray>{} << 1;
    QTest::newRow("long then good") << (QByteArray(5000, 'x') + "\r\nQUIT\r\n") << QList<QByteArray>{"QUIT"} << 1;
    QTest::newRow("nul kept") << QByteArray("A\0B\r\n", 5) << QList<QByteArray>{QByteArray("A\0B", 3)} << 0;
    QTest::newRow("empty line") << QByteArray("\r\n") << QList<QByteArray>{""} << 0;
}

void tst_LineReader::commandLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(int, tooLong);
    for (int step : {0, 1, 7}) {
        LineReader reader;
        const Framed out = frame(reader, input, step);
        QCOMPARE(out.lines, lines);
        QCOMPARE(out.tooLong, tooLong);
    }
}

void tst_LineReader::data_data()
{
    QTest::addColumn<QByteArray>("body"); // what follows the DATA command line
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QByteArray>("after"); // the command line after the final dot
    QTest::addColumn<bool>("bareLf");
    QTest::addColumn<bool>("bareCr");

    QTest::newRow("simple") << QByteArray("Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n")
                            << QByteArray("Subject: x\r\n\r\nhi\r\n") << QByteArray("QUIT") << false << false;
    QTest::newRow("empty message") << QByteArray(".\r\nQUIT\r\n") << QByteArray() << QByteArray("QUIT") << false << false;
    QTest::newRow("dot stuffing") << QByteArray("..a\r\n...\r\n.\r\nQUIT\r\n")
                                  << QByteArray(".a\r\n..\r\n") << QByteArray("QUIT") << false << false;
    QTest::newRow("dot only mid line") << QByteArray("a.\r\n.b\r\n.\r\nQUIT\r\n")
                                       << QByteArray("a.\r\nb\r\n") << QByteArray("QUIT") << false << false;
    QTest::newRow("smuggle lf dot lf") << QByteArray("a\n.\nMAIL FROM:<x@y>\r\n.\r\nQUIT\r\n")
                                       << QByteArray("a\n.\nMAIL FROM:<x@y>\r\n") << QByteArray("QUIT") << true << false;
    QTest::newRow("smuggle cr dot crlf") << QByteArray("a\r.\r\nMAIL FROM:<x@y>\r\n.\r\nQUIT\r\n")
                                         << QByteArray("a\r.\r\nMAIL FROM:<x@y>\r\n") << QByteArray("QUIT") << false << true;
    QTest::newRow("smuggle lf dot crlf") << QByteArray("a\n.\r\nMAIL FROM:<x@y>\r\n.\r\nQUIT\r\n")
                                         << QByteArray("a\n.\r\nMAIL FROM:<x@y>\r\n") << QByteArray("QUIT") << true << false;
    QTest::newRow("smuggle crlf dot cr") << QByteArray("a\r\n.\rMAIL FROM:<x@y>\r\n.\r\nQUIT\r\n")
                                         << QByteArray("a\r\n\rMAIL FROM:<x@y>\r\n") << QByteArray("QUIT") << false << true;
    QTest::newRow("smuggle crlf dot lf") << QByteArray("a\r\n.\nMAIL FROM:<x@y>\r\n.\r\nQUIT\r\n")
                                         << QByteArray("a\r\n\nMAIL FROM:<x@y>\r\n") << QByteArray("QUIT") << true << false;
    QTest::newRow("8bit and nul") << QByteArray("\xc3\xa9\0x\r\n.\r\nQUIT\r\n", 15)
                                  << QByteArray("\xc3\xa9\0x\r\n", 6) << QByteArray("QUIT") << false << false;
    QTest::newRow("no final newline yet") << QByteArray("a\r\n.") << QByteArray() << QByteArray() << false << false;
}

void tst_LineReader::data()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, message);
    QFETCH(QByteArray, after);
    QFETCH(bool, bareLf);
    QFETCH(bool, bareCr);
    const QByteArray input = "DATA\r\n" + body;
    for (int step : {0, 1, 2, 3, 5}) {
        LineReader reader;
        const Framed out = frame(reader, input, step, true);
        if (after.isEmpty()) {
            QVERIFY(out.messages.isEmpty());
            continue;
        }
        QCOMPARE(out.messages.size(), 1);
        QCOMPARE(out.messages.first(), message);
        QCOMPARE(out.lines.size(), 2);
        QCOMPARE(out.lines.last(), after);
        QCOMPARE(out.stats.bareLf, bareLf);
        QCOMPARE(out.stats.bareCr, bareCr);
        QCOMPARE(out.stats.size, qint64(message.size()));
    }
}

void tst_LineReader::messageSizeLimit()
{
    LineReader::Limits limits;
    limits.maxMessageSize = 100;
    LineReader reader(limits);
    const QByteArray line = QByteArray(40, 'x') + "\r\n";
    const Framed out = frame(reader, "DATA\r\n" + line + line + line + ".\r\nQUIT\r\n", 0, true);
    QCOMPARE(out.messages.size(), 1);
    QVERIFY(out.stats.overflow);
    QVERIFY(out.messages.first().isEmpty());
    QCOMPARE(out.stats.size, qint64(126));
    QCOMPARE(out.lines.last(), QByteArray("QUIT"));

    LineReader exact(limits);
    const Framed fits = frame(exact, "DATA\r\n" + QByteArray(98, 'y') + "\r\n.\r\n", 0, true);
    QVERIFY(!fits.stats.overflow);
    QCOMPARE(fits.messages.first().size(), 100);

    LineReader longLine;
    const Framed wide = frame(longLine, "DATA\r\n" + QByteArray(1200, 'z') + "\r\n.\r\n", 0, true);
    QCOMPARE(wide.stats.longestLine, qsizetype(1202));
    QCOMPARE(wide.messages.first().size(), 1202); // kept intact, never split
}

void tst_LineReader::chunk()
{
    for (int step : {0, 1, 4}) {
        LineReader reader;
        reader.beginMessage();
        reader.expectChunk(10);
        const QByteArray input = "0123\r\n.\r\n9NOOP\r\n";
        QList<LineReader::Event> events;
        for (qsizetype pos = 0; pos < input.size(); pos += (step ? step : input.size())) {
            reader.append(QByteArrayView(input).sliced(pos, std::min<qsizetype>(step ? step : input.size(), input.size() - pos)));
            for (auto e = reader.next(); e != LineReader::Event::NeedMore; e = reader.next())
                events.append(e);
        }
        QCOMPARE(events, (QList<LineReader::Event>{LineReader::Event::ChunkComplete,
                                                    LineReader::Event::CommandLine}));
        QCOMPARE(reader.takeLine(), QByteArray("NOOP"));
        QCOMPARE(reader.takeMessage(), QByteArray("0123\r\n.\r\n9")); // binary: no unstuffing
    }
}

void tst_LineReader::discardBuffered()
{
    LineReader reader;
    reader.append("STARTTLS\r\nMAIL FROM:<evil@x>\r\n");
    QCOMPARE(reader.next(), LineReader::Event::CommandLine);
    reader.discardBuffered();
    QCOMPARE(reader.next(), LineReader::Event::NeedMore);
    QCOMPARE(reader.buffered(), qsizetype(0));
}

QTEST_GUILESS_MAIN(tst_LineReader)
#include "tst_linereader.moc"
