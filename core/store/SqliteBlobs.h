#pragma once

#include <QByteArray>
#include <QDataStream>
#include <QIODevice>
#include <QVariant>

// How the SQLite store keeps lists (recipients, warnings, transcripts) in BLOB columns: one
// QDataStream of the value. The store's queries and its SQL functions read them the same way.
template <typename T> QByteArray pack(const T &value)
{
    QByteArray bytes;
    QDataStream stream(&bytes, QIODevice::WriteOnly);
    stream << value;
    return bytes;
}

template <typename T> T unpack(const QByteArray &bytes)
{
    T result;
    QDataStream stream(bytes);
    stream >> result;
    return result;
}

template <typename T> T unpack(const QVariant &value)
{
    return unpack<T>(value.toByteArray());
}
