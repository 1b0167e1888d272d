#pragma once

#include "ApiExchange.h"

#include "store/MessageQuery.h"

#include <optional>

// The parameters of GET /api/v1/wait: wait until `count` messages newer than `since` match
// `query` (every message when empty), or until `timeoutMs` has passed.
struct WaitRequest
{
    static constexpr qint64 kMaxCount = 1000;
    static constexpr double kMaxTimeoutSeconds = 3600;
    static constexpr double kDefaultTimeoutSeconds = 30;

    QString queryText;
    MessageQuery query;
    qint64 count = 1;
    int timeoutMs = static_cast<int>(kDefaultTimeoutSeconds * 1000);
    qint64 since = 0; // only IDs above this one count

    bool counts(const MessageSummary &summary) const
    {
        return summary.id > since && query.matches(summary);
    }
};

// The request's parameters, or nothing and *error saying which one is wrong and why.
std::optional<WaitRequest> parseWaitRequest(const ApiRequest &request, QString *error);
