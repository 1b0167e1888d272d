#pragma once

#include <QObject>

struct ApiResponse;

// The answer to a request that takes a while (a link or a spam check): the route returns at once
// with ApiResponse::later(), the API's thread goes on serving other requests, and the connection
// gets its answer when the work calls finish(). The work owns this object and deletes it after
// finishing; when the client has gone by then, the answer is dropped.
class ApiPendingResponse : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Emits finished() from the event loop, then deletes this.
    void finish(const ApiResponse &response);

Q_SIGNALS:
    void finished(const ApiResponse &response);
};
