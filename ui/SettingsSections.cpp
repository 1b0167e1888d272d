#include "SettingsSections.h"

#include "api/ApiSettings.h"
#include "server/TlsCredentials.h"
#include "store/StoreOpener.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QMessageBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QSysInfo>

namespace {
constexpr qint64 kMiB = 1024 * 1024;

QSpinBox *countBox(QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, 100000000);
    box->setSpecialValueText(QObject::tr("keep all"));
    box->setGroupSeparatorShown(true);
    return box;
}
} // namespace

QLabel *settingsHint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
    label->setPalette(palette);
    return label;
}

ServerSettingsSection::ServerSettingsSection(QWidget *parent)
    : SettingsSection(parent), m_address(new QLineEdit(this)), m_port(new QSpinBox(this)),
      m_hostname(new QLineEdit(this)), m_maxSizeMiB(new QSpinBox(this)),
      m_startOnLaunch(new QCheckBox(tr("Start listening when smtpeek starts"), this))
{
    m_port->setRange(0, 65535);
    m_maxSizeMiB->setRange(1, 1024 * 1024);
    m_maxSizeMiB->setSuffix(tr(" MiB"));
    m_hostname->setPlaceholderText(tr("this machine's name"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("Listen address:"), m_address);
    form->addRow(QString(), settingsHint(tr("127.0.0.1 accepts mail from this machine only; 0.0.0.0 "
                                    "from the whole network."),
                                 this));
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Hostname:"), m_hostname);
    form->addRow(QString(), settingsHint(tr("The name in the greeting and the EHLO reply."), this));
    form->addRow(tr("Largest message:"), m_maxSizeMiB);
    form->addRow(QString(), m_startOnLaunch);
    form->addRow(QString(), settingsHint(tr("Address and port apply at the next Start."), this));
}

void ServerSettingsSection::load(const DesktopSettings &s)
{
    m_address->setText(s.listenAddress);
    m_port->setValue(s.listenPort);
    m_hostname->setText(s.hostname);
    m_maxSizeMiB->setValue(int(qMax<qint64>(1, s.maxMessageSize / kMiB)));
    m_startOnLaunch->setChecked(s.startOnLaunch);
}

void ServerSettingsSection::apply(DesktopSettings &s) const
{
    s.listenAddress = m_address->text().trimmed();
    s.listenPort = quint16(m_port->value());
    s.hostname = m_hostname->text().trimmed();
    s.maxMessageSize = qint64(m_maxSizeMiB->value()) * kMiB;
    s.startOnLaunch = m_startOnLaunch->isChecked();
}

AutomationSettingsSection::AutomationSettingsSection(QWidget *parent)
    : SettingsSection(parent), m_webhookUrl(new QLineEdit(this)),
      m_webhookLimit(new QSpinBox(this)), m_problem(settingsHint(QString(), this))
{
    m_webhookUrl->setPlaceholderText(QStringLiteral("https://ci.example.test/hooks/mail"));
    m_webhookLimit->setRange(0, 100000);
    m_webhookLimit->setSpecialValueText(tr("no limit"));
    m_webhookLimit->setSuffix(tr(" per second"));
    auto *form = new QFormLayout(this);
    form->addRow(tr("Webhook URL:"), m_webhookUrl);
    form->addRow(QString(), m_problem);
    form->addRow(tr("Webhook rate:"), m_webhookLimit);
    form->addRow(QString(), settingsHint(tr("Each stored message's summary is POSTed there as "
                                            "JSON, retried on 5xx and connection errors; "
                                            "failures show in the status bar. Applies at the "
                                            "next launch."),
                                         this));
    connect(m_webhookUrl, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString url = text.trimmed();
        m_problem->setText(url.isEmpty() || isWebhookUrl(url)
                               ? QString()
                               : tr("Not an http(s) URL: it will not be saved."));
    });
}

void AutomationSettingsSection::load(const DesktopSettings &s)
{
    m_webhookUrl->setText(s.webhookUrl);
    m_webhookLimit->setValue(s.webhookLimit);
}

void AutomationSettingsSection::apply(DesktopSettings &s) const
{
    const QString url = m_webhookUrl->text().trimmed();
    if (url.isEmpty() || isWebhookUrl(url))
        s.webhookUrl = url;
    s.webhookLimit = m_webhookLimit->value();
}

