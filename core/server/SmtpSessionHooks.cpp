// What the stage hooks (rules, chaos) decide, applied: an answer in the session's stead, a held
// answer, a disconnect, a discard, a tarpit. The rest of the session is in SmtpSession.cpp.
#include "SmtpSession.h"

#include <QAbstractSocket>

bool SmtpSession::hooksTake(SmtpStage stage, const std::function<void()> &again,
                            const QByteArray &argument, const QByteArray *message)
{
    if (!m_config.hooks)
        return false;
    StageVerdict verdict =
        m_heldVerdict
            ? *std::exchange(m_heldVerdict, std::nullopt)
            : m_config.hooks->decide(StageContext{stage, m_record, m_envelope, argument, message});
    if (verdict.delayMs > 0) {
        holdAnswer(std::move(verdict), again);
        return true;
    }
    m_tarpitMs = verdict.tarpitMs; // the reply that comes next, the usual one or the rule's
    if (verdict.action == StageVerdict::Action::Proceed) {
        if (m_tarpitMs > 0)
            noteRule(verdict, "reply sent a byte every " + QByteArray::number(m_tarpitMs) + " ms",
                     QStringLiteral("slowed a reply down"));
        return false;
    }
    answerWith(verdict);
    if (stage == SmtpStage::Connect && verdict.action == StageVerdict::Action::Reply &&
        !verdict.reply.isPositive())
        finish(SessionEnd::Error); // a refused greeting leaves nothing to talk about
    return true;
}

// The session stops reading until the delay is over, then runs the stage again, which takes the
// verdict already made.
void SmtpSession::holdAnswer(StageVerdict verdict, const std::function<void()> &again)
{
    const int delayMs = std::exchange(verdict.delayMs, 0);
    noteRule(verdict, "answer delayed " + QByteArray::number(delayMs) + " ms",
             QStringLiteral("delayed an answer"));
    m_heldVerdict = std::move(verdict);
    const State resumeIn = m_state;
    enterState(State::Delaying);
    QTimer::singleShot(delayMs, this, [this, resumeIn, again] {
        if (m_state != State::Delaying)
            return; // closed meanwhile
        enterState(resumeIn);
        again();
        endTurn();
        readInput();
    });
}

// What a rule did is marked in the transcript, and on the session and the message being received
// (in words without numbers, which stay in the transcript), so that lists and the inspector show
// it.
void SmtpSession::noteRule(const StageVerdict &verdict, const QByteArray &what,
                           const QString &summary)
{
    record(TranscriptEntry::Direction::Event, "[rule " + verdict.rule.toUtf8() + ": " + what + ']');
    const QString warning = ruleWarning(verdict.rule, summary);
    warnSession(warning);
    if (m_transactionFirstEntry >= 0 && !m_transactionWarnings.contains(warning))
        m_transactionWarnings.append(warning);
}

void SmtpSession::answerWith(const StageVerdict &verdict)
{
    using Action = StageVerdict::Action;
    switch (verdict.action) {
    case Action::Proceed:
        return;
    case Action::Reply:
        noteRule(verdict,
                 "answered " + QByteArray::number(verdict.reply.code) + ' ' +
                     verdict.reply.enhanced,
                 QStringLiteral("answered in the server's stead"));
        reply(verdict.reply);
        return;
    case Action::Discard:
        noteRule(verdict, "accepted and discarded",
                 QStringLiteral("accepted and discarded a message"));
        reply(verdict.reply.code != 0 ? verdict.reply : Reply::discarded());
        return;
    case Action::Disconnect:
        if (verdict.reply.code != 0 && verdict.partialBytes >= 0) {
            const QByteArray part = verdict.reply.toWire().left(verdict.partialBytes);
            noteRule(verdict,
                     "disconnect after " + QByteArray::number(part.size()) + " bytes of the reply",
                     QStringLiteral("closed the connection"));
            if (m_device && m_device->isOpen())
                m_device->write(part);
            record(TranscriptEntry::Direction::Server, part);
        } else {
            noteRule(verdict, "disconnect", QStringLiteral("closed the connection"));
            if (verdict.reply.code != 0)
                reply(verdict.reply);
        }
        finish(SessionEnd::Error);
        return;
    }
}

// A tarpit: one byte per tick; input waits (repliesBacklogged) until the last one is out.
void SmtpSession::writeSlowly()
{
    if (m_slowOutput.isEmpty() || !m_device || !m_device->isOpen()) {
        m_slowTimer->stop();
        m_slowOutput.clear();
        if (m_resumeOnRepliesSent)
            disconnect(std::exchange(m_resumeOnRepliesSent, {}));
        readInput();
        return;
    }
    m_device->write(m_slowOutput.left(1));
    m_slowOutput.remove(0, 1);
    if (m_socket)
        m_socket->flush();
}
