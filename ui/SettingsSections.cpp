#include "SettingsSections.h"

#include "store/StoreOpener.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

namespace {
constexpr qint64 kMiB = 1024 * 1024;

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
    label->setPalette(palette);
    return label;
}

QSpinBox *countBox(QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, 100000000);
    box->setSpecialValueText(QObject::tr("keep all"));
    box->setGroupSeparatorShown(true);
    return box;
}
} // namespace

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
    form->addRow(QString(), hint(tr("127.0.0.1 accepts mail from this machine only; 0.0.0.0 "
                                    "from the whole network."),
                                 this));
    form->addRow(tr("Port:"), m_port);
    form->addRow(tr("Hostname:"), m_hostname);
    form->addRow(QString(), hint(tr("The name in the greeting and the EHLO reply."), this));
    form->addRow(tr("Largest message:"), m_maxSizeMiB);
    form->addRow(QString(), m_startOnLaunch);
    form->addRow(QString(), hint(tr("Address and port apply at the next Start."), this));
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
    form->addRow(QString(), hint(tr("Where mail is kept changes at the next launch."), this));
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
    form->addRow(hint(tr("At most one notification every few seconds, however much mail "
                         "arrives."),
                      this));
    form->addRow(m_safePreview);
    form->addRow(hint(tr("The simple viewer never loads remote content and shows basic "
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
