#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

// The raw source of a message in a monospace view with a find bar below it (Enter or F3 for
// the next match, Shift+Enter or Shift+F3 for the previous one).
class RawSourceView : public QWidget
{
    Q_OBJECT
public:
    explicit RawSourceView(QWidget *parent = nullptr);

    // `text` is `raw` as text, or only its beginning when `truncated`.
    void setSource(const QString &text, const QByteArray &raw, bool truncated);
    QString text() const;
    void focusFindField();
    bool find(const QString &needle, bool backwards = false);
    // Puts the cursor at byte `offset` of the raw message and shows that line (a lint finding).
    void showByteOffset(qint64 offset);

private:
    void findFromBar(bool backwards);

    QPlainTextEdit *m_text;
    QWidget *m_truncatedNote;
    QLabel *m_truncatedText;
    QByteArray m_raw;
    QWidget *m_findBar;
    QLineEdit *m_findField;
    QCheckBox *m_matchCase;
    QLabel *m_findStatus;
};