StorageSettingsSection::StorageSettingsSection(QWidget *parent)
    : SettingsSection(parent), m_file(new QRadioButton(tr("In a database file"), this)),
      m_memory(new QRadioButton(tr("In memory only (lost when smtpeek quits)"), this)),
      m_path(new QLineEdit(this)), m_retainMessages(countBox(this)),
      m_retainSessions(countBox(this))
{
    m_path->setPlaceholderText(QDir::toNativeSeparators(defaultDatabasePath()));
    auto *browse = new QPushButton(tr("Choose…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Database file"), m_path->text(), tr("SQLite databases (*.sqlite *.db)"),
            nullptr, QFileDialog::DontConfirmOverwrite);
        if (!path.isEmpty())
            m_path->setText(path);
    });
    connect(m_file, &QRadioButton::toggled, m_path, &QWidget::setEnabled);
    connect(m_file, &QRadioButton::toggled, browse, &QWidget::setEnabled);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Keep mail:"), m_file);
    form->addRow(QString(), pathRow);
    form->addRow(QString(), m_memory);
    form->addRow(QString(), settingsHint(tr("Where mail is kept changes at the next launch."), this));
    form->addRow(tr("Newest messages kept:"), m_retainMessages);
    form->addRow(tr("Newest sessions kept:"), m_retainSessions);
}

void StorageSettingsSection::load(const DesktopSettings &s)
{
    (s.memoryStore ? m_memory : m_file)->setChecked(true);
    m_path->setEnabled(!s.memoryStore);
    m_path->setText(s.databasePath);
    m_retainMessages->setValue(int(qMin<qint64>(s.retainMessages, m_retainMessages->maximum())));
    m_retainSessions->setValue(int(qMin<qint64>(s.retainSessions, m_retainSessions->maximum())));
}

void StorageSettingsSection::apply(DesktopSettings &s) const
{
    s.memoryStore = m_memory->isChecked();
    s.databasePath = m_path->text().trimmed();
    s.retainMessages = m_retainMessages->value();
    s.retainSessions = m_retainSessions->value();
}

DisplaySettingsSection::DisplaySettingsSection(QWidget *parent)
    : SettingsSection(parent), m_notify(new QCheckBox(tr("Notify me when new mail arrives"), this)),
      m_safePreview(new QCheckBox(tr("Safe mode: render HTML with the simple viewer"), this))
{
    auto *form = new QFormLayout(this);
    form->addRow(m_notify);
    form->addRow(settingsHint(tr("At most one notification every few seconds, however much mail "
                         "arrives."),
                      this));
    form->addRow(m_safePreview);
    form->addRow(settingsHint(tr("The simple viewer never loads remote content and shows basic "
                         "HTML only. Applies at the next launch."),
                      this));
}

void DisplaySettingsSection::load(const DesktopSettings &s)
{
    m_notify->setChecked(s.notifyNewMail);
    m_safePreview->setChecked(s.safePreview);
}

void DisplaySettingsSection::apply(DesktopSettings &s) const
{
    s.notifyNewMail = m_notify->isChecked();
    s.safePreview = m_safePreview->isChecked();
}

SecuritySettingsSection::SecuritySettingsSection(QWidget *parent)
    : SettingsSection(parent), m_tlsOff(new QRadioButton(tr("No TLS"), this)),
      m_tlsAuto(new QRadioButton(tr("Self-signed certificate made by smtpeek"), this)),
      m_tlsFiles(new QRadioButton(tr("My certificate and key (PEM files):"), this)),
      m_certificate(new QLineEdit(this)), m_key(new QLineEdit(this)),
      m_smtpsPort(new QSpinBox(this)),
      m_requireTls(new QCheckBox(tr("Refuse MAIL before STARTTLS (530 5.7.0)"), this)),
      m_auth(new QComboBox(this)), m_usersFile(new QLineEdit(this)),
      m_requireAuth(new QCheckBox(tr("Refuse MAIL before AUTH (530 5.7.0)"), this)),
      m_authOverTlsOnly(new QCheckBox(tr("Offer AUTH only over TLS (538 5.7.11)"), this)),
      m_showSecrets(new QCheckBox(tr("Show AUTH secrets in transcripts"), this)),
      m_fingerprint(new QLabel(this))
{
    m_certificate->setPlaceholderText(tr("certificate.pem"));
    m_key->setPlaceholderText(tr("key.pem (unencrypted)"));
    m_smtpsPort->setRange(0, 65535);
    m_smtpsPort->setSpecialValueText(tr("off"));
    m_auth->addItem(tr("Accept any user and password, and record them"), QStringLiteral("any"));
    m_auth->addItem(tr("Only the users in a file (user:password lines)"), QStringLiteral("users"));
    m_auth->addItem(tr("Do not offer AUTH"), QStringLiteral("off"));
    m_usersFile->setPlaceholderText(tr("users file"));
    m_fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fingerprint->setWordWrap(true);
    auto *exportButton = new QPushButton(tr("Export Certificate…"), this);
    auto *showButton = new QPushButton(tr("Show Fingerprint"), this);
    connect(exportButton, &QPushButton::clicked, this, &SecuritySettingsSection::exportCertificate);
    connect(showButton, &QPushButton::clicked, this, &SecuritySettingsSection::showCertificate);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(showButton);
    buttons->addWidget(exportButton);
    buttons->addStretch();

    auto *form = new QFormLayout(this);
    form->addRow(tr("STARTTLS:"), m_tlsOff);
    form->addRow(QString(), m_tlsAuto);
    form->addRow(QString(), m_tlsFiles);
    form->addRow(QString(), m_certificate);
    form->addRow(QString(), m_key);
    form->addRow(tr("SMTPS port:"), m_smtpsPort);
    form->addRow(QString(), settingsHint(tr("Implicit TLS (RFC 8314), usually 465 or 2465."), this));
    form->addRow(QString(), m_requireTls);
    form->addRow(tr("Certificate:"), m_fingerprint);
    form->addRow(QString(), buttons);
    form->addRow(tr("AUTH:"), m_auth);
    form->addRow(QString(), m_usersFile);
    form->addRow(QString(), m_requireAuth);
    form->addRow(QString(), m_authOverTlsOnly);
    form->addRow(QString(), m_showSecrets);
    form->addRow(QString(), settingsHint(tr("TLS and AUTH apply at the next Start."), this));
}

