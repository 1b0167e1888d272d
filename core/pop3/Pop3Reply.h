#pragma once

#include <QByteArray>

// Every reply a POP3 session sends, in one place: "+OK text" and "-ERR text" lines (RFC 1939),
// with RFC 2449's response codes where one applies, and the SASL continuation "+ ".
namespace pop3_reply {
QByteArray ok(const QByteArray &text);
QByteArray err(const QByteArray &text);
// "+ base64" (RFC 5034 4).
QByteArray continuation(const QByteArray &base64);

QByteArray greeting();
QByteArray capabilities(bool offerStls);
QByteArray bye();
QByteArray unknownCommand(const QByteArray &keyword);
QByteArray wrongState();
QByteArray syntax(const QByteArray &usage);
QByteArray lineTooLong();
QByteArray tooManyErrors();
QByteArray idleTimeout();
QByteArray shuttingDown();
QByteArray loginFailed(); // -ERR [AUTH] (RFC 3206)
QByteArray noSuchMessage(qint64 number);
QByteArray alreadyDeleted(qint64 number);
QByteArray mailboxBusy();
} // namespace pop3_reply
