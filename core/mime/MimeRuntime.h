#pragma once

// GMime's global state: construct one in main(), before any thread starts, and keep it alive
// until every thread that decodes has ended.
class MimeRuntime
{
public:
    MimeRuntime();
    ~MimeRuntime();
    MimeRuntime(const MimeRuntime &) = delete;
    MimeRuntime &operator=(const MimeRuntime &) = delete;
};
