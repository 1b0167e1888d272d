#include "RelaySettingsSection.h"

#include "Options.h"
#include "api/SessionJson.h"
#include "relay/RecipientRules.h"
#include "relay/RelayClient.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

namespace {
const RelayTarget::Tls kTlsModes[] = {RelayTarget::Tls::Auto, RelayTarget::Tls::StartTls,
                                      RelayTarget::Tls::Smtps, RelayTarget::Tls::Off};
enum AutoRelay
{
    Never,
    All,
    Matching
};
} // namespace

RelaySettingsSection::RelaySettingsSection(QWidget *parent)
    : SettingsSection(parent), m_server(new QLineEdit(this)), m_tls(new QComboBox(this)),
      m_insecure(
          new QCheckBox(tr("Accept a certificate that cannot be verified (self-signed)"), this)),
      m_user(new QLineEdit(this)), m_password(new QLineEdit(this)),
      m_rememberPassword(new QCheckBox(tr("Remember the password in the config file"), this)),
      m_from(new QLineEdit(this)), m_allowed(new QLineEdit(this)), m_blocked(new QLineEdit(this)),
      m_auto(new QComboBox(this)), m_matching(new QLineEdit(this)), m_forward(new QLineEdit(this)),
      m_freshHeaders(new QCheckBox(tr("Give copies a new Message-ID and Date"), this)),
      m_problem(new QLabel(this)), m_test(new QPushButton(tr("&Test connection"), this)),
      m_result(new QPlainTextEdit(this))
{
    m_server->setPlaceholderText(tr("smtp.example.com:587 (empty: no relay)"));
    m_tls->addItems({tr("STARTTLS when offered"), tr("STARTTLS, required"),
                     tr("Implicit TLS (SMTPS)"), tr("None")});
    m_password->setEchoMode(QLineEdit::Password);
    m_from->setPlaceholderText(tr("the captured sender"));
    m_allowed->setPlaceholderText(tr("regular expression; empty: anyone"));
    m_blocked->setPlaceholderText(tr("regular expression; empty: nobody"));
    m_auto->addItems({tr("Never"), tr("Every message, to its recipients"),
                      tr("Messages to recipients matching:")});
    m_forward->setPlaceholderText(tr("addresses, comma-separated"));
    m_problem->setWordWrap(true);
    m_result->setReadOnly(true);
    m_result->setMaximumBlockCount(500);
    m_result->setPlaceholderText(tr("The upstream's greeting and EHLO appear here."));

    auto *form = new QFormLayout(this);
    form->addRow(tr("Upstream server:"), m_server);
    form->addRow(tr("TLS:"), m_tls);
    form->addRow(QString(), m_insecure);
    form->addRow(tr("User:"), m_user);
    form->addRow(tr("Password:"), m_password);
    form->addRow(QString(), m_rememberPassword);
    form->addRow(tr("Send as (MAIL FROM):"), m_from);
    form->addRow(tr("Allowed recipients:"), m_allowed);
    form->addRow(tr("Blocked recipients:"), m_blocked);
    form->addRow(tr("Auto-relay:"), m_auto);
    form->addRow(QString(), m_matching);
    form->addRow(tr("Forward a copy to:"), m_forward);
    form->addRow(QString(), m_freshHeaders);
    form->addRow(QString(), m_problem);
    form->addRow(QString(), settingsHint(tr("Relay settings apply when saved; messages already on "
                                            "their way finish as they began."),
                                         this));
    form->addRow(m_test);
    form->addRow(m_result);

    for (QLineEdit *field : {m_server, m_from, m_allowed, m_blocked, m_matching, m_forward})
        connect(field, &QLineEdit::textChanged, this, &RelaySettingsSection::validate);
    connect(m_auto, &QComboBox::currentIndexChanged, this, &RelaySettingsSection::validate);
    connect(m_test, &QPushButton::clicked, this, &RelaySettingsSection::testConnection);
}

RelaySettingsSection::~RelaySettingsSection() = default;

