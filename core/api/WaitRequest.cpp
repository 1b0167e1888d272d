#include "WaitRequest.h"

#include "ApiRoutes.h"

std::optional<WaitRequest> parseWaitRequest(const ApiRequest &request, QString *error)
{
    WaitRequest wait;
    wait.queryText = request.queryValue(QStringLiteral("query")).trimmed();
    if (const QString problem = MessageQuery::syntaxProblem(wait.queryText); !problem.isEmpty()) {
        *error = QStringLiteral("query: %1").arg(problem);
        return std::nullopt;
    }
    wait.query = MessageQuery::parse(wait.queryText);

    if (const QString text = request.queryValue(QStringLiteral("count")); !text.isEmpty()) {
        bool ok = false;
        wait.count = text.toLongLong(&ok);
        if (!ok || wait.count < 1 || wait.count > WaitRequest::kMaxCount) {
            *error = QStringLiteral("count takes 1 to %1 messages").arg(WaitRequest::kMaxCount);
            return std::nullopt;
        }
    }
    if (const QString text = request.queryValue(QStringLiteral("timeout")); !text.isEmpty()) {
        bool ok = false;
        const double seconds = text.toDouble(&ok);
        // "nan" and "inf" parse: the range check must reject them too.
        if (!ok || !(seconds >= 0 && seconds <= WaitRequest::kMaxTimeoutSeconds)) {
            *error = QStringLiteral("timeout takes 0 to %1 seconds")
                         .arg(WaitRequest::kMaxTimeoutSeconds);
            return std::nullopt;
        }
        wait.timeoutMs = static_cast<int>(seconds * 1000);
    }
    if (const QString text = request.queryValue(QStringLiteral("since")); !text.isEmpty()) {
        const std::optional<qint64> id = ApiRoutes::parseId(text);
        if (!id) {
            *error = QStringLiteral("since takes a message ID");
            return std::nullopt;
        }
        wait.since = *id;
    }
    return wait;
}
