#include "NoticeBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

NoticeBar::NoticeBar(QWidget *parent) : QFrame(parent), m_label(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    m_actions = new QHBoxLayout;
    layout->addLayout(m_actions);
    layout->addWidget(close);
    hide();
}

void NoticeBar::showMessage(Kind kind, const QString &text)
{
    QColor background;
    QColor border;
    switch (kind) {
    case Kind::Info:
        background = QColor(0xe3, 0xf0, 0xfd);
        border = QColor(0x90, 0xb8, 0xe8);
        break;
    case Kind::Warning:
        background = QColor(0xff, 0xf4, 0xd6);
        border = QColor(0xe0, 0xb8, 0x50);
        break;
    case Kind::Error:
        background = QColor(0xfd, 0xe4, 0xe4);
        border = QColor(0xe0, 0x80, 0x80);
        break;
    }
    setStyleSheet(QStringLiteral("NoticeBar { background: %1; border: 1px solid %2; "
                                 "border-radius: 3px; } QLabel { color: #202020; }")
                      .arg(background.name(), border.name()));
    m_label->setText(text);
    show();
}

QString NoticeBar::text() const
{
    return m_label->text();
}

QPushButton *NoticeBar::addAction(const QString &text)
{
    auto *button = new QPushButton(text, this);
    m_actions->addWidget(button);
    return button;
}

void NoticeBar::removeActions()
{
    while (QLayoutItem *item = m_actions->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}
