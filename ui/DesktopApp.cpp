#include "DesktopApp.h"

#include "api/ApiThread.h"

#include "DesktopSettings.h"
#include "HtmlPreview.h"
#include "Icons.h"
#include "MainWindow.h"
#include "Options.h"
#include "server/SmtpService.h"

#include <QApplication>
#include <QMessageBox>

int runDesktop(int &argc, char **argv, const AppOptions &options, const QStringList &configProblems)
{
    prepareHtmlPreviewProcess();
    QApplication app(argc, argv);
    QApplication::setWindowIcon(Icons::app());
    QGuiApplication::setDesktopFileName(QStringLiteral("smtpeek"));

    QString error;
    const StoreOptions storeChoice = storeOptions(options);
    std::unique_ptr<MessageStore> store = openStore(storeChoice, &error);
    if (!store) {
        QMessageBox::critical(nullptr, QStringLiteral("smtpeek"),
                              QObject::tr("Cannot open the message store: %1").arg(error));
        return 1;
    }
    SmtpService service(store.get());
    const DesktopSettings settings = DesktopSettings::fromOptions(options);
    MainWindow window(store.get(), &service, settings, options.limits);
    QObject::connect(&window, &MainWindow::settingsEdited, &window,
                     [&window, path = options.configPath](const DesktopSettings &before,
                                                          const DesktopSettings &after) {
                         QString saveError;
                         if (!saveSettingsChanges(path, before, after, &saveError))
                             window.showError(QObject::tr("Settings not saved: %1").arg(saveError));
                     });
    // The automation API is an extra: if its port is taken the window still captures mail.
    QString apiError;
    ApiThread api;
    if (!api.start(options.api, store.get(), &service, databaseFile(storeChoice), &apiError) &&
        options.api.enabled)
        window.showError(QObject::tr("The automation API is off: %1").arg(apiError));
    else if (!configProblems.isEmpty())
        window.showWarning(
            QObject::tr("Settings skipped: %1").arg(configProblems.join(QStringLiteral("; "))));
    window.show();
    window.loadStoredMail();
    if (settings.startOnLaunch)
        window.startServer();
    const int exitCode = QApplication::exec();
    service.stop(); // the API takes session events in the server's thread: they end first
    store->flush();
    return exitCode;
}