void SecuritySettingsSection::load(const DesktopSettings &settings)
{
    const SecurityOptions &s = settings.security;
    m_tlsAuto->setChecked(s.tlsAuto);
    m_tlsFiles->setChecked(!s.tlsCertificate.isEmpty());
    m_tlsOff->setChecked(!s.tlsConfigured());
    m_certificate->setText(s.tlsCertificate);
    m_key->setText(s.tlsKey);
    m_smtpsPort->setValue(settings.smtpsPort);
    m_requireTls->setChecked(s.requireTls);
    const QString mode = s.auth.startsWith(u"users:") ? QStringLiteral("users") : s.auth;
    m_auth->setCurrentIndex(std::max(0, m_auth->findData(mode)));
    m_usersFile->setText(s.auth.startsWith(u"users:") ? s.auth.mid(6) : QString());
    m_requireAuth->setChecked(s.requireAuth);
    m_authOverTlsOnly->setChecked(s.authOverTlsOnly);
    m_showSecrets->setChecked(s.showSecrets);
    m_fingerprint->setText(tr("press Show Fingerprint"));
}

SecurityOptions SecuritySettingsSection::options() const
{
    SecurityOptions s;
    s.tlsAuto = m_tlsAuto->isChecked();
    if (m_tlsFiles->isChecked()) {
        s.tlsCertificate = m_certificate->text().trimmed();
        s.tlsKey = m_key->text().trimmed();
    }
    s.requireTls = m_requireTls->isChecked();
    const QString mode = m_auth->currentData().toString();
    s.auth = mode == u"users" ? QStringLiteral("users:") + m_usersFile->text().trimmed() : mode;
    s.requireAuth = m_requireAuth->isChecked();
    s.authOverTlsOnly = m_authOverTlsOnly->isChecked();
    s.showSecrets = m_showSecrets->isChecked();
    return s;
}

void SecuritySettingsSection::apply(DesktopSettings &settings) const
{
    settings.security = options();
    settings.smtpsPort = quint16(m_smtpsPort->value());
}

// Loads (or, for the self-signed choice, creates) the certificate the server will present.
void SecuritySettingsSection::showCertificate()
{
    const SecurityOptions s = options();
    QString error;
    std::optional<TlsCredentials> credentials;
    if (s.tlsAuto)
        credentials = TlsCredentials::loadOrCreateSelfSigned(TlsCredentials::defaultFolder(),
                                                             QSysInfo::machineHostName(), &error);
    else if (!s.tlsCertificate.isEmpty())
        credentials = TlsCredentials::load(s.tlsCertificate, s.tlsKey, &error);
    else
        error = tr("TLS is off");
    m_certificatePem = credentials ? credentials->certificate.toPem() : QByteArray();
    m_fingerprint->setText(credentials ? tr("SHA-256 %1").arg(credentials->sha256Fingerprint())
                                       : error);
}

void SecuritySettingsSection::exportCertificate()
{
    showCertificate();
    if (m_certificatePem.isEmpty())
        return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Certificate"), QStringLiteral("smtpeek-cert.pem"),
        tr("PEM certificate (*.pem *.crt)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(m_certificatePem) != m_certificatePem.size()) {
        QMessageBox::warning(this, tr("Export Certificate"),
                             tr("Cannot write %1: %2").arg(path, file.errorString()));
    }
}
