#include "PartsPane.h"

#include "CountText.h"
#include "Icons.h"
#include "mime/ExportFileName.h"
#include "store/MessageExport.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace {
enum Column
{
    PathColumn,
    TypeColumn,
    NameColumn,
    SizeColumn,
    DispositionColumn,
    IdColumn
};
}

PartsPane::PartsPane(QWidget *parent)
    : QWidget(parent), m_tree(new QTreeWidget(this)), m_save(new QPushButton(tr("Save…"), this)),
      m_open(new QPushButton(tr("Open"), this)),
      m_saveAll(new QPushButton(tr("Save all attachments…"), this))
{
    m_tree->setHeaderLabels(
        {tr("Part"), tr("Type"), tr("File name"), tr("Size"), tr("Disposition"), tr("Content-ID")});
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_open);
    buttons->addStretch(1);
    buttons->addWidget(m_saveAll);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tree, 1);
    layout->addLayout(buttons);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, &PartsPane::updateButtons);
    connect(m_tree, &QTreeWidget::itemActivated, this, &PartsPane::openSelected);
    connect(m_save, &QPushButton::clicked, this, &PartsPane::saveSelected);
    connect(m_open, &QPushButton::clicked, this, &PartsPane::openSelected);
    connect(m_saveAll, &QPushButton::clicked, this, &PartsPane::saveAllAttachments);
    updateButtons();
}

void PartsPane::setMessage(const QByteArray &raw, std::shared_ptr<const DecodedMessage> decoded)
{
    m_raw = raw;
    m_decoded = std::move(decoded);
    m_tree->clear();
    QList<QTreeWidgetItem *> stack; // the last item seen at each depth
    int attachments = 0;
    for (const MimePart &part : m_decoded->parts) {
        auto *item = new QTreeWidgetItem;
        item->setText(PathColumn, part.path);
        item->setText(TypeColumn, part.contentType);
        item->setText(NameColumn, part.fileName);
        item->setText(SizeColumn, part.isMultipart()
                                      ? QString()
                                      : QLocale().formattedDataSize(part.decodedSize));
        item->setText(DispositionColumn, part.disposition);
        item->setText(IdColumn, part.contentId);
        if (part.isAttachment) {
            item->setIcon(NameColumn, Icons::attachment());
            ++attachments;
        }
        const int depth = qBound(0, part.depth, int(stack.size()));
        stack.resize(depth);
        if (depth == 0)
            m_tree->addTopLevelItem(item);
        else
            stack[depth - 1]->addChild(item);
        stack.append(item);
    }
    m_tree->expandAll();
    m_saveAll->setEnabled(attachments > 0);
    m_saveAll->setText(attachments > 0
                           ? tr("Save %1…").arg(countText(attachments, "attachment", "attachments"))
                           : tr("Save all attachments…"));
    updateButtons();
}

void PartsPane::clear()
{
    m_tree->clear();
    m_raw.clear();
    m_decoded.reset();
    m_saveAll->setEnabled(false);
    updateButtons();
}

QString PartsPane::selectedPath() const
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    return item ? item->text(PathColumn) : QString();
}

void PartsPane::updateButtons()
{
    const MimePart *part = m_decoded ? m_decoded->part(selectedPath()) : nullptr;
    const bool content = part && !part->isMultipart();
    m_save->setEnabled(content);
    m_open->setEnabled(content);
}

bool PartsPane::savePart(const QString &partPath, const QString &target, QString *error) const
{
    if (!m_decoded || !m_decoded->part(partPath)) {
        *error = tr("There is no part %1.").arg(partPath);
        return false;
    }
    return saveBytes(target, decodePartContent(m_raw, partPath), error);
}

void PartsPane::saveSelected()
{
    const MimePart *part = m_decoded ? m_decoded->part(selectedPath()) : nullptr;
    if (!part)
        return;
    const QString name = safeExportFileName(part->fileName, part->contentType, part->path);
    const QString target =
        QFileDialog::getSaveFileName(this, tr("Save part"), QDir::home().filePath(name));
    if (target.isEmpty())
        return;
    QString error;
    if (savePart(part->path, target, &error))
        Q_EMIT saved(tr("Saved %1").arg(QDir::toNativeSeparators(target)));
    else
        Q_EMIT failed(error);
}

void PartsPane::openSelected()
{
    const MimePart *part = m_decoded ? m_decoded->part(selectedPath()) : nullptr;
    if (!part || part->isMultipart())
        return;
    if (!m_openedParts || !m_openedParts->isValid())
        m_openedParts = std::make_unique<QTemporaryDir>();
    // Each part in its own folder, so equal names from different messages never collide.
    const QString folder = m_openedParts->filePath(QString::number(qHash(m_raw)) + u'-' +
                                                   QString(part->path).replace(u'.', u'_'));
    QDir().mkpath(folder);
    const QString target =
        QDir(folder).filePath(safeExportFileName(part->fileName, part->contentType, part->path));
    QString error;
    if (!savePart(part->path, target, &error)) {
        Q_EMIT failed(error);
        return;
    }
    if (!QDesktopServices::openUrl(QUrl::fromLocalFile(target)))
        Q_EMIT failed(tr("No application opens %1.").arg(QDir::toNativeSeparators(target)));
}

void PartsPane::saveAllAttachments()
{
    if (!m_decoded)
        return;
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Save attachments to"), QDir::homePath());
    if (folder.isEmpty())
        return;
    QString error;
    const int written = saveAttachments(m_raw, *m_decoded, folder, &error);
    if (written < 0)
        Q_EMIT failed(error);
    else
        Q_EMIT saved(tr("Saved %1 to %2")
                         .arg(countText(written, "attachment", "attachments"),
                              QDir::toNativeSeparators(folder)));
}
