#include "ChecksPane.h"

#include "BackgroundWork.h"
#include "CountText.h"
#include "Icons.h"

#include "checks/DnsKeyRecordSource.h"
#include "checks/HtmlSource.h"
#include "checks/KeyRecordSource.h"
#include "checks/MessageLint.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBlock>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

// What activating a line shows, kept in its item.
enum Role
{
    RawOffsetRole = Qt::UserRole,
    HtmlLineRole,
    HtmlColumnRole,
};

// The cache keeps the checks of this many messages.
constexpr int kCachedMessages = 64;

QString percent(double value)
{
    return QString::number(value, 'f', value >= 99.95 || value < 0.05 ? 0 : 1) + u'%';
}

QTreeWidgetItem *line(QTreeWidgetItem *parent, const QString &text, const QIcon &icon = {})
{
    auto *item = new QTreeWidgetItem(parent, {text});
    item->setIcon(0, icon);
    item->setToolTip(0, text);
    return item;
}

MessageChecks runChecks(const LoadedMessage &message, const QString &dkimKeysFile)
{
    MessageChecks checks;
    const DecodedMessage &decoded = *message.decoded;
    checks.htmlSource = decoded.htmlBody;
    checks.html = checkHtmlCompatibility(decoded.htmlBody.toUtf8());
    checks.lint = lintRecord(message.record, decoded);
    // DNS lookups block this worker thread, never the window, for at most their timeout.
    std::unique_ptr<KeyRecordSource> keys;
    if (dkimKeysFile.isEmpty())
        keys = std::make_unique<DnsKeyRecordSource>();
    else
        keys = std::make_unique<KeyFileSource>(dkimKeysFile);
    checks.auth = authenticateMessage(message.record.raw, *keys);
    checks.links = findMessageLinks(decoded);
    return checks;
}

} // namespace

ChecksPane::ChecksPane(QWidget *parent)
    : QWidget(parent), m_work(new BackgroundWork(1, this)), m_status(new QLabel(this)),
      m_linksButton(new QPushButton(tr("Check links"), this)),
      m_spamButton(new QPushButton(tr("Check spam"), this)), m_tree(new QTreeWidget(this)),
      m_htmlSource(new QPlainTextEdit(this)), m_spamCheck(std::make_unique<SpamCheck>())
{
    m_linksButton->setToolTip(tr("Request every link and image of this message (HEAD, then GET)"
                                 ". Opening a link can confirm a subscription."));
    m_spamButton->setToolTip(tr("Ask SpamAssassin's spamd for its verdict"));
    connect(m_linksButton, &QPushButton::clicked, this, &ChecksPane::checkLinks);
    connect(m_spamButton, &QPushButton::clicked, this, &ChecksPane::checkSpam);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    connect(m_tree, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { activate(item); });
    connect(m_tree, &QTreeWidget::itemClicked, this,
            [this](QTreeWidgetItem *item) { activate(item); });
    m_htmlSource->setReadOnly(true);
    m_htmlSource->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_htmlSource->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_htmlSource->setPlaceholderText(tr("HTML source: select a compatibility finding"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_linksButton);
    buttons->addWidget(m_spamButton);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_htmlSource);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(splitter, 1);
    clear();
}

ChecksPane::~ChecksPane() = default;

void ChecksPane::setSpamAssassin(const QString &address)
{
    m_spamCheck = std::make_unique<SpamCheck>(address);
}

void ChecksPane::setMessage(const QString &key, const LoadedMessage &message)
{
    ++m_ticket;
    m_running = false;
    m_key = key;
    m_message = std::make_unique<LoadedMessage>(message);
    showChecks();
}

void ChecksPane::clear()
{
    ++m_ticket;
    m_running = false;
    m_key.clear();
    m_message.reset();
    showChecks();
}

const MessageChecks *ChecksPane::checks() const
{
    const auto it = m_cache.constFind(m_key);
    return it == m_cache.cend() ? nullptr : it->get();
}

