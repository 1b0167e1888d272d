#include "MessagePreview.h"

#include "CountText.h"
#include "NoticeBar.h"
#include "PreviewDeviceBar.h"

#include <QButtonGroup>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

MessagePreview::MessagePreview(bool safeMode, QWidget *parent)
    : QWidget(parent), m_safeMode(safeMode), m_htmlButton(new QToolButton(this)),
      m_textButton(new QToolButton(this)), m_notice(new NoticeBar(this)),
      m_stack(new QStackedWidget(this)), m_text(new QPlainTextEdit(this)),
      m_deviceBar(new PreviewDeviceBar(this)), m_htmlPage(new QWidget(this))
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
    auto *page = new QHBoxLayout(m_htmlPage);
    page->setContentsMargins(0, 0, 0, 0);
    m_stack->addWidget(m_htmlPage);
    connect(m_deviceBar, &PreviewDeviceBar::deviceWidthChanged, this,
            &MessagePreview::setDeviceWidth);
    connect(m_deviceBar, &PreviewDeviceBar::savePdfRequested, this,
            [this] { chooseFileAndSave(QStringLiteral("pdf")); });
    connect(m_deviceBar, &PreviewDeviceBar::savePngRequested, this,
            [this] { chooseFileAndSave(QStringLiteral("png")); });

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_htmlButton);
    bar->addWidget(m_textButton);
    bar->addStretch(1);
    bar->addWidget(m_deviceBar);
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
        m_html = createHtmlPreview(m_safeMode, m_htmlPage);
        m_htmlPage->layout()->addWidget(m_html);
        setDeviceWidth(m_deviceWidth);
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
    m_stack->setCurrentWidget(html ? m_htmlPage : static_cast<QWidget *>(m_text));
    m_deviceBar->setEnabled(html);
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

void MessagePreview::setDeviceWidth(int width)
{
    m_deviceWidth = width;
    m_deviceBar->setDeviceWidth(width);
    if (!m_html)
        return;
    m_html->setMinimumWidth(width);
    m_html->setMaximumWidth(width > 0 ? width : QWIDGETSIZE_MAX);
    auto *page = static_cast<QHBoxLayout *>(m_htmlPage->layout());
    page->setAlignment(m_html, width > 0 ? Qt::AlignHCenter : Qt::Alignment());
}

void MessagePreview::savePdf(const QString &path, std::function<void(bool ok)> done)
{
    if (!m_html || m_mode != Mode::Html) {
        done(false);
        return;
    }
    m_html->saveAsPdf(path, std::move(done));
}

bool MessagePreview::savePng(const QString &path)
{
    return m_html && m_mode == Mode::Html && m_html->grab().save(path, "PNG");
}

void MessagePreview::chooseFileAndSave(const QString &suffix)
{
    const QString subject = m_message.decoded ? m_message.decoded->subject : QString();
    QString name = subject.isEmpty() ? QStringLiteral("message") : subject;
    name.replace(QRegularExpression(QStringLiteral("[^\\w .-]+")), QStringLiteral("_"));
    const QString path = QFileDialog::getSaveFileName(
        this, suffix == u"pdf" ? tr("Save as PDF") : tr("Save as PNG"),
        name.left(80) + u'.' + suffix,
        suffix == u"pdf" ? tr("PDF (*.pdf)") : tr("PNG image (*.png)"));
    if (path.isEmpty())
        return;
    const auto report = [this, path](bool ok) {
        if (!ok)
            QMessageBox::warning(this, tr("Save"), tr("Could not write %1").arg(path));
    };
    if (suffix == u"pdf")
        savePdf(path, report);
    else
        report(savePng(path));
}
