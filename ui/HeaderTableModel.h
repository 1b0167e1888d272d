#pragma once

#include "mime/DecodedMessage.h"

#include <QAbstractTableModel>

// A message's top-level header fields, decoded (RFC 2047 words, unfolded) or raw as sent.
class HeaderTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Value,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setHeaders(const QList<MimeHeader> &headers);
    void setShowRaw(bool raw);
    bool showsRaw() const { return m_raw; }

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString valueAt(int row) const;

    QList<MimeHeader> m_headers;
    bool m_raw = false;
};