void ChecksPane::run()
{
    if (!m_message || m_running || checks())
        return;
    m_running = true;
    showChecks();
    const quint64 ticket = m_ticket;
    const QString key = m_key;
    const LoadedMessage message = *m_message;
    const QString keysFile = m_dkimKeysFile;
    m_work->run<MessageChecks>([message, keysFile] { return runChecks(message, keysFile); },
                               [this, ticket, key](const MessageChecks &result) {
                                   if (m_cache.size() >= kCachedMessages)
                                       m_cache.clear();
                                   m_cache.insert(key, std::make_shared<MessageChecks>(result));
                                   if (ticket != m_ticket)
                                       return;
                                   m_running = false;
                                   showChecks();
                                   Q_EMIT finished();
                               });
}

void ChecksPane::checkLinks()
{
    const auto it = m_cache.constFind(m_key);
    if (it == m_cache.cend())
        return;
    const std::shared_ptr<MessageChecks> checks = *it;
    LinkCheckSettings settings;
    settings.timeoutMs = m_linkTimeoutMs;
    // The checker runs on this thread's event loop: it waits on sockets, never blocks.
    auto *checker = new LinkChecker(checks->links, settings, this);
    const QString key = m_key;
    connect(checker, &LinkChecker::finished, this,
            [this, checker, checks, key](const LinkCheckReport &report) {
                checks->linkReport = report;
                checker->deleteLater();
                if (key == m_key) {
                    showChecks();
                    Q_EMIT finished();
                }
            });
    m_linksButton->setEnabled(false);
    m_status->setText(tr("Checking %1…").arg(countText(checks->links.size(), "link", "links")));
    checker->start();
}

void ChecksPane::checkSpam()
{
    const auto it = m_cache.constFind(m_key);
    if (it == m_cache.cend() || !m_message)
        return;
    const std::shared_ptr<MessageChecks> checks = *it;
    const QString key = m_key;
    const auto done = [this, checks, key](const SpamReport &report) {
        checks->spamReport = report;
        if (key == m_key) {
            showChecks();
            Q_EMIT finished();
        }
    };
    m_spamButton->setEnabled(false);
    m_status->setText(tr("Asking spamd…"));
    m_spamCheck->check(m_message->record.raw, done);
}

void ChecksPane::showChecks()
{
    m_tree->clear();
    const MessageChecks *current = checks();
    m_linksButton->setEnabled(current != nullptr);
    m_spamButton->setEnabled(current != nullptr);
    if (!m_message) {
        m_status->setText(tr("No message"));
        m_htmlSource->clear();
        return;
    }
    if (!current) {
        m_status->setText(m_running ? tr("Checking…") : QString());
        m_htmlSource->clear();
        return;
    }
    m_status->clear();
    if (m_htmlSource->toPlainText() != current->htmlSource)
        m_htmlSource->setPlainText(current->htmlSource);
    m_tree->addTopLevelItem(htmlItem(*current));
    m_tree->addTopLevelItem(linksItem(*current));
    m_tree->addTopLevelItem(spamItem(*current));
    m_tree->addTopLevelItem(lintItem(*current));
    m_tree->addTopLevelItem(authItem(*current));
}