void RelaySettingsSection::load(const DesktopSettings &settings)
{
    const RelaySettings &relay = settings.relay;
    m_loaded = relay;
    m_server->setText(relay.target.configured() ? relay.target.address() : QString());
    m_tls->setCurrentIndex(
        int(std::find(std::begin(kTlsModes), std::end(kTlsModes), relay.target.tls) -
            std::begin(kTlsModes)));
    m_insecure->setChecked(relay.target.insecure);
    m_user->setText(relay.target.user);
    m_password->setText(relay.target.password);
    m_from->setText(QString::fromUtf8(relay.returnPath));
    m_allowed->setText(relay.allowedRecipients);
    m_blocked->setText(relay.blockedRecipients);
    m_auto->setCurrentIndex(relay.relayAll                  ? All
                            : relay.relayMatching.isEmpty() ? Never
                                                            : Matching);
    m_matching->setText(relay.relayMatching);
    m_forward->setText(QString::fromUtf8(relay.forward.join(", ")));
    m_freshHeaders->setChecked(relay.freshHeaders);
    validate();
}

RelayTarget RelaySettingsSection::target() const
{
    RelayTarget target = m_loaded.target;
    if (!parseRelayAddress(m_server->text().trimmed(), &target.host, &target.port))
        target.host.clear();
    target.tls = kTlsModes[std::max(0, m_tls->currentIndex())];
    target.insecure = m_insecure->isChecked();
    target.user = m_user->text().trimmed();
    target.password = m_password->text();
    return target;
}

void RelaySettingsSection::apply(DesktopSettings &settings) const
{
    RelaySettings relay = m_loaded;
    relay.target = target();
    if (!m_rememberPassword->isChecked())
        relay.target.password = m_loaded.target.password; // typed for a test, not kept
    relay.returnPath = m_from->text().trimmed().toUtf8();
    relay.allowedRecipients = m_allowed->text().trimmed();
    relay.blockedRecipients = m_blocked->text().trimmed();
    relay.relayAll = m_auto->currentIndex() == All;
    relay.relayMatching =
        m_auto->currentIndex() == Matching ? m_matching->text().trimmed() : QString();
    relay.forward.clear();
    for (const QString &address : m_forward->text().split(u',', Qt::SkipEmptyParts)) {
        if (isPlausibleAddress(address.trimmed().toUtf8()))
            relay.forward.append(address.trimmed().toUtf8());
    }
    relay.freshHeaders = m_freshHeaders->isChecked();
    settings.relay = relay;
}

void RelaySettingsSection::validate()
{
    QStringList problems;
    const QString server = m_server->text().trimmed();
    QString host;
    quint16 port = 0;
    if (!server.isEmpty() && !parseRelayAddress(server, &host, &port))
        problems.append(tr("The upstream server is HOST:PORT, e.g. smtp.example.com:587."));
    for (QLineEdit *field : {m_allowed, m_blocked, m_matching}) {
        const QString why = RecipientRules::patternProblem(field->text());
        if (!field->text().isEmpty() && !why.isEmpty())
            problems.append(why);
    }
    const QByteArray from = m_from->text().trimmed().toUtf8();
    if (!from.isEmpty() && !isPlausibleAddress(from))
        problems.append(tr("'%1' is not an email address.").arg(m_from->text()));
    for (const QString &address : m_forward->text().split(u',', Qt::SkipEmptyParts)) {
        if (!isPlausibleAddress(address.trimmed().toUtf8()))
            problems.append(tr("'%1' is not an email address.").arg(address.trimmed()));
    }
    m_matching->setEnabled(m_auto->currentIndex() == Matching);
    m_problem->setText(problems.join(u'\n'));
    m_test->setEnabled(!server.isEmpty() && !host.isEmpty() && !m_probe);
}

void RelaySettingsSection::testConnection()
{
    const RelayTarget upstream = target();
    if (!upstream.configured())
        return;
    m_result->setPlainText(tr("Connecting to %1…").arg(upstream.address()));
    m_probe = std::make_unique<RelayClient>(upstream, OutgoingMessage{});
    m_test->setEnabled(false);
    connect(m_probe.get(), &RelayClient::finished, this, [this](const DeliveryAttempt &attempt) {
        const QString text =
            attempt.reason + u'\n' + QString::fromUtf8(transcriptText(attempt.transcript));
        m_result->setPlainText(text);
        const bool ok = attempt.result == DeliveryAttempt::Result::Delivered;
        m_probe.release()->deleteLater(); // in its own signal: not deleted here
        validate();
        Q_EMIT tested(ok);
    });
    m_probe->start();
}
