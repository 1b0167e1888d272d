#pragma once

#include "LoadedMessage.h"

#include "api/SpamCheck.h"
#include "checks/HtmlCompatibility.h"
#include "checks/LinkCheck.h"
#include "checks/LintFinding.h"
#include "checks/MessageAuth.h"

#include <QHash>
#include <QWidget>

#include <memory>

class BackgroundWork;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

// The checks of one message, gathered in one place.
struct MessageChecks
{
    HtmlCompatibilityReport html;
    QString htmlSource; // the HTML body the compatibility findings point into
    QList<LintFinding> lint;
    AuthReport auth;
    QStringList links; // found when the other checks ran; checked only on demand
    std::optional<LinkCheckReport> linkReport;
    std::optional<SpamReport> spamReport;
};

// The Checks tab: a summary line per check (HTML compatibility, links, spam, lint, DKIM) that
// expands to its details. Compatibility, lint and authentication run in a worker thread when
// the tab is first shown for a message; links and spam only when asked (opening links can
// confirm a subscription; spamd may be slow). Results are kept per message for the session.
// Activating a finding shows its place: lint in the Raw tab (rawOffsetRequested), compatibility
// in the HTML source below the list.
class ChecksPane : public QWidget
{
    Q_OBJECT
public:
    explicit ChecksPane(QWidget *parent = nullptr);
    ~ChecksPane() override;

    // spamd for "Check spam": HOST:PORT or "auto" (--spamassassin); empty: none.
    void setSpamAssassin(const QString &address);
    // DKIM keys from this file instead of DNS (--dkim-keys).
    void setDkimKeysFile(const QString &path) { m_dkimKeysFile = path; }
    void setLinkTimeout(int milliseconds) { m_linkTimeoutMs = milliseconds; }

    // Shows `message`; `key` names it in the cache. The checks start with run() (the inspector
    // calls it when the tab is shown).
    void setMessage(const QString &key, const LoadedMessage &message);
    void clear();
    void run();
    void checkLinks();
    void checkSpam();

    bool isRunning() const { return m_running; }
    const MessageChecks *checks() const; // of the message on display, once they ran
    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *htmlSource() const { return m_htmlSource; }
    QPushButton *linksButton() const { return m_linksButton; }
    QPushButton *spamButton() const { return m_spamButton; }
    // Moves the HTML source to `line`:`column` (1-based) and selects the name that starts there.
    void showHtmlLocation(int line, int column);

Q_SIGNALS:
    void rawOffsetRequested(qint64 offset);
    void finished(); // a check finished and its lines are up to date

private:
    void showChecks();
    void activate(QTreeWidgetItem *item);
    QTreeWidgetItem *htmlItem(const MessageChecks &checks);
    QTreeWidgetItem *linksItem(const MessageChecks &checks);
    QTreeWidgetItem *spamItem(const MessageChecks &checks);
    QTreeWidgetItem *lintItem(const MessageChecks &checks);
    QTreeWidgetItem *authItem(const MessageChecks &checks);

    BackgroundWork *m_work;
    QLabel *m_status;
    QPushButton *m_linksButton;
    QPushButton *m_spamButton;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_htmlSource;
    QString m_key;
    std::unique_ptr<LoadedMessage> m_message;
    QHash<QString, std::shared_ptr<MessageChecks>> m_cache;
    bool m_running = false;
    quint64 m_ticket = 0;
    std::unique_ptr<SpamCheck> m_spamCheck;
    QString m_dkimKeysFile;
    int m_linkTimeoutMs = LinkCheckSettings().timeoutMs;
};