QTreeWidgetItem *ChecksPane::htmlItem(const MessageChecks &checks)
{
    const HtmlCompatibilityReport &r = checks.html;
    auto *top = new QTreeWidgetItem;
    if (!r.hasHtml) {
        top->setText(0, tr("Compatibility: no HTML part"));
        return top;
    }
    top->setText(0, tr("Compatibility: %1 supported, %2 partial, %3 not supported · %4 to look at")
                        .arg(percent(r.supported), percent(r.partial), percent(r.unsupported),
                             countText(r.warnings.size(), "feature", "features")));
    const bool trouble = r.unsupported > 0 || r.gmailClips || r.partlyChecked;
    top->setIcon(0, trouble ? Icons::warning() : QIcon());
    if (r.gmailClips)
        line(top,
             tr("The HTML is %1 KB: Gmail clips messages over 102 KB and hides the rest")
                 .arg(r.htmlBytes / 1024),
             Icons::warning());
    if (r.partlyChecked)
        line(top, tr("Checked only the first %1 tags or 4 MB of the HTML").arg(kMaxParsedTags),
             Icons::warning());
    if (r.unterminatedCss)
        line(top,
             tr("A CSS comment, string or url() is not closed: the rest of that style is "
                "lost"),
             Icons::warning());
    auto *clients = line(top, tr("By client (worst first)"));
    for (const ClientCompatibility &c : r.clients)
        line(clients,
             tr("%1: %2 supported, %3 partial, %4 not supported")
                 .arg(c.name, percent(c.supported), percent(c.partial), percent(c.unsupported)));
    for (const CompatibilityWarning &w : r.warnings) {
        auto *feature = line(top, tr("%1 (%2): %3 supported, %4 partial, %5 not · used %6")
                                      .arg(w.title, w.category, percent(w.score.supported),
                                           percent(w.score.partial), percent(w.score.unsupported),
                                           countText(w.score.found, "time", "times")));
        feature->setToolTip(0, w.url);
        for (const HtmlLocation &l : w.locations) {
            auto *place = line(feature, tr("line %1, column %2").arg(l.line).arg(l.column));
            place->setData(0, HtmlLineRole, l.line);
            place->setData(0, HtmlColumnRole, l.column);
        }
        if (!w.locations.isEmpty()) { // the feature's line jumps to its first use
            feature->setData(0, HtmlLineRole, w.locations.first().line);
            feature->setData(0, HtmlColumnRole, w.locations.first().column);
        }
        auto *results = line(feature, tr("Unsupported or partial in"));
        for (const CompatibilityResult &result : w.results)
            if (result.support == u"no" || result.support == u"partial")
                line(results, result.noteNumber.isEmpty()
                                  ? tr("%1: %2").arg(result.name, result.support)
                                  : tr("%1: %2 (note %3)")
                                        .arg(result.name, result.support, result.noteNumber));
    }
    line(top, tr("caniemail data of %1").arg(r.dataDate));
    return top;
}

QTreeWidgetItem *ChecksPane::linksItem(const MessageChecks &checks)
{
    auto *top = new QTreeWidgetItem;
    if (!checks.linkReport) {
        top->setText(0, tr("Links: %1, not checked yet (Check links)")
                            .arg(countText(checks.links.size(), "link", "links")));
        for (const QString &url : checks.links)
            line(top, url);
        return top;
    }
    const LinkCheckReport &r = *checks.linkReport;
    top->setText(0, tr("Links: %1 broken of %2").arg(r.errors).arg(r.links.size()));
    top->setIcon(0, r.errors > 0 ? Icons::error() : QIcon());
    if (r.notChecked > 0)
        line(top,
             tr("%1 more links were not checked (at most %2 per message)")
                 .arg(r.notChecked)
                 .arg(kMaxCheckedLinks),
             Icons::warning());
    for (const LinkStatus &link : r.links) {
        auto *item =
            line(top,
                 QStringLiteral("%1 %2 · %3")
                     .arg(link.statusCode ? QString::number(link.statusCode) : QStringLiteral("—"),
                          link.status, link.url),
                 link.isError() ? Icons::error() : QIcon());
        for (const LinkHop &hop : link.redirects)
            line(item, tr("%1 redirect from %2").arg(hop.statusCode).arg(hop.url));
    }
    return top;
}

QTreeWidgetItem *ChecksPane::spamItem(const MessageChecks &checks)
{
    auto *top = new QTreeWidgetItem;
    if (!checks.spamReport) {
        top->setText(0, tr("Spam: not checked yet (Check spam)"));
        return top;
    }
    const SpamReport &r = *checks.spamReport;
    if (!r.error.isEmpty()) {
        top->setText(0, tr("Spam: could not check"));
        top->setIcon(0, Icons::warning());
        line(top, r.error);
        return top;
    }
    top->setText(0, tr("Spam: score %1 of %2 · %3")
                        .arg(r.score, 0, 'f', 1)
                        .arg(r.threshold, 0, 'f', 1)
                        .arg(r.isSpam ? tr("spam") : tr("not spam")));
    top->setIcon(0, r.isSpam ? Icons::error() : QIcon());
    for (const SpamRule &rule : r.rules)
        line(top, QStringLiteral("%1 %2 · %3")
                      .arg(rule.score, 0, 'f', 1)
                      .arg(rule.name, rule.description));
    return top;
}

