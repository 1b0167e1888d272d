#pragma once

#include <QFrame>

class QLabel;
class QHBoxLayout;
class QPushButton;

// A one-line message across the top of a pane, with optional action buttons and a close
// button: "Port 2525 is in use", "12 remote resources blocked".
class NoticeBar : public QFrame
{
    Q_OBJECT
public:
    enum class Kind
    {
        Info,
        Warning,
        Error
    };

    explicit NoticeBar(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    QString text() const;
    // Adds a button that stays until the bar is cleared with removeActions().
    QPushButton *addAction(const QString &text);
    void removeActions();

private:
    QLabel *m_label;
    QHBoxLayout *m_actions;
};
