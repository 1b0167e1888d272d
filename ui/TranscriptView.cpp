#include "TranscriptView.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QScrollBar>
#include <QTextBlock>

namespace {
const QColor kClient(0x1a, 0x56, 0xb8);
const QColor kServer(0x2b, 0x7a, 0x2f);
const QColor kEvent(0x80, 0x80, 0x80);
const QColor kTime(0x9a, 0x9a, 0x9a);

// Lines of an entry without their line breaks; a pipelined client packet holds several.
QList<QByteArray> linesOf(const QByteArray &bytes)
{
    QList<QByteArray> lines = bytes.split('\n');
    if (lines.size() > 1 && lines.constLast().isEmpty())
        lines.removeLast();
    for (QByteArray &line : lines) {
        if (line.endsWith('\r'))
            line.chop(1);
    }
    return lines;
}
} // namespace

TranscriptView::TranscriptView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setUndoRedoEnabled(false);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
}

void TranscriptView::setTranscript(const Transcript &transcript)
{
    clear();
    setExtraSelections({});
    m_entryFirstBlock.clear();
    append(transcript);
}

void TranscriptView::append(const Transcript &entries)
{
    QScrollBar *bar = verticalScrollBar();
    const bool following = bar->value() >= bar->maximum() - 4;
    for (const TranscriptEntry &entry : entries)
        appendEntry(entry);
    if (following)
        bar->setValue(bar->maximum());
}

void TranscriptView::appendEntry(const TranscriptEntry &entry)
{
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    const bool empty = document()->isEmpty();
    m_entryFirstBlock.push_back(empty ? 0 : document()->blockCount());

    QTextCharFormat time;
    time.setForeground(kTime);
    QTextCharFormat text;
    QString arrow;
    switch (entry.direction) {
    case TranscriptEntry::Direction::Client:
        text.setForeground(kClient);
        arrow = QStringLiteral("C: ");
        break;
    case TranscriptEntry::Direction::Server:
        text.setForeground(kServer);
        arrow = QStringLiteral("S: ");
        break;
    case TranscriptEntry::Direction::Event:
        text.setForeground(kEvent);
        text.setFontItalic(true);
        arrow = QStringLiteral("   ");
        break;
    }
    const QString stamp =
        QDateTime::fromMSecsSinceEpoch(entry.timeMs).toString(QStringLiteral("HH:mm:ss.zzz "));
    bool first = true;
    for (const QByteArray &line : linesOf(entry.bytes)) {
        if (!(empty && first))
            cursor.insertBlock();
        cursor.insertText(stamp, time);
        cursor.insertText(arrow + QString::fromUtf8(line), text);
        first = false;
    }
}

void TranscriptView::highlightEntries(int first, int last)
{
    if (first < 0 || first >= entryCount()) {
        setExtraSelections({});
        return;
    }
    last = qBound(first, last, entryCount() - 1);
    const int firstBlock = m_entryFirstBlock[size_t(first)];
    const int endBlock =
        last + 1 < entryCount() ? m_entryFirstBlock[size_t(last + 1)] : document()->blockCount();
    QList<QTextEdit::ExtraSelection> marks;
    QTextEdit::ExtraSelection mark;
    mark.format.setBackground(QColor(0xff, 0xf3, 0xb0));
    mark.format.setProperty(QTextFormat::FullWidthSelection, true);
    for (int block = firstBlock; block < endBlock; ++block) {
        mark.cursor = QTextCursor(document()->findBlockByNumber(block));
        marks.append(mark);
    }
    setExtraSelections(marks);
    // Scroll so the message's first line is near the top, with a little context above it.
    QTextCursor context(document()->findBlockByNumber(qMax(0, firstBlock - 3)));
    moveCursor(QTextCursor::End);
    setTextCursor(context);
    ensureCursorVisible();
}
