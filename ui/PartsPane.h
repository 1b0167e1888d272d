#pragma once

#include "mime/DecodedMessage.h"

#include <QTemporaryDir>
#include <QWidget>

#include <memory>

class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

// The MIME tree of a message, with saving and opening of parts under sanitised names.
class PartsPane : public QWidget
{
    Q_OBJECT
public:
    explicit PartsPane(QWidget *parent = nullptr);

    void setMessage(const QByteArray &raw, std::shared_ptr<const DecodedMessage> decoded);
    void clear();
    QTreeWidget *tree() const { return m_tree; }
    QString selectedPath() const;

    // Saves a part's decoded bytes to `target`; false with a reason on failure.
    bool savePart(const QString &partPath, const QString &target, QString *error) const;
    // Asks for a folder and saves every attachment into it.
    void saveAllAttachments();

Q_SIGNALS:
    void failed(const QString &message);
    void saved(const QString &message);

private:
    void updateButtons();
    void saveSelected();
    void openSelected();

    QTreeWidget *m_tree;
    QPushButton *m_save;
    QPushButton *m_open;
    QPushButton *m_saveAll;
    QByteArray m_raw;
    std::shared_ptr<const DecodedMessage> m_decoded;
    std::unique_ptr<QTemporaryDir> m_openedParts; // parts handed to other applications
};
