// Export file names: hostile attachment names never escape the export folder or fool the user.
#include "mime/DecodedMessage.h"
#include "mime/ExportFileName.h"
#include "mime/MimeRuntime.h"

#include <QtTest>

class TestMimeFileName : public QObject
{
    Q_OBJECT

    MimeRuntime m_mime;

private Q_SLOTS:

    void safeNames_data();
    void safeNames();
    void longNamesKeepTheirExtension();
    void duplicatesBecomeUnique();
    void hostileMessage();
};

void TestMimeFileName::safeNames_data()
{
    QTest::addColumn<QString>("proposed");
    QTest::addColumn<QString>("mimeType");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");

    const QString pdf = QStringLiteral("application/pdf");
    QTest::newRow("ordinary") << "report.pdf" << pdf << "1.2"
                              << "report.pdf";
    QTest::newRow("unicode kept") << "Über € rates.pdf" << pdf << "1.2"
                                  << "Über € rates.pdf";
    QTest::newRow("unix traversal") << "../../etc/passwd" << pdf << "1.2"
                                    << "_.._etc_passwd";
    QTest::newRow("windows traversal") << "..\\..\\Windows\\system.ini" << pdf << "1.2"
                                       << "_.._Windows_system.ini";
    QTest::newRow("absolute path") << "/etc/shadow" << pdf << "1.2"
                                   << "_etc_shadow";
    QTest::newRow("only dots") << ".." << pdf << "1.2"
                               << "part-1.2.pdf";
    QTest::newRow("hidden file") << ".bashrc" << pdf << "1.2"
                                 << "bashrc";
    QTest::newRow("trailing dots and spaces") << "name.txt. . " << pdf << "1.2"
                                              << "name.txt";
    QTest::newRow("windows reserved characters") << "a<b>c:d\"e|f?g*h.txt" << pdf << "1.2"
                                                 << "a_b_c_d_e_f_g_h.txt";
    QTest::newRow("control characters")
        << QString::fromUtf8("tab\tnew\nline\0nul.txt", 20) << pdf << "1.2"
        << "tab_new_line_nul.txt";
    QTest::newRow("right-to-left override")
        << QString::fromUtf8("invoice\u202Efdp.exe") << pdf << "1.2"
        << "invoice_fdp.exe";
    QTest::newRow("device name") << "CON" << pdf << "1.2"
                                 << "_CON";
    QTest::newRow("device name with extension") << "nul.tar.gz" << pdf << "1.2"
                                                << "_nul.tar.gz";
    QTest::newRow("device name, other case") << "Com1.txt" << pdf << "1.2"
                                             << "_Com1.txt";
    QTest::newRow("not a device name") << "console.txt" << pdf << "1.2"
                                       << "console.txt";
    QTest::newRow("empty: from type and path") << "" << pdf << "1.2"
                                               << "part-1.2.pdf";
    QTest::newRow("empty html") << ""
                                << "text/html"
                                << "1.1"
                                << "part-1.1.html";
    QTest::newRow("empty without path") << "" << pdf << ""
                                        << "attachment.pdf";
    QTest::newRow("unknown type") << ""
                                  << "x-unknown/thing"
                                  << ""
                                  << "attachment.bin";
    QTest::newRow("attached message") << ""
                                      << "message/rfc822"
                                      << "1.3"
                                      << "part-1.3.eml";
    QTest::newRow("only separators") << "///" << pdf << "1.4"
                                     << "part-1.4.pdf";
    QTest::newRow("emoji kept") << QString::fromUtf8("party 🎉.png") << pdf << "1.2"
                                << QString::fromUtf8("party 🎉.png");
    QTest::newRow("lone surrogate becomes U+FFFD")
        << QString(QChar(0xD800)) + "x.png" << pdf << "1.2" << QString::fromUtf8("\uFFFDx.png");
    QTest::newRow("decomposed accents composed")
        << QString::fromUtf8("Cafe\u0301.txt") << pdf << "1.2" << QString::fromUtf8("Café.txt");
}

void TestMimeFileName::safeNames()
{
    QFETCH(QString, proposed);
    QFETCH(QString, mimeType);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    QCOMPARE(safeExportFileName(proposed, mimeType, path), expected);
}

void TestMimeFileName::longNamesKeepTheirExtension()
{
    const QString name = safeExportFileName(QString(300, QLatin1Char('a')) + ".pdf", QString());
    QCOMPARE(name.toUtf8().size(), kMaxExportFileNameBytes);
    QVERIFY(name.endsWith(QLatin1String("a.pdf")));

    // Multi-byte characters are never cut in half.
    const QString wide = safeExportFileName(QString(150, QChar(0x20AC)) + ".txt", QString());
    QVERIFY(wide.toUtf8().size() <= kMaxExportFileNameBytes);
    QVERIFY(wide.endsWith(QStringLiteral("€.txt")));
    const QString emoji =
        safeExportFileName(QString::fromUtf8("😀").repeated(100) + ".png", QString());
    QVERIFY(emoji.toUtf8().size() <= kMaxExportFileNameBytes);
    QCOMPARE(QString::fromUtf8(emoji.toUtf8()), emoji);
    QVERIFY(emoji.startsWith(QString::fromUtf8("😀😀")));

    // A very long "extension" is part of the name and is cut like one.
    const QString noExtension =
        safeExportFileName("x." + QString(300, QLatin1Char('b')), QString());
    QCOMPARE(noExtension.toUtf8().size(), kMaxExportFileNameBytes);
}

void TestMimeFileName::duplicatesBecomeUnique()
{
    ExportFileNameSet names;
    QCOMPARE(names.add("report.pdf", "application/pdf"), QStringLiteral("report.pdf"));
    QCOMPARE(names.add("report.pdf", "application/pdf"), QStringLiteral("report (2).pdf"));
    QCOMPARE(names.add("REPORT.PDF", "application/pdf"), QStringLiteral("REPORT (3).PDF"));
    QCOMPARE(names.add("README", "text/plain"), QStringLiteral("README"));
    QCOMPARE(names.add("readme", "text/plain"), QStringLiteral("readme (2)"));
    QCOMPARE(names.add("", "image/png"), QStringLiteral("attachment.png"));
    QCOMPARE(names.add("", "image/png"), QStringLiteral("attachment (2).png"));

    const QString longName = QString(300, QLatin1Char('a')) + ".pdf";
    const QString first = names.add(longName, QString());
    const QString second = names.add(longName, QString());
    QVERIFY(first != second);
    QVERIFY(second.endsWith(QLatin1String(" (2).pdf")));
    QVERIFY(second.toUtf8().size() <= kMaxExportFileNameBytes);
}

void TestMimeFileName::hostileMessage()
{
    QFile file(QFINDTESTDATA("../data/mime/hostile-names.eml"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const DecodedMessage message = decodeMessage(file.readAll());
    ExportFileNameSet names;
    QStringList exported;
    for (const MimePart &part : message.parts) {
        if (part.isAttachment)
            exported.append(names.add(part.fileName, part.contentType, part.path));
    }
    // Inside a quoted string a backslash escapes the next character (RFC 5322), so the second
    // name arrives as "....Windowssystem.ini". GMime's values are C strings: "%00" ends the last.
    QCOMPARE(exported,
             QStringList({"_.._.._etc_passwd", "Windowssystem.ini", "_CON.txt", "invoice_fdp.exe",
                          "report.pdf", "REPORT (2).pdf", "part-1.8.png", "tab_and_newline"}));
}

QTEST_GUILESS_MAIN(TestMimeFileName)
#include "tst_mimefilename.moc"
