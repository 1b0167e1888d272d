// Decode times for generated messages: a 200 KB multipart and a 25 MB message with attachments,
// plus any message files given on the command line. Prints one line per measurement.
//   smtpeek_mime_bench [--runs N] [FILE...]
#include <gmime/gmime.h>

#include "mime/DecodedMessage.h"
#include "mime/Headline.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTextStream>

#include <algorithm>
#include <functional>

namespace {

QByteArray base64Lines(const QByteArray &bytes)
{
    const QByteArray encoded = bytes.toBase64();
    QByteArray out;
    out.reserve(encoded.size() + encoded.size() / 38);
    for (qsizetype i = 0; i < encoded.size(); i += 76)
        out += encoded.mid(i, 76) + "\r\n";
    return out;
}

QByteArray randomBytes(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

QByteArray proseLines(qsizetype size, const QByteArray &line)
{
    QByteArray out;
    while (out.size() < size)
        out += line + "\r\n";
    return out;
}

QByteArray header(const QByteArray &subject, const QByteArray &boundary)
{
    return "From: Bench Sender <bench@example.com>\r\nTo: Receiver <to@example.org>\r\n"
           "Subject: " +
           subject +
           "\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\n"
           "Message-ID: <bench@example.com>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"" +
           boundary + "\"\r\n\r\n";
}

QByteArray attachment(const QByteArray &boundary, const QByteArray &type, const QByteArray &name,
                      const QByteArray &bytes)
{
    return "--" + boundary + "\r\nContent-Type: " + type + "; name=\"" + name +
           "\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "
           "filename=\"" +
           name + "\"\r\n\r\n" + base64Lines(bytes);
}

// What most captured mail looks like: headers and a short text/plain body, about 2 KB.
QByteArray plain2k()
{
    return "From: Bench Sender <bench@example.com>\r\nTo: Receiver <to@example.org>\r\n"
           "Subject: =?UTF-8?Q?Your_order_=E2=80=94_2_KB?=\r\n"
           "Date: Mon, 3 Mar 2025 10:00:00 +0000\r\nMessage-ID: <plain@example.com>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
           proseLines(1700, "Thank you for your order. It ships tomorrow; we will let you know.");
}

// multipart/mixed { multipart/alternative { text/plain QP, text/html QP }, image/png }
QByteArray multipart200k()
{
    const QByteArray line = "Caf=C3=A9 cr=C3=A8me, na=C3=AFve r=C3=A9sum=C3=A9 =E2=80=94 the "
                            "quick brown fox jumps over the lazy dog.";
    QByteArray message = header("=?UTF-8?Q?200_KB_multipart_=E2=80=94_bench?=", "mixed");
    message += "--mixed\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
               "--alt\r\nContent-Type: text/plain; charset=utf-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
               proseLines(60 * 1024, line) +
               "--alt\r\nContent-Type: text/html; charset=utf-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n\r\n<html><body>\r\n" +
               proseLines(80 * 1024, "<p>" + line + "</p>") + "</body></html>\r\n--alt--\r\n";
    message += attachment("mixed", "image/png", "chart.png", randomBytes(45 * 1024, 1));
    return message + "--mixed--\r\n";
}

// A short text body and three attachments, 25 MB in all once base64-encoded.
QByteArray attachments25m()
{
    QByteArray message = header("25 MB of attachments", "mixed");
    message += "--mixed\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n";
    message += attachment("mixed", "application/pdf", "report.pdf", randomBytes(8 << 20, 2));
    message += attachment("mixed", "application/zip", "data.zip", randomBytes(6 << 20, 3));
    message += attachment("mixed", "image/jpeg", "photo.jpg", randomBytes(4 << 20, 4));
    return message + "--mixed--\r\n";
}

double medianMs(int runs, const std::function<void()> &work)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        times.append(timer.nsecsElapsed() / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}

void measure(QTextStream &out, const QString &name, const QByteArray &raw, int runs)
{
    const DecodedMessage decoded = decodeMessage(raw);
    QString largest;
    qint64 largestSize = -1;
    for (const MimePart &part : decoded.parts) {
        if (!part.isMultipart() && part.decodedSize > largestSize) {
            largest = part.path;
            largestSize = part.decodedSize;
        }
    }
    const double mb = raw.size() / 1e6;
    const double decode = medianMs(runs, [&] { decodeMessage(raw); });
    const double headline = medianMs(runs, [&] { readHeadline(raw); });
    const double part = medianMs(runs, [&] { decodePartContent(raw, largest); });
    out << qSetFieldWidth(0) << name << ": " << raw.size() << " bytes, " << decoded.parts.size()
        << " parts, median of " << runs << " runs\n"
        << "  decodeMessage       " << QString::number(decode, 'f', 2) << " ms ("
        << QString::number(mb / (decode / 1000), 'f', 1) << " MB/s)\n"
        << "  readHeadline        " << QString::number(headline, 'f', 2) << " ms\n"
        << "  decodePartContent " << largest << "  " << QString::number(part, 'f', 2) << " ms ("
        << largestSize << " bytes)\n";
    out.flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    g_mime_init();
    QTextStream out(stdout);
    QStringList files = app.arguments().mid(1);
    int runs = 9;
    const qsizetype runsAt = files.indexOf(QStringLiteral("--runs"));
    if (runsAt >= 0 && runsAt + 1 < files.size()) {
        runs = std::max(1, files.at(runsAt + 1).toInt());
        files.remove(runsAt, 2);
    }
    measure(out, QStringLiteral("generated 2 KB text/plain"), plain2k(), runs * 100);
    measure(out, QStringLiteral("generated 200 KB multipart"), multipart200k(), runs);
    measure(out, QStringLiteral("generated 25 MB with attachments"), attachments25m(),
            std::max(1, runs / 3));
    for (const QString &path : std::as_const(files)) {
        QFile file(path);
        if (file.open(QIODevice::ReadOnly))
            measure(out, path, file.readAll(), runs);
    }
    g_mime_shutdown();
    return 0;
}
