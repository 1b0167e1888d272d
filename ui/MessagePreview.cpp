#include "MessagePreview.h"

#include "CountText.h"
#include "NoticeBar.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

MessagePreview::MessagePreview(bool safeMode, QWidget *parent)
    : QWidget(parent), m_safeMode(safeMode), m_htmlButton(new QToolButton(this)),
      m_textButton(new QToolButton(this)), m_notice(new NoticeBar(this)),
      m_stack(new QStackedWidget(this)), m_text(new QPlainTextEdit(this))
{
    m_htmlButton->setText(tr("HTML"));
    m_textButton->setText(tr("Text"));
    for (QToolButton *button : {m_htmlButton, m_textButton}) {
        button->setCheckable(true);
        button->setAutoRaise(true);
    }
    m_htmlButton->setToolTip(tr("Show the HTML body (Ctrl+T toggles)"));
    m_textButton->setToolTip(tr("Show the plain-text body (Ctrl+T toggles)"));
    auto *group = new QButtonGroup(this);
    group->addButton(m_htmlButton);
    group->addButton(m_textButton);
    m_htmlButton->setChecked(true);
    connect(m_htmlButton, &QToolButton::clicked, this, [this] { setMode(Mode::Html); });
    connect(m_textButton, &QToolButton::clicked, this, [this] { setMode(Mode::Text); });

    m_text->setReadOnly(true);
    m_text->setUndoRedoEnabled(false);
    m_stack->addWidget(m_text);

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_htmlButton);
    bar->addWidget(m_textButton);
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_notice);
    layout->addWidget(m_stack, 1);
}

HtmlPreview *MessagePreview::ensureHtmlPreview()
{
    if (!m_html) {
        m_html = createHtmlPreview(m_safeMode, this);
        m_stack->addWidget(m_html);
        connect(m_html, &HtmlPreview::blockedRequestsChanged, this, &MessagePreview::updateNotice);
    }
    return m_html;
}

void MessagePreview::setMessage(const PreviewMessage &message)
{
    m_message = message;
    const bool hasHtml = message.decoded && !message.decoded->htmlBody.isEmpty();
    const bool hasText = message.decoded && !message.decoded->textBody.isEmpty();
    m_htmlButton->setEnabled(hasHtml);
    m_textButton->setEnabled(hasText || !hasHtml);
    m_text->setPlainText(hasText   ? message.decoded->textBody
                         : hasHtml ? tr("(This message has no plain-text body.)")
                                   : tr("(This message has no body.)"));
    if (hasHtml)
        ensureHtmlPreview()->setMessage(message, m_remoteAllowed.contains(message.key));
    else if (m_html)
        m_html->clear();
    updateNotice(0);
    showCurrent();
}

void MessagePreview::clear()
{
    m_message = PreviewMessage();
    m_text->clear();
    if (m_html)
        m_html->clear();
    m_notice->hide();
}

void MessagePreview::setMode(Mode mode)
{
    m_mode = mode;
    showCurrent();
}

void MessagePreview::toggleMode()
{
    setMode(m_mode == Mode::Html ? Mode::Text : Mode::Html);
}

void MessagePreview::showCurrent()
{
    const bool hasHtml = m_message.decoded && !m_message.decoded->htmlBody.isEmpty();
    const bool html = hasHtml && m_mode == Mode::Html;
    (html ? m_htmlButton : m_textButton)->setChecked(true);
    m_stack->setCurrentWidget(html ? static_cast<QWidget *>(m_html) : m_text);
    m_notice->setVisible(html && m_html && m_html->blockedRequests() > 0);
}

void MessagePreview::updateNotice(int blocked)
{
    if (blocked <= 0 || !m_html || m_mode != Mode::Html) {
        m_notice->hide();
        return;
    }
    m_notice->removeActions();
    if (m_html->canLoadRemote()) {
        m_notice->showMessage(
            NoticeBar::Kind::Info,
            tr("%1 blocked").arg(countText(blocked, "remote resource", "remote resources")));
        QPushButton *load = m_notice->addAction(tr("Load for this message"));
        connect(load, &QPushButton::clicked, this, [this] {
            m_remoteAllowed.insert(m_message.key);
            m_notice->hide();
            m_html->setMessage(m_message, true);
        });
    } else {
        m_notice->showMessage(NoticeBar::Kind::Info,
                              tr("%1 not shown: the safe viewer never loads remote content")
                                  .arg(countText(blocked, "remote resource", "remote resources")));
    }
}
