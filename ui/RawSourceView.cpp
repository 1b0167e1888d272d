#include "RawSourceView.h"

#include "LoadedMessage.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

RawSourceView::RawSourceView(QWidget *parent)
    : QWidget(parent), m_text(new QPlainTextEdit(this)), m_truncatedNote(new QWidget(this)),
      m_truncatedText(new QLabel(m_truncatedNote)), m_findBar(new QWidget(this)),
      m_findField(new QLineEdit(m_findBar)),
      m_matchCase(new QCheckBox(tr("Match case"), m_findBar)), m_findStatus(new QLabel(m_findBar))
{
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setUndoRedoEnabled(false);
    m_truncatedText->setWordWrap(true);
    auto *showAll = new QPushButton(tr("Show everything"), m_truncatedNote);
    auto *noteLayout = new QHBoxLayout(m_truncatedNote);
    noteLayout->setContentsMargins(4, 2, 4, 2);
    noteLayout->addWidget(m_truncatedText, 1);
    noteLayout->addWidget(showAll);
    m_truncatedNote->hide();
    connect(showAll, &QPushButton::clicked, this, [this] {
        // The user asked for it: a long layout is expected now.
        m_text->setPlainText(rawSourceText(m_raw));
        m_truncatedNote->hide();
    });

    m_findField->setPlaceholderText(tr("Find in source"));
    m_findField->setClearButtonEnabled(true);
    auto *previous = new QToolButton(m_findBar);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+F3)"));
    auto *next = new QToolButton(m_findBar);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (F3)"));
    auto *findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(0, 0, 0, 0);
    findLayout->addWidget(m_findField, 1);
    findLayout->addWidget(previous);
    findLayout->addWidget(next);
    findLayout->addWidget(m_matchCase);
    findLayout->addWidget(m_findStatus);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_truncatedNote);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_findBar);

    connect(m_findField, &QLineEdit::returnPressed, this, [this] { findFromBar(false); });
    connect(m_findField, &QLineEdit::textEdited, this, [this] {
        // Search as you type, from the start of the current match.
        QTextCursor cursor = m_text->textCursor();
        cursor.setPosition(cursor.selectionStart());
        m_text->setTextCursor(cursor);
        findFromBar(false);
    });
    connect(next, &QToolButton::clicked, this, [this] { findFromBar(false); });
    connect(previous, &QToolButton::clicked, this, [this] { findFromBar(true); });

    // Shortcuts are owned by their parent widget. Ctrl+F stays the window's search.
    new QShortcut(
        QKeySequence::FindNext, this, this, [this] { findFromBar(false); },
        Qt::WidgetWithChildrenShortcut);
    new QShortcut(
        QKeySequence::FindPrevious, this, this, [this] { findFromBar(true); },
        Qt::WidgetWithChildrenShortcut);
    new QShortcut(
        QKeySequence(Qt::SHIFT | Qt::Key_Return), m_findField, [this] { findFromBar(true); },
        Qt::WidgetShortcut);
}

void RawSourceView::setSource(const QString &text, const QByteArray &raw, bool truncated)
{
    m_text->setPlainText(text);
    m_raw = raw;
    m_findStatus->clear();
    if (truncated) {
        m_truncatedText->setText(tr("Showing the first %1 of %2.")
                                     .arg(QLocale().formattedDataSize(text.size()),
                                          QLocale().formattedDataSize(raw.size())));
    }
    m_truncatedNote->setVisible(truncated);
}

void RawSourceView::showByteOffset(qint64 offset)
{
    // By line and column, which do not depend on how the text widget stores line breaks.
    const QByteArray before = m_raw.left(std::clamp<qint64>(offset, 0, m_raw.size()));
    const int line = static_cast<int>(before.count('\n'));
    const QByteArray lineStart = before.mid(before.lastIndexOf('\n') + 1);
    const qsizetype column =
        rawSourceIsLatin1(m_raw) ? lineStart.size() : QString::fromUtf8(lineStart).size();
    const QTextBlock block = m_text->document()->findBlockByNumber(line);
    if (!block.isValid())
        return; // beyond the part of the source on display
    QTextCursor cursor(block);
    cursor.setPosition(block.position() +
                       static_cast<int>(std::min<qsizetype>(column, block.length() - 1)));
    cursor.movePosition(QTextCursor::EndOfLine, QTextCursor::KeepAnchor);
    m_text->setTextCursor(cursor);
    m_text->centerCursor();
    m_text->setFocus();
}

QString RawSourceView::text() const
{
    return m_text->toPlainText();
}

void RawSourceView::focusFindField()
{
    m_findField->setFocus();
    m_findField->selectAll();
}

bool RawSourceView::find(const QString &needle, bool backwards)
{
    QTextDocument::FindFlags flags;
    if (backwards)
        flags |= QTextDocument::FindBackward;
    if (m_matchCase->isChecked())
        flags |= QTextDocument::FindCaseSensitively;
    if (m_text->find(needle, flags))
        return true;
    // Wrap around once.
    QTextCursor cursor = m_text->textCursor();
    cursor.movePosition(backwards ? QTextCursor::End : QTextCursor::Start);
    m_text->setTextCursor(cursor);
    return m_text->find(needle, flags);
}

void RawSourceView::findFromBar(bool backwards)
{
    const QString needle = m_findField->text();
    if (needle.isEmpty()) {
        m_findStatus->clear();
        return;
    }
    m_findStatus->setText(find(needle, backwards) ? QString() : tr("Not found"));
}
