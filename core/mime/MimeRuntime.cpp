#include <gmime/gmime.h>

#include "MimeRuntime.h"

MimeRuntime::MimeRuntime()
{
    g_mime_init();
}

MimeRuntime::~MimeRuntime()
{
    g_mime_shutdown();
}
