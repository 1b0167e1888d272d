#include "HeaderTableModel.h"

void HeaderTableModel::setHeaders(const QList<MimeHeader> &headers)
{
    beginResetModel();
    m_headers = headers;
    endResetModel();
}

void HeaderTableModel::setShowRaw(bool raw)
{
    if (raw == m_raw)
        return;
    m_raw = raw;
    if (!m_headers.isEmpty())
        Q_EMIT dataChanged(index(0, Value), index(int(m_headers.size()) - 1, Value));
}

int HeaderTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

int HeaderTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString HeaderTableModel::valueAt(int row) const
{
    const MimeHeader &header = m_headers[row];
    // Raw values keep their folding; the bytes are shown as UTF-8 like every mail client.
    return m_raw ? QString::fromUtf8(header.rawValue) : header.value;
}

QVariant HeaderTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return QVariant();
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        if (index.column() == Name)
            return m_headers[index.row()].name;
        return valueAt(index.row());
    }
    return QVariant();
}

QVariant HeaderTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QVariant();
    if (section == Name)
        return tr("Name");
    if (section == Value)
        return tr("Value");
    return QVariant();
}