QTreeWidgetItem *ChecksPane::lintItem(const MessageChecks &checks)
{
    const LintCounts counts = countFindings(checks.lint);
    auto *top = new QTreeWidgetItem;
    top->setText(0, tr("Lint: %1 errors, %2 warnings").arg(counts.errors).arg(counts.warnings));
    top->setIcon(0, counts.errors > 0     ? Icons::error()
                    : counts.warnings > 0 ? Icons::warning()
                                          : QIcon());
    for (const LintFinding &f : checks.lint) {
        const QString place = f.offset >= 0 ? tr("line %1").arg(f.line) : tr("message");
        auto *item =
            line(top,
                 QStringLiteral("%1 · %2 · %3 (%4): %5")
                     .arg(lintSeverityName(f.severity), place, f.id, f.reference, f.message),
                 f.severity == LintSeverity::Error     ? Icons::error()
                 : f.severity == LintSeverity::Warning ? Icons::warning()
                                                       : QIcon());
        item->setToolTip(0, f.fix);
        if (f.offset >= 0)
            item->setData(0, RawOffsetRole, f.offset);
    }
    return top;
}

QTreeWidgetItem *ChecksPane::authItem(const MessageChecks &checks)
{
    const AuthReport &r = checks.auth;
    auto *top = new QTreeWidgetItem;
    if (r.dkim.isEmpty()) {
        top->setText(0, tr("DKIM: no signature"));
    } else {
        const DkimVerification &first = r.dkim.first().verification;
        top->setText(0, tr("DKIM: %1 (%2) · DMARC alignment: %3")
                            .arg(first.result, first.domain,
                                 r.dmarc.aligned ? tr("aligned") : tr("not aligned")));
        top->setIcon(0, first.result == u"pass" ? QIcon() : Icons::error());
    }
    for (const DkimReport &d : r.dkim) {
        const DkimVerification &v = d.verification;
        auto *item = line(top, tr("%1 d=%2 s=%3 %4 · body hash %5, signature %6 · %7")
                                   .arg(v.result, v.domain, v.selector, v.algorithm,
                                        checkOutcomeName(v.bodyHash), checkOutcomeName(v.signature),
                                        v.reason));
        item->setData(0, RawOffsetRole, qint64(v.offset));
    }
    if (!r.dmarc.fromDomain.isEmpty())
        line(top, tr("From domain %1, organisational domain %2")
                      .arg(r.dmarc.fromDomain, r.dmarc.organizationalDomain));
    return top;
}

void ChecksPane::activate(QTreeWidgetItem *item)
{
    if (!item)
        return;
    const QVariant raw = item->data(0, RawOffsetRole);
    if (raw.isValid()) {
        Q_EMIT rawOffsetRequested(raw.toLongLong());
        return;
    }
    const QVariant htmlLine = item->data(0, HtmlLineRole);
    if (htmlLine.isValid())
        showHtmlLocation(htmlLine.toInt(), item->data(0, HtmlColumnRole).toInt());
}

void ChecksPane::showHtmlLocation(int lineNumber, int column)
{
    const QTextBlock block = m_htmlSource->document()->findBlockByNumber(lineNumber - 1);
    if (!block.isValid())
        return;
    // Columns count code points; the text counts UTF-16 units, which differ only beyond the BMP.
    const QString text = block.text();
    const int start = std::clamp(column - 1, 0, int(text.size()));
    int end = start + 1; // the tag, property or rule that starts here
    while (end < text.size() && (text.at(end).isLetterOrNumber() || text.at(end) == u'-'))
        ++end;
    QTextCursor cursor(block);
    cursor.setPosition(block.position() + start);
    cursor.setPosition(block.position() + std::min(end, int(text.size())), QTextCursor::KeepAnchor);
    m_htmlSource->setTextCursor(cursor);
    m_htmlSource->centerCursor();
}
