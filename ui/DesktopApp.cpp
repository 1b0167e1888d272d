#include "DesktopApp.h"

#include "api/ApiServer.h"
#include "relay/DeliveryQueue.h"

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
    std::unique_ptr<DeliveryQueue> relay;
    if (options.relay.target.configured()) {
        relay = std::make_unique<DeliveryQueue>(store.get(), options.relay);
        relay->start();
        window.setRelay(relay.get());
    }
    // The automation API is an extra: if its port is taken the window still captures mail.
    QString apiError;
    const std::unique_ptr<ApiServer> api =
        startApiServer(options.api, store.get(), &service, &apiError, relay.get());
    if (api && !storeChoice.memory)
        api->setDatabaseFile(storeChoice.path.isEmpty() ? defaultDatabasePath() : storeChoice.path);
    if (options.api.enabled && !api)
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
    relay.reset();  // connections in progress are dropped; their deliveries stay pending
    store->flush();
    return exitCode;
}
