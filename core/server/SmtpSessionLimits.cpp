// The bounds a session keeps on what a client can make it hold: its share of the server's
// budget for messages in flight, its transcript, and the time one message may take.
#include "SmtpSession.h"

#include <QDateTime>

bool SmtpSession::admitMessage(qint64 declaredSize)
{
    const qint64 size = std::max<qint64>(0, declaredSize);
    if (!m_budget->tryTake(size))
        return false;
    m_budgetTaken = size;
    return true;
}

void SmtpSession::accountMessageBytes()
{
    // The allocation, not the octets: a growing buffer holds up to twice what it has read.
    const qint64 size = m_reader.messageCapacity();
    if (m_overBudget || size <= m_budgetTaken)
        return;
    if (m_budget->tryTake(size - m_budgetTaken)) {
        m_budgetTaken = size;
        return;
    }
    m_overBudget = true;
    m_reader.discardMessage();
    record(TranscriptEntry::Direction::Event,
           "[the server's " + QByteArray::number(m_budget->capacity()) +
               " bytes for mail in flight are taken: the rest of this message is read and "
               "discarded]");
}

void SmtpSession::giveBackBudget()
{
    m_budget->give(std::exchange(m_budgetTaken, 0));
    m_overBudget = false;
}

void SmtpSession::onDataTooSlow()
{
    if (m_state == State::Closed || m_state == State::Storing)
        return;
    m_reader.discardMessage();
    reply(Reply::dataTooSlow(m_config.limits.maxDataMs / 1000));
    finish(SessionEnd::Timeout);
}

bool SmtpSession::transcriptHasRoom(qsizetype bytes)
{
    const SmtpLimits &limits = m_config.limits;
    if (m_transcriptCapEntry < 0) {
        // One entry is kept back for the marker.
        if (m_record.transcript.size() + 1 < limits.maxTranscriptEntries &&
            m_transcriptBytes + bytes <= limits.maxTranscriptBytes) {
            m_transcriptBytes += bytes;
            return true;
        }
        m_transcriptCapEntry = int(m_record.transcript.size());
        const TranscriptEntry marker{
            QDateTime::currentMSecsSinceEpoch(), TranscriptEntry::Direction::Event,
            "[transcript limit reached (" + QByteArray::number(limits.maxTranscriptEntries) +
                " entries, " + QByteArray::number(limits.maxTranscriptBytes) +
                " bytes): later entries are counted, not kept]"};
        m_record.transcript.append(marker);
        m_pendingTranscript.append(marker);
    }
    ++m_droppedEntries;
    m_droppedBytes += bytes;
    return false;
}

void SmtpSession::noteTranscriptDropped()
{
    if (m_transcriptCapEntry < 0)
        return;
    m_record.transcript[m_transcriptCapEntry].bytes =
        "[transcript limit reached: " + QByteArray::number(m_droppedEntries) + " later entries (" +
        QByteArray::number(m_droppedBytes) + " bytes) were not kept]";
}
