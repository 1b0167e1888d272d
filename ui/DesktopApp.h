#pragma once

#include <QStringList>

struct AppOptions;

// Creates the QApplication (after what WebEngine needs before it), opens the store, shows the
// main window and runs the event loop. The options are the config file's with the environment
// and command line over them; `configProblems` are the file's bad keys, shown as a notice.
// Returns the exit code.
int runDesktop(int &argc, char **argv, const AppOptions &options,
               const QStringList &configProblems);
