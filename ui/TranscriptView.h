#pragma once

#include "records/Records.h"

#include <QPlainTextEdit>

#include <vector>

// An SMTP conversation as text: one line per protocol line, with its time; client lines and
// server lines in different colours, events (the DATA marker, disconnects) set apart. Lines can
// be appended while the conversation goes on; the view follows the end unless the user has
// scrolled up.
class TranscriptView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit TranscriptView(QWidget *parent = nullptr);

    void setTranscript(const Transcript &transcript);
    void append(const Transcript &entries);
    // Marks entries first..last (inclusive, indexes into the transcript) and scrolls to them.
    void highlightEntries(int first, int last);
    int entryCount() const { return int(m_entryFirstBlock.size()); }

private:
    void appendEntry(const TranscriptEntry &entry);

    std::vector<int> m_entryFirstBlock; // the first text block of each entry
};
